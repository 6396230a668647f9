package io.dmm.stack.userspace.tcp;

import static io.dmm.stack.userspace.tcp.Seg.seg;
import static io.dmm.stack.userspace.tcp.TcpDataTest.text;
import static io.dmm.stack.userspace.tcp.TcpHarness.PEER_ISS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.Counter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Spurious retransmission timeouts detected with timestamps (Eifel, RFC 3522) and undone (RFC
 * 4015), at virtual time: the peer's ACK of the original transmission arrives after the timeout
 * fired, as when a CPU stall delays it.
 */
class TcpSpuriousTimeoutTest {
    static final int MSS = 1000;
    /** What a segment carries: the MSS less the 12 bytes of the timestamps option. */
    static final int SEG = MSS - 12;

    private final TcpHarness t = new TcpHarness(TcpConfig.builder().minRto(Duration.ofMillis(100)).build());
    private TcpConnection c;
    private int s;
    /** Our TSval on the original transmissions. */
    private int originalTs;
    /** Our TSval on the timeout's retransmission. */
    private int rexmitTs;

    /** A timestamps connection with four segments in flight and the timeout fired 100 ms later. */
    private void fourSegmentsThenATimeout() {
        c = t.acceptWith(t.listen(), seg().syn().mss(MSS).window(65535).ts(100, 0));
        t.run(() -> c.setNoDelay(true));
        s = c.iss + 1;
        t.write(c, text(4 * SEG));
        originalTs = t.expect(seg().seq(s).len(SEG)).tsVal;
        for (int i = 1; i < 4; i++) t.expect(seg().seq(s + i * SEG).len(SEG));
        t.advance(100);
        rexmitTs = t.expect(seg().seq(s).len(SEG)).tsVal;
        assertTrue(SeqNum.gt(rexmitTs, originalTs), "the retransmission carries a later TSval");
        t.expectNothing();
        assertEquals(1, t.count(Counter.TCP_RTO_TIMEOUTS));
        assertTrue(c.congestionControl().cwnd() <= MSS, "the timeout's loss window: " + c.congestionControl().cwnd());
    }

    @Test
    void aLateAckOfTheOriginalMarksTheTimeoutSpuriousAndUndoesTheWindow() {
        fourSegmentsThenATimeout();
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(s + 4 * SEG).ts(101, originalTs));
        assertEquals(1, t.count(Counter.TCP_SPURIOUS_RTOS));
        assertTrue(c.congestionControl().cwnd() >= 10 * SEG, "window back to the initial 10 segments: " + c.congestionControl().cwnd());
        t.write(c, text(10 * SEG));
        for (int i = 0; i < 10; i++) t.expect(seg().seq(s + (4 + i) * SEG).len(SEG));
        t.expectNothing();
    }

    @Test
    void afterASpuriousTimeoutWhatThePeerHasIsNotSentAgain() {
        fourSegmentsThenATimeout();
        // the original first segment's ACK: the other three are in flight too, their ACKs follow
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(s + SEG).ts(101, originalTs));
        assertEquals(1, t.count(Counter.TCP_SPURIOUS_RTOS));
        t.expectNothing();
        assertEquals(1, t.count(Counter.TCP_RETRANSMITS), "no go-back-N resend of segments 2 to 4");
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(s + 4 * SEG).ts(102, originalTs));
        t.expectNothing();
        assertEquals(1, t.count(Counter.TCP_RETRANSMITS));
    }

    @Test
    void anAckOfTheRetransmissionIsARealLossAndKeepsTheLossWindow() {
        fourSegmentsThenATimeout();
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(s + SEG).ts(101, rexmitTs));
        assertEquals(0, t.count(Counter.TCP_SPURIOUS_RTOS));
        assertTrue(c.congestionControl().cwnd() < 4 * SEG, "still the loss window, grown by slow start: " + c.congestionControl().cwnd());
        // go-back-N goes on: segments 2 and 3 are resent (cwnd 2 segments after one acked)
        t.expect(seg().seq(s + SEG).len(SEG));
        t.expect(seg().seq(s + 2 * SEG).len(SEG));
        t.expectNothing();
    }

    @Test
    void withoutTimestampsNothingIsUndone() {
        c = t.acceptWith(t.listen(), seg().syn().mss(MSS).window(65535));
        t.run(() -> c.setNoDelay(true));
        s = c.iss + 1;
        t.write(c, text(2 * MSS));
        t.expect(seg().seq(s).len(MSS));
        t.expect(seg().seq(s + MSS).len(MSS));
        t.advance(100);
        t.expect(seg().seq(s).len(MSS));
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(s + 2 * MSS));
        assertEquals(0, t.count(Counter.TCP_SPURIOUS_RTOS));
        assertTrue(c.congestionControl().cwnd() < 10 * MSS);
    }
}
