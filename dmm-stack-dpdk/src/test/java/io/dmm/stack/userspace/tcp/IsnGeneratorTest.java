package io.dmm.stack.userspace.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IsnGeneratorTest {
    private static final long K0 = 0x0706050403020100L; // key bytes 00..07, little-endian
    private static final long K1 = 0x0f0e0d0c0b0a0908L; // key bytes 08..0f

    private static byte[] counting(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    void sipHashPaperTestVector() {
        // Appendix A of "SipHash: a fast short-input PRF": key 00..0f, message 00..0e.
        assertEquals(0xa129ca6149be45e5L, IsnGenerator.sipHash24(K0, K1, counting(15), 0, 15));
    }

    @Test
    void sipHashReferenceVectorsForOtherLengths() {
        // First entries of the reference implementation's vectors table (message 00..len-1).
        assertEquals(0x726fdb47dd0e0e31L, IsnGenerator.sipHash24(K0, K1, counting(0), 0, 0));
        assertEquals(0x74f839c593dc67fdL, IsnGenerator.sipHash24(K0, K1, counting(1), 0, 1));
        assertEquals(0x93f5f5799a932462L, IsnGenerator.sipHash24(K0, K1, counting(8), 0, 8));
    }

    @Test
    void tupleHashEqualsSipHashOfTheTwelveByteMessage() {
        Random r = new Random(42);
        for (int i = 0; i < 1000; i++) {
            long k0 = r.nextLong(), k1 = r.nextLong();
            int lip = r.nextInt(), rip = r.nextInt(), lp = r.nextInt(65536), rp = r.nextInt(65536);
            byte[] m = {
                (byte) (lip >>> 24), (byte) (lip >>> 16), (byte) (lip >>> 8), (byte) lip,
                (byte) (rip >>> 24), (byte) (rip >>> 16), (byte) (rip >>> 8), (byte) rip,
                (byte) (lp >>> 8), (byte) lp, (byte) (rp >>> 8), (byte) rp};
            assertEquals(IsnGenerator.sipHash24(k0, k1, m, 0, 12), IsnGenerator.tupleHash(k0, k1, lip, lp, rip, rp));
        }
    }

    @Test
    void monotoneOverTimeForOneTuple() {
        IsnGenerator g = new IsnGenerator(K0, K1);
        int ip1 = 0x0A000001, ip2 = 0x0A000002;
        int prev = g.isn(ip1, 40000, ip2, 80, 0);
        long now = 0;
        Random r = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            now += 4000 + r.nextInt(1_000_000); // at least one tick per step
            int next = g.isn(ip1, 40000, ip2, 80, now);
            assertTrue(SeqNum.gt(next, prev), "ISN must advance with time");
            prev = next;
        }
        // Exactly one unit per 4 µs.
        assertEquals(250, g.isn(ip1, 40000, ip2, 80, 1_000_000) - g.isn(ip1, 40000, ip2, 80, 0));
        assertEquals(g.isn(ip1, 40000, ip2, 80, 3999), g.isn(ip1, 40000, ip2, 80, 0));
    }

    @Test
    void differentAcrossTuplesAndSecrets() {
        IsnGenerator g = new IsnGenerator(K0, K1);
        Set<Integer> seen = new HashSet<>();
        for (int port = 1024; port < 2048; port++) {
            seen.add(g.isn(0x0A000001, port, 0x0A000002, 80, 123_456_789L));
        }
        assertTrue(seen.size() > 1020, "ports should map to distinct ISNs: " + seen.size());
        assertNotEquals(g.isn(0x0A000001, 1, 0x0A000002, 2, 0), g.isn(0x0A000002, 1, 0x0A000001, 2, 0));
        assertNotEquals(g.isn(0x0A000001, 1, 0x0A000002, 2, 0), g.isn(0x0A000001, 2, 0x0A000002, 1, 0));
        assertNotEquals(new IsnGenerator(1, 2).isn(1, 2, 3, 4, 0), new IsnGenerator(1, 3).isn(1, 2, 3, 4, 0));
        IsnGenerator a = new IsnGenerator(), b = new IsnGenerator(); // random secrets: equal with odds 2^-128
        boolean differ = false;
        for (int port = 0; port < 4; port++) {
            differ |= a.isn(1, port, 3, 4, 0) != b.isn(1, port, 3, 4, 0);
        }
        assertTrue(differ);
    }
}
