package io.dmm.stack.userspace.iface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.StackCounters;
import io.dmm.stack.userspace.wire.Checksum;
import io.dmm.stack.userspace.wire.Ipv4Address;
import io.dmm.stack.userspace.wire.NetworkOrder;
import io.dmm.stack.userspace.wire.TcpHeader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GRO's merge rules, segment by segment: what joins the held segments, what ends a batch, what
 * never merges, and that what goes up keeps the flow's order and bytes.
 */
class TcpCoalescerTest {
    static final int SRC = Ipv4Address.parse("10.0.0.2");
    static final int DST = Ipv4Address.parse("10.0.0.1");
    static final int ACK = TcpHeader.ACK, PSH = TcpHeader.PSH;
    static final int SEQ = 1000;

    /** What went up: "1:<seq>" for a single segment, "N:<seq>" for a batch of N starting at seq. */
    final List<String> up = new ArrayList<>();
    /** The payload bytes that went up, in order. */
    final List<byte[]> payloads = new ArrayList<>();
    final StackCounters counters = new StackCounters();
    final TcpCoalescer gro = new TcpCoalescer(new TcpCoalescer.Sink() {
        @Override
        public void single(MemorySegment m, long off, int len, int src, int dst, boolean verified) {
            up.add("1:" + NetworkOrder.i32(m, off + 4));
            payloads.add(payload(m, off, len));
        }

        @Override
        public void batch(SegmentBatch b) {
            up.add(b.count() + ":" + NetworkOrder.i32(b.memory(0), b.offset(0) + 4));
            for (int i = 0; i < b.count(); i++) payloads.add(payload(b.memory(i), b.offset(i), b.length(i)));
        }
    }, counters);

    /** A TCP segment builder: ports 5000 → 80, window 1000, options as given, a patterned payload. */
    static final class Tcp {
        int srcPort = 5000, seq = SEQ, ack = 77, flags = ACK, window = 1000, tsVal = -1, len = 100;
        int src = SRC;

        Tcp seq(int v) { seq = v; return this; }
        Tcp ack(int v) { ack = v; return this; }
        Tcp flags(int v) { flags = v; return this; }
        Tcp window(int v) { window = v; return this; }
        Tcp ts(int v) { tsVal = v; return this; }
        Tcp len(int v) { len = v; return this; }
        Tcp srcPort(int v) { srcPort = v; return this; }

        MemorySegment bytes() {
            int hl = tsVal >= 0 ? 32 : 20;
            MemorySegment m = MemorySegment.ofArray(new byte[hl + len]);
            NetworkOrder.putU16(m, 0, srcPort);
            NetworkOrder.putU16(m, 2, 80);
            NetworkOrder.putI32(m, 4, seq);
            NetworkOrder.putI32(m, 8, ack);
            NetworkOrder.putU8(m, 12, (hl / 4) << 4);
            NetworkOrder.putU8(m, 13, flags);
            NetworkOrder.putU16(m, 14, window);
            if (tsVal >= 0) {
                NetworkOrder.putU8(m, 20, 1);
                NetworkOrder.putU8(m, 21, 1);
                NetworkOrder.putU8(m, 22, 8);
                NetworkOrder.putU8(m, 23, 10);
                NetworkOrder.putI32(m, 24, tsVal);
                NetworkOrder.putI32(m, 28, 5);
            }
            for (int i = 0; i < len; i++) m.set(ValueLayout.JAVA_BYTE, hl + i, (byte) (seq + i));
            NetworkOrder.putU16(m, 16, Checksum.transport(m, 0, hl + len, src, DST, 6));
            return m;
        }
    }

    static Tcp tcp() {
        return new Tcp();
    }

    static byte[] payload(MemorySegment m, long off, int len) {
        int hl = (NetworkOrder.u8(m, off + 12) >>> 4) * 4;
        return m.asSlice(off + hl, len - hl).toArray(ValueLayout.JAVA_BYTE);
    }

    void offer(Tcp t) {
        offer(t, true);
    }

    void offer(Tcp t, boolean verified) {
        MemorySegment m = t.bytes();
        gro.offer(m, 0, (int) m.byteSize(), t.src, DST, verified);
    }

    @Test
    void inOrderSegmentsOfOneFlowGoUpAsOneBatchAtTheEndOfTheBurst() {
        offer(tcp().seq(SEQ));
        offer(tcp().seq(SEQ + 100));
        offer(tcp().seq(SEQ + 200));
        assertTrue(up.isEmpty(), "held until the burst ends");
        assertTrue(gro.holding());
        gro.flush();
        assertEquals(List.of("3:" + SEQ), up);
        assertEquals(2, counters.get(Counter.TCP_GRO_MERGED));
        assertFalse(gro.holding());
        byte[] all = new byte[300];
        for (int i = 0; i < 3; i++) System.arraycopy(payloads.get(i), 0, all, 100 * i, 100);
        byte[] expected = new byte[300];
        for (int i = 0; i < 300; i++) expected[i] = (byte) (SEQ + i);
        assertArrayEquals(expected, all, "the payloads, in sequence");
    }

