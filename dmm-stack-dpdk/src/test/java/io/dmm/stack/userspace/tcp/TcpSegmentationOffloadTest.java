package io.dmm.stack.userspace.tcp;

import static io.dmm.stack.userspace.tcp.Seg.seg;
import static io.dmm.stack.userspace.tcp.TcpHarness.PEER_ISS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.Counter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * TCP segmentation offload at virtual time: with an egress that can segment, the engine hands it
 * whole-MSS multiples as one packet with the segment size every piece must carry (the MSS, less
 * room for options), keeps Nagle for a short tail, and falls back to ordinary segments when the
 * egress cannot take a large packet now.
 */
class TcpSegmentationOffloadTest {
    final TcpHarness t = new TcpHarness();

    TcpSegmentationOffloadTest() {
        t.egress.segmentationMax = 65535;
    }

    static byte[] data(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i % 251);
        return b;
    }

    @Test
    void bulkGoesAsOnePacketPerCongestionWindowOfWholeSegments() {
        TcpConnection c = t.accept(t.listen());
        byte[] d = data(100_000);
        assertEquals(d.length, t.write(c, d));
        // the initial window: 10 segments of 1460 in one packet, no PSH (more data follows)
        Seg first = t.expect(seg().ackOnly().seq(c.iss + 1).len(14600).segmentSize(1460));
        assertEquals(Arrays.toString(Arrays.copyOfRange(d, 0, 14600)), Arrays.toString(first.payload));
        t.expectNothing();
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(c.iss + 1 + 14600).window(65535));
        Seg next = t.expect(seg().ackOnly().seq(c.iss + 1 + 14600).segmentSize(1460));
        assertTrue(next.payloadLen > 14600 && next.payloadLen % 1460 == 0, "a larger window of whole segments: " + next);
        assertEquals(Arrays.toString(Arrays.copyOfRange(d, 14600, 14600 + next.payloadLen)), Arrays.toString(next.payload));
        assertEquals(2, t.count(Counter.TCP_TSO_SENDS));
        // counted as the segments the device puts on the wire (SYN-ACK included)
        assertEquals(1 + 10 + next.payloadLen / 1460, t.count(Counter.TCP_SEGMENTS_TX));
    }

    @Test
    void aShortTailWaitsForNagleAsItWouldAlone() {
        TcpConnection c = t.accept(t.listen());
        t.write(c, data(100));
        t.expect(seg().psh().seq(c.iss + 1).len(100).segmentSize(0));
        t.write(c, data(5000));
        // a short segment is unacknowledged: Nagle holds the tail, the whole segments go
        t.expect(seg().ackOnly().seq(c.iss + 101).len(4380).segmentSize(1460));
        t.expectNothing();
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(c.iss + 101).window(65535));
        t.expect(seg().psh().seq(c.iss + 101 + 4380).len(620).segmentSize(0));
    }

    @Test
    void withNoShortSegmentInFlightTheTailGoesInTheSamePacket() {
        TcpConnection c = t.accept(t.listen());
        t.write(c, data(5000));
        t.expect(seg().psh().seq(c.iss + 1).len(5000).segmentSize(1460));
        t.expectNothing();
    }

    @Test
    void withNoDelayTheTailGoesInTheSamePacketWithPsh() {
        TcpConnection c = t.accept(t.listen());
        t.run(() -> c.setNoDelay(true));
        t.write(c, data(5000));
        t.expect(seg().psh().seq(c.iss + 1).len(5000).segmentSize(1460));
        t.expectNothing();
    }

    @Test
    void segmentsLeaveRoomForTheTimestampOption() {
        TcpConnection c = t.acceptWith(t.listen(), seg().syn().mss(1460).window(65535).ts(100, 0));
        t.write(c, data(50_000));
        // 1500 - 20 (IPv4) - 32 (TCP with timestamps) = 1448 per segment
        Seg s = t.expect(seg().ackOnly().seq(c.iss + 1).len(14480).segmentSize(1448));
        assertTrue(s.hasTs, s::toString);
    }

    @Test
    void withoutALargePacketNowItSendsOrdinarySegments() {
        TcpConnection c = t.accept(t.listen());
        t.egress.refuseSegmented = true;
        t.write(c, data(5000));
        for (int i = 0; i < 3; i++) t.expect(seg().ackOnly().seq(c.iss + 1 + 1460 * i).len(1460).segmentSize(0));
        t.expect(seg().psh().seq(c.iss + 1 + 4380).len(620).segmentSize(0)); // no short segment was in flight
        t.expectNothing();
        assertEquals(0, t.count(Counter.TCP_TSO_SENDS));
    }

    @Test
    void whileUrgentDataIsPendingSegmentsAreOrdinary() {
        TcpConnection c = t.accept(t.listen());
        t.run(() -> {
            try {
                c.writeUrgent(ByteBuffer.wrap(new byte[] {7}));
                c.write(ByteBuffer.wrap(data(5000)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertTrue(t.egress.sent.size() >= 3, "the urgent byte and data segments were sent");
        for (FakeEgress.Packet p : t.egress.sent) {
            assertEquals(0, p.segmentSize(), "every segment carries its own urgent pointer");
            assertTrue(p.l4().length - 20 <= 1460);
        }
    }

    @Test
    void retransmissionsAreOrdinarySegments() {
        TcpConnection c = t.accept(t.listen());
        t.write(c, data(14600));
        t.expect(seg().psh().seq(c.iss + 1).len(14600).segmentSize(1460));
        t.advance(1100);  // the RTO (1 s initial) fires: one MSS again, as after any timeout
        t.expect(seg().ackOnly().seq(c.iss + 1).len(1460).segmentSize(0));
    }
}
