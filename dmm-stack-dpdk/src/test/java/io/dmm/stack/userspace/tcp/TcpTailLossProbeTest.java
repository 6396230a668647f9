package io.dmm.stack.userspace.tcp;

import static io.dmm.stack.userspace.tcp.Seg.seg;
import static io.dmm.stack.userspace.tcp.TcpDataTest.text;
import static io.dmm.stack.userspace.tcp.TcpHarness.PEER_ISS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.stack.userspace.Counter;
import org.junit.jupiter.api.Test;

/**
 * Tail loss probes (RFC 8985 §7) at virtual time, with the default 200 ms RTO floor: the handshake's
 * RTT sample is 0, so a probe is due 10 ms after the last ACK when more than one segment is in flight.
 */
class TcpTailLossProbeTest {
    static final int MSS = 1000;

    private final TcpHarness t = new TcpHarness(TcpConfig.defaults());
    private TcpConnection c;
    private int s;

    private void open(boolean sack) {
        Seg syn = seg().syn().mss(MSS).window(65535);
        if (sack) syn.sackPerm();
        c = t.acceptWith(t.listen(), syn);
        t.run(() -> c.setNoDelay(true));
        s = c.iss + 1;
    }

    /**
     * Four segments out, the peer acknowledges two at once (virtual time: the RTT stays 0): the
     * last two were lost.
     */
    private void fourSentLastLost() {
        t.write(c, text(4 * MSS));
        for (int i = 0; i < 4; i++) t.expect(seg().seq(s + i * MSS).len(MSS));
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(s + 2 * MSS));
        t.expectNothing();
    }

    @Test
    void aLostLastSegmentIsProbedAfterTwoRttsNotAfterTheRto() {
        open(true);
        fourSentLastLost();
        t.advance(9);
        t.expectNothing();
        t.advance(1);  // 10 ms after the ACK
        t.expect(seg().seq(s + 3 * MSS).len(MSS));
        assertEquals(1, t.count(Counter.TCP_TLP_PROBES));
        assertEquals(0, t.count(Counter.TCP_RTO_TIMEOUTS));
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(s + 2 * MSS).sack(s + 3 * MSS, s + 4 * MSS));
        // the probe's ACK SACKs it; the hole (segment 3) is left to the RTO, which the probe armed
        t.advance(199);
        t.expectNothing();
        t.advance(1);
        t.expect(seg().seq(s + 2 * MSS).len(MSS));
        assertEquals(1, t.count(Counter.TCP_RTO_TIMEOUTS));
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(s + 4 * MSS));
        t.advance(10_000);
        t.expectNothing();
        assertEquals(1, t.count(Counter.TCP_TLP_PROBES), "one probe per flight");
    }

    @Test
    void aProbeThatRepairsTheTailEndsIt() {
        open(true);
        fourSentLastLost();  // say segment 3 arrived but its ACK was lost, and segment 4 was lost
        t.advance(10);
        t.expect(seg().seq(s + 3 * MSS).len(MSS));
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(s + 4 * MSS));
        t.advance(10_000);
        t.expectNothing();
        assertEquals(1, t.count(Counter.TCP_TLP_PROBES));
        assertEquals(0, t.count(Counter.TCP_RTO_TIMEOUTS), "repaired 10 ms after the ACK, not 200 ms");
    }

    @Test
    void withoutSackOrWithOneSegmentInFlightTheRtoComesFirst() {
        open(false);
        fourSentLastLost();
        t.advance(199);
        t.expectNothing();
        t.advance(1);
        t.expect(seg().seq(s + 2 * MSS).len(MSS));  // the RTO resends from the oldest unacknowledged byte
        assertEquals(0, t.count(Counter.TCP_TLP_PROBES));

        TcpHarness u = new TcpHarness(TcpConfig.defaults());
        TcpConnection one = u.acceptWith(u.listen(), seg().syn().mss(MSS).window(65535).sackPerm());
        u.run(() -> one.setNoDelay(true));
        u.write(one, "x");
        u.expect(seg().payload("x"));
        u.advance(199);
        u.expectNothing();
        u.advance(1);  // 2·SRTT + 200 ms is not shorter than the RTO: no probe
        u.expect(seg().payload("x"));
        assertEquals(0, u.count(Counter.TCP_TLP_PROBES));
        assertEquals(1, u.count(Counter.TCP_RTO_TIMEOUTS));
    }
}