    @Test
    void pshEndsTheBatchWithItsSegment() {
        offer(tcp().seq(SEQ));
        offer(tcp().seq(SEQ + 100).flags(ACK | PSH));
        assertEquals(List.of("2:" + SEQ), up, "PSH flushes at once");
        offer(tcp().seq(SEQ + 200));
        gro.flush();
        assertEquals(List.of("2:" + SEQ, "1:" + (SEQ + 200)), up);
    }

    @Test
    void aShorterSegmentEndsTheBatchAndALongerOneDoesNotJoin() {
        offer(tcp().seq(SEQ));
        offer(tcp().seq(SEQ + 100).len(40));
        assertEquals(List.of("2:" + SEQ), up);
        offer(tcp().seq(SEQ + 140).len(50));
        offer(tcp().seq(SEQ + 190).len(100));  // longer than the held first: no join
        gro.flush();
        assertEquals(List.of("2:" + SEQ, "1:" + (SEQ + 140), "1:" + (SEQ + 190)), up);
    }

    @Test
    void finRstSynAndUrgNeverMergeAndGoAfterTheHeldOnes() {
        for (int flag : new int[] {TcpHeader.FIN, TcpHeader.RST, TcpHeader.SYN, TcpHeader.URG, TcpHeader.ECE, TcpHeader.CWR}) {
            up.clear();
            offer(tcp().seq(SEQ));
            offer(tcp().seq(SEQ + 100));
            offer(tcp().seq(SEQ + 200).flags(ACK | flag));
            gro.flush();
            assertEquals(List.of("2:" + SEQ, "1:" + (SEQ + 200)), up, "flag 0x" + Integer.toHexString(flag));
        }
    }

    @Test
    void optionsAckOrWindowThatDifferDoNotMerge() {
        offer(tcp().seq(SEQ).ts(50));
        offer(tcp().seq(SEQ + 100).ts(50));
        offer(tcp().seq(SEQ + 200).ts(51));        // TSval moved
        offer(tcp().seq(SEQ + 300).ts(51).ack(78)); // another ACK number
        offer(tcp().seq(SEQ + 400).ts(51).ack(78).window(999));
        offer(tcp().seq(SEQ + 500));                // no timestamps at all
        gro.flush();
        assertEquals(List.of("2:" + SEQ, "1:" + (SEQ + 200), "1:" + (SEQ + 300), "1:" + (SEQ + 400), "1:" + (SEQ + 500)), up);
    }

    @Test
    void aGapOrARetransmissionDoesNotJoin() {
        offer(tcp().seq(SEQ));
        offer(tcp().seq(SEQ + 200));  // a hole at SEQ + 100
        offer(tcp().seq(SEQ + 200));  // the same again
        gro.flush();
        assertEquals(List.of("1:" + SEQ, "1:" + (SEQ + 200), "1:" + (SEQ + 200)), up);
        assertEquals(0, counters.get(Counter.TCP_GRO_MERGED));
    }

    @Test
    void pureAcksPassAndOfTheHeldFlowGoAfterIt() {
        offer(tcp().seq(SEQ));
        offer(tcp().seq(SEQ + 100));
        offer(tcp().seq(1).srcPort(6000).len(0));  // another flow's ACK: passes, the held stay
        assertEquals(List.of("1:1"), up);
        offer(tcp().seq(SEQ + 200).len(0));          // the held flow's ACK: after its data
        assertEquals(List.of("1:1", "2:" + SEQ, "1:" + (SEQ + 200)), up);
    }

    @Test
    void anotherFlowsDataTakesThePlace() {
        offer(tcp().seq(SEQ));
        offer(tcp().seq(SEQ + 100));
        offer(tcp().seq(5).srcPort(6000));
        offer(tcp().seq(105).srcPort(6000));
        gro.flush();
        assertEquals(List.of("2:" + SEQ, "2:5"), up);
    }

    @Test
    void aBadChecksumIsNeverMergedSoTcpDropsIt() {
        offer(tcp().seq(SEQ));
        Tcp bad = tcp().seq(SEQ + 100);
        MemorySegment m = bad.bytes();
        m.set(ValueLayout.JAVA_BYTE, 40, (byte) 0x7F);  // a payload byte changed after the checksum
        gro.offer(m, 0, (int) m.byteSize(), SRC, DST, false);
        gro.flush();
        assertEquals(List.of("1:" + SEQ, "1:" + (SEQ + 100)), up);
    }

    @Test
    void aBatchStopsAtSixtyFourSegments() {
        for (int i = 0; i < 65; i++) offer(tcp().seq(SEQ + 100 * i));
        assertEquals(List.of("64:" + SEQ), up);
        gro.flush();
        assertEquals(List.of("64:" + SEQ, "1:" + (SEQ + 6400)), up);
    }
}
