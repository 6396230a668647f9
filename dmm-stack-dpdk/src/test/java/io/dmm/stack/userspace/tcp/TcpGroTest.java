package io.dmm.stack.userspace.tcp;

import static io.dmm.stack.userspace.tcp.Seg.seg;
import static io.dmm.stack.userspace.tcp.TcpHarness.LOCAL;
import static io.dmm.stack.userspace.tcp.TcpHarness.PEER_ISS;
import static io.dmm.stack.userspace.tcp.TcpHarness.REMOTE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.iface.SegmentBatch;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * Segments merged by GRO reach TCP as one: one pass through the engine, one ACK for all of them,
 * and the bytes in order, also when the first of them overlaps data already received.
 */
class TcpGroTest {
    final TcpHarness t = new TcpHarness();

    static String text(int from, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = from; i < from + n; i++) b.append((char) ('a' + i % 26));
        return b.toString();
    }

    /** {@code n} data segments of {@code size} bytes from {@code seq} (stream offset {@code from}), as GRO merges them. */
    SegmentBatch batch(int seq, int from, int size, int n, int ack) {
        SegmentBatch b = new SegmentBatch(n);
        b.start(TcpHarness.REMOTE, TcpHarness.LOCAL);
        for (int i = 0; i < n; i++) {
            byte[] bytes = seg().ackOnly().seq(seq + i * size).ack(ack).window(65535).payload(text(from + i * size, size))
                    .encode(REMOTE, LOCAL, t.remotePort, t.localPort);
            b.add(MemorySegment.ofArray(bytes), 0, bytes.length);
        }
        return b;
    }

    @Test
    void threeMergedSegmentsAreAnsweredByOneAck() {
        TcpConnection c = t.accept(t.listen());
        long rx = t.count(Counter.TCP_SEGMENTS_RX);
        t.run(() -> t.stack.ingressBatch(batch(PEER_ISS + 1, 0, 1000, 3, c.iss + 1)));
        // 3,000 bytes are two full segments' worth: acknowledged at once, in one ACK
        t.expect(seg().ackOnly().seq(c.iss + 1).ack(PEER_ISS + 1 + 3000));
        t.expectNothing();
        assertEquals(text(0, 3000), t.read(c, 10_000));
        assertEquals(rx + 3, t.count(Counter.TCP_SEGMENTS_RX), "each merged segment counts as received");
    }

    @Test
    void aBatchOverlappingDataAlreadyReceivedAddsOnlyTheNewBytesInOrder() {
        TcpConnection c = t.accept(t.listen());
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(c.iss + 1).payload(text(0, 1500)));
        // from the start again: the first segment and half the second are duplicates
        t.run(() -> t.stack.ingressBatch(batch(PEER_ISS + 1, 0, 1000, 4, c.iss + 1)));
        t.expect(seg().ackOnly().ack(PEER_ISS + 1 + 4000));
        assertEquals(text(0, 4000), t.read(c, 10_000));
    }

    @Test
    void aBatchAfterAHoleIsHeldOutOfOrderAndFillsInLater() {
        TcpConnection c = t.accept(t.listen());
        t.run(() -> t.stack.ingressBatch(batch(PEER_ISS + 1 + 1000, 1000, 1000, 2, c.iss + 1)));
        t.expect(seg().ackOnly().ack(PEER_ISS + 1));  // out of order: a duplicate ACK at once
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(c.iss + 1).payload(text(0, 1000)));
        t.expect(seg().ackOnly().ack(PEER_ISS + 1 + 3000));
        assertEquals(text(0, 3000), t.read(c, 10_000));
    }
}
