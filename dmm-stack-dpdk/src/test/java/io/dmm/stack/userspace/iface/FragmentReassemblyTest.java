package io.dmm.stack.userspace.iface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.Counter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FragmentReassemblyTest extends InterfaceFixture {
    final byte[] datagram = Frames.udp(PEER_IP, OUR_IP, 1000, 2000, payload(3000));

    static byte[] payload(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }

    byte[] piece(int id, int from, int length, boolean more) {
        return Frames.fragment(OUR_MAC, PEER_MAC, PEER_IP, OUR_IP, 17, id, from, more, datagram, 0, length);
    }

    @Test
    void outOfOrderPiecesWithAConsistentOverlapAreDeliveredOnce() {
        int n = datagram.length;  // 3008
        inject(piece(7, 2960, n - 2960, false));         // last first
        inject(piece(7, 1480, 1480, true));
        inject(piece(7, 1000, 1000, true));              // overlaps both neighbours with the same bytes
        assertTrue(udp.deliveries.isEmpty());
        inject(piece(7, 0, 1480, true));
        assertEquals(1, udp.deliveries.size());
        assertArrayEquals(datagram, udp.deliveries.get(0).bytes());
        assertEquals(PEER_IP, udp.deliveries.get(0).src());
        assertEquals(1, count(Counter.IPV4_FRAGMENTS_REASSEMBLED));
        inject(piece(7, 1480, 1480, true));              // a late duplicate starts over, never completes
        assertEquals(1, udp.deliveries.size());
        clock.advanceMillis(30_000);
        iface.poll(clock.nanos());
        assertEquals(1, count(Counter.DROP_IPV4_REASSEMBLY_TIMEOUT));
    }

    @Test
    void overlapWithDifferentBytesDropsTheWholeDatagram() {
        inject(piece(9, 0, 1480, true));
        byte[] evil = piece(9, 1472, 1488, true);
        evil[34 + 3] ^= 1;                               // differs inside the already received block at 1472
        inject(evil);
        inject(piece(9, 1480, 1480, true));
        inject(piece(9, 2960, datagram.length - 2960, false));
        assertTrue(udp.deliveries.isEmpty());
        assertEquals(3, count(Counter.DROP_IPV4_FRAGMENT), "the poisoning piece and every later one");
        clock.advanceMillis(30_000);
        iface.poll(clock.nanos());
        assertEquals(0, count(Counter.DROP_IPV4_REASSEMBLY_TIMEOUT), "already counted as dropped");
        // the id is usable again afterwards
        inject(piece(9, 0, 1480, true));
        inject(piece(9, 1480, 1480, true));
        inject(piece(9, 2960, datagram.length - 2960, false));
        assertEquals(1, udp.deliveries.size());
    }

    @Test
    void conflictingEndsPoisonTheDatagram() {
        inject(piece(3, 1480, 1480, true));
        inject(piece(3, 2000, 480, false));              // ends before data already received
        inject(piece(3, 0, 1480, true));
        inject(piece(3, 2960, datagram.length - 2960, false));
        assertTrue(udp.deliveries.isEmpty());
    }

    @Test
    void incompleteDatagramsTimeOut() {
        learnPeer();
        byte[] first = piece(5, 0, 1480, true);
        inject(first);
        inject(piece(5, 2960, datagram.length - 2960, false));
        long deadline = clock.nanos() + 30 * SECOND;
        assertEquals(deadline, iface.poll(clock.nanos()));
        clock.advanceMillis(30_000);
        assertEquals(Long.MAX_VALUE, iface.poll(clock.nanos()));
        assertEquals(1, count(Counter.DROP_IPV4_REASSEMBLY_TIMEOUT));
        // RFC 1122 3.3.2: fragment zero arrived, so the sender hears "reassembly time exceeded"
        java.util.List<byte[]> out = device.takeSent();
        assertEquals(1, out.size());
        byte[] f = out.get(0);
        assertEquals(PEER_MAC, mac(f, 0));
        assertEquals(PEER_IP, i32(f, 30));
        assertEquals(11, f[34]);
        assertEquals(1, f[35]);
        assertArrayEquals(java.util.Arrays.copyOfRange(first, 14, 14 + 28), java.util.Arrays.copyOfRange(f, 42, 70));
        assertEquals(1, count(Counter.ICMP_TIME_EXCEEDED_SENT));

        inject(piece(5, 1480, 1480, true));
        assertTrue(udp.deliveries.isEmpty(), "the earlier pieces are gone");
        clock.advanceMillis(30_000);
        iface.poll(clock.nanos());
        assertEquals(2, count(Counter.DROP_IPV4_REASSEMBLY_TIMEOUT));
        assertEquals(1, count(Counter.ICMP_TIME_EXCEEDED_SENT), "not without fragment zero");
    }

    @Test
    void malformedPiecesAreDropped() {
        inject(piece(4, 0, 1001, true));                 // middle piece not a multiple of 8
        byte[] huge = Frames.fragment(OUR_MAC, PEER_MAC, PEER_IP, OUR_IP, 17, 4, 65528, false, new byte[65528 + 16], 0, 16);
        inject(huge);                                    // would end beyond 65535
        assertEquals(2, count(Counter.DROP_IPV4_FRAGMENT));
        assertEquals(Long.MAX_VALUE, iface.poll(clock.nanos()), "nothing held");
    }

    @Test
    void whenDisabledFragmentsAreDropped() {
        InterfaceFixture f = new InterfaceFixture(
                InterfaceConfig.builder().address("10.0.0.1/24").reassembleFragments(false).build());
        f.inject(piece(7, 0, 1480, true));
        f.inject(piece(7, 1480, 1480, true));
        f.inject(piece(7, 2960, datagram.length - 2960, false));
        assertEquals(3, f.count(Counter.DROP_IPV4_FRAGMENT));
        assertTrue(f.udp.deliveries.isEmpty());
    }

    @Test
    void moreDatagramsThanSlotsGiveUpTheOldest() {
        InterfaceFixture f = new InterfaceFixture(
                InterfaceConfig.builder().address("10.0.0.1/24").reassemblySlots(2).build());
        f.inject(piece(1, 0, 1480, true));
        f.clock.advanceMillis(1);
        f.inject(piece(2, 0, 1480, true));
        f.clock.advanceMillis(1);
        f.inject(piece(3, 0, 1480, true));               // takes id 1's slot
        assertEquals(1, f.count(Counter.DROP_IPV4_FRAGMENT));
        for (int id : new int[] {2, 3}) {
            f.inject(piece(id, 1480, 1480, true));
            f.inject(piece(id, 2960, datagram.length - 2960, false));
        }
        assertEquals(2, f.udp.deliveries.size(), "ids 2 and 3");
        f.inject(piece(1, 1480, 1480, true));
        f.inject(piece(1, 2960, datagram.length - 2960, false));
        assertEquals(2, f.udp.deliveries.size(), "id 1's first piece was given up");
    }

    @Test
    void theDevicesChecksumGuaranteeHoldsOnlyIfEveryPieceHadIt() {
        for (boolean lastVerified : new boolean[] {true, false}) {
            int id = lastVerified ? 21 : 22;
            byte[][] pieces = {piece(id, 0, 1480, true), piece(id, 1480, 1480, true), piece(id, 2960, datagram.length - 2960, false)};
            for (int i = 0; i < 3; i++) {
                byte[] p = pieces[i];
                iface.frame(java.lang.foreign.MemorySegment.ofArray(p), 0, p.length, i < 2 || lastVerified);
            }
        }
        assertEquals(2, udp.deliveries.size());
        assertTrue(udp.deliveries.get(0).verified());
        assertTrue(!udp.deliveries.get(1).verified());
    }
}
