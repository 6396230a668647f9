package io.dmm.stack.userspace.tcp;

import static io.dmm.stack.userspace.tcp.Seg.seg;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.wire.Checksum;
import java.lang.foreign.MemorySegment;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Whatever arrives, ingress never throws and every segment is accounted for. */
class TcpIngressFuzzTest {
    @Provide
    Arbitrary<byte[]> segments() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(120);
    }

    @Provide
    Arbitrary<List<byte[]>> batches() {
        return segments().list().ofMaxSize(40);
    }

    /** Fixes up the checksum field (when long enough) so the segment reaches the parser's deeper checks. */
    static byte[] withChecksum(byte[] b) {
        if (b.length < 20) return b;
        MemorySegment m = MemorySegment.ofArray(b);
        b[16] = 0;
        b[17] = 0;
        int c = Checksum.transport(m, 0, b.length, TcpHarness.REMOTE, TcpHarness.LOCAL, 6);
        b[16] = (byte) (c >>> 8);
        b[17] = (byte) c;
        return b;
    }

    @Property(tries = 300)
    void randomBytesAreCountedNeverThrown(@ForAll("batches") List<byte[]> batch) {
        TcpHarness t = new TcpHarness();
        int n = 0;
        for (byte[] b : batch) {
            t.ingress(b, TcpHarness.REMOTE, TcpHarness.LOCAL, false);
            t.ingress(withChecksum(b.clone()), TcpHarness.REMOTE, TcpHarness.LOCAL, false);
            t.ingress(b, TcpHarness.REMOTE, TcpHarness.LOCAL, true);
            n += 3;
        }
        assertEquals(n, t.count(Counter.TCP_SEGMENTS_RX));
        long accounted = t.count(Counter.DROP_TCP_MALFORMED) + t.count(Counter.DROP_TCP_CHECKSUM) + t.count(Counter.DROP_TCP_NO_LISTENER);
        assertEquals(n, accounted, "every segment to a stack without sockets is dropped under one reason");
    }

    @Property(tries = 200)
    void mutatedSegmentsIntoLiveConnectionsNeverThrow(@ForAll("batches") List<byte[]> noise,
                                                       @ForAll @Size(max = 30) List<Integer> positions) {
        TcpHarness t = new TcpHarness(TcpConfig.builder().challengeAcksPerSecond(1_000_000).build());
        TcpListener l = t.listen();
        TcpConnection c = t.acceptWith(l, seg().syn().mss(1460).sackPerm().ts(5, 0).wscale(7));
        byte[] valid = seg().psh().seq(TcpHarness.PEER_ISS + 1).ack(c.iss + 1).ts(9, 0).sack(c.iss, c.iss + 1)
                .payload("hello").encode(TcpHarness.REMOTE, TcpHarness.LOCAL, TcpHarness.REMOTE_PORT, TcpHarness.LOCAL_PORT);
        int i = 0;
        for (byte[] b : noise) {
            byte[] m = valid.clone();
            for (int k = 0; k < b.length && k < 6; k++) {
                int pos = Math.floorMod(positions.isEmpty() ? b[k] : positions.get((i + k) % positions.size()) + b[k], m.length);
                m[pos] = b[k];
            }
            i++;
            t.ingress(withChecksum(m), TcpHarness.REMOTE, TcpHarness.LOCAL, false);
            t.advance(1 + (b.length > 0 ? b[0] & 0x3F : 0));
        }
        // 200 quiet seconds: longer than a half-open connection keeps retrying its SYN-ACK (6 retries,
        // about 2 minutes) and than TIME_WAIT. What may remain is c, unless the noise reset it (the
        // application never closes it), and connections the noise completed a handshake for, waiting
        // to be accepted; the stack's counts must say exactly that.
        t.advance(200_000);
        int queued = 0;
        while (t.locked(l::accept) != null) {
            queued++;
        }
        int expected = (c.state() == TcpState.CLOSED ? 0 : 1) + queued;
        assertEquals(expected, t.locked(t.stack::activeConnections), "active connections, c " + c.state());
        assertEquals(expected, t.stack.tableSize(), "connections in the table, c " + c.state());
    }

    @Test
    void badChecksumAndBadHeaderLengthCounted() {
        TcpHarness t = new TcpHarness();
        t.listen();
        byte[] syn = seg().syn().seq(1).mss(1460).encode(TcpHarness.REMOTE, TcpHarness.LOCAL, 4000, 80);
        byte[] bad = syn.clone();
        bad[16] ^= 1;
        t.ingress(bad, TcpHarness.REMOTE, TcpHarness.LOCAL, false);
        assertEquals(1, t.count(Counter.DROP_TCP_CHECKSUM));
        t.ingress(bad, TcpHarness.REMOTE, TcpHarness.LOCAL, true); // vouched for by the device: accepted
        t.expect(seg().synAck());
        byte[] shortHdr = syn.clone();
        shortHdr[12] = 0x40; // data offset 16 bytes
        t.ingress(withChecksum(shortHdr), TcpHarness.REMOTE, TcpHarness.LOCAL, false);
        byte[] longHdr = java.util.Arrays.copyOf(syn, 24);
        longHdr[12] = (byte) 0xF0; // 60 bytes claimed, 24 present
        t.ingress(withChecksum(longHdr), TcpHarness.REMOTE, TcpHarness.LOCAL, false);
        byte[] badOpt = syn.clone();
        badOpt[21] = 9; // MSS option claims 9 bytes
        t.ingress(withChecksum(badOpt), TcpHarness.REMOTE, TcpHarness.LOCAL, false);
        t.ingress(new byte[7], TcpHarness.REMOTE, TcpHarness.LOCAL, false);
        assertEquals(4, t.count(Counter.DROP_TCP_MALFORMED));
        t.expectNothing();
    }
}
