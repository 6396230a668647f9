package io.dmm.stack.userspace.tcp;

import static io.dmm.stack.userspace.tcp.Seg.seg;
import static io.dmm.stack.userspace.tcp.TcpDataTest.text;
import static io.dmm.stack.userspace.tcp.TcpHarness.PEER_ISS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.Counter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** RTO (RFC 6298), fast retransmit/NewReno (RFC 5681/6582), SACK-based retransmission (RFC 6675). */
class TcpRecoveryTest {
    static final int MSS = 1000;

    /** A connection whose peer announced MSS 1000 and a 64 KiB window; Nagle off. */
    static TcpConnection open(TcpHarness t, boolean sack) {
        Seg syn = seg().syn().mss(MSS).window(65535);
        if (sack) syn.sackPerm();
        TcpConnection c = t.acceptWith(t.listen(), syn);
        t.run(() -> c.setNoDelay(true));
        return c;
    }

    @Test
    void rtoBacksOffExponentiallyAndStopsWhenAllAcked() {
        TcpHarness t = new TcpHarness(TcpConfig.builder().minRto(Duration.ofMillis(200)).build());
        TcpConnection c = open(t, false);
        int iss = c.iss;
        assertEquals(200_000_000L, c.rttEstimator().rtoNanos()); // a 0 ns sample: the floor
        t.write(c, "data");
        t.expect(seg().psh().seq(iss + 1).payload("data"));
        t.advance(199);
        t.expectNothing();
        t.advance(1);
        t.expect(seg().seq(iss + 1).payload("data"));
        t.advance(399);
        t.expectNothing();
        t.advance(1);
        t.expect(seg().seq(iss + 1).payload("data"));
        assertEquals(2, t.count(Counter.TCP_RTO_TIMEOUTS));
        assertEquals(2, t.count(Counter.TCP_RETRANSMITS));
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(iss + 5));
        t.advance(10_000);
        t.expectNothing();
        assertEquals(Long.MAX_VALUE, t.locked(t.stack::nextDeadline));
    }

    @Test
    void timerRestartedByNewAckNotByDuplicates() {
        TcpHarness t = new TcpHarness(TcpConfig.builder().minRto(Duration.ofMillis(100)).build());
        TcpConnection c = open(t, false);
        int iss = c.iss;
        t.write(c, text(2 * MSS));
        t.expect(seg().seq(iss + 1).len(MSS));
        t.expect(seg().seq(iss + 1 + MSS).len(MSS));
        t.advance(20);
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(iss + 1)); // a duplicate: no restart
        t.advance(30);
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(iss + 1 + MSS)); // new data at 50 ms: restart
        long rto = (c.rttEstimator().rtoNanos() + 999_999) / 1_000_000; // whole ms, rounded up: the timer is due by then
        assertTrue(rto > 50, "rto " + rto);
        t.advance(50); // the original deadline (100 ms) passes
        t.expectNothing();
        t.advance(rto - 51);
        t.expectNothing();
        t.advance(1);
        t.expect(seg().seq(iss + 1 + MSS).len(MSS));
    }

    @Test
    void duplicateAcksDoNotPostponeTheTimer() {
        TcpHarness t = new TcpHarness(TcpConfig.builder().minRto(Duration.ofMillis(100)).build());
        TcpConnection c = open(t, false);
        t.write(c, "abc");
        t.expect(seg().payload("abc"));
        for (int i = 0; i < 9; i++) {
            t.advance(10);
            t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(c.iss + 1));
        }
        t.advance(10);
        t.expect(seg().payload("abc"));
    }

    @Test
    void dataRetriesExhaustedDropsConnection() {
        TcpHarness t = new TcpHarness(TcpConfig.builder().dataRetries(3).minRto(Duration.ofMillis(10)).build());
        TcpConnection c = open(t, false);
        t.write(c, "x");
        t.expect(seg().psh());
        t.advance(10 + 20 + 40);
        t.expect(seg().payload("x"));
        t.expect(seg().payload("x"));
        t.expect(seg().payload("x"));
        assertEquals(TcpState.ESTABLISHED, c.state());
        t.advance(80);
        t.expect(seg().rstAck());
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals("Connection timed out", t.readError(c).getMessage());
        assertEquals(1, t.count(Counter.TCP_CONNECTION_TIMEOUTS));
    }

    @Test
    void fastRetransmitOnThirdDupAckAndNewRenoPartialAck() {
        TcpHarness t = new TcpHarness();
        TcpConnection c = open(t, false);
        int s = c.iss + 1;
        t.write(c, text(6 * MSS));
        for (int i = 0; i < 6; i++) t.expect(seg().seq(s + i * MSS).len(MSS));
        // segments 1 and 3 lost: the peer acks 0, then duplicates for 2, 4, 5
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(s + MSS));
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(s + MSS));
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(s + MSS));
        t.expectNothing();
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(s + MSS));
        t.expect(seg().seq(s + MSS).len(MSS));
        assertEquals(1, t.count(Counter.TCP_FAST_RETRANSMITS));
        assertTrue(c.inRecovery);
        // partial ACK up to the second hole: retransmit it at once (RFC 6582)
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(s + 3 * MSS));
        t.expect(seg().seq(s + 3 * MSS).len(MSS));
        assertTrue(c.inRecovery);
        // full ACK ends recovery
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(s + 6 * MSS));
        assertFalse(c.inRecovery);
        assertEquals(0, t.count(Counter.TCP_RTO_TIMEOUTS));
    }

    @Test
    void cwndLimitsBytesInFlight() {
        TcpHarness t = new TcpHarness(TcpConfig.builder().initialCwndSegments(2).build());
        TcpConnection c = open(t, false);
        int s = c.iss + 1;
        t.write(c, text(10 * MSS));
        t.expect(seg().seq(s).len(MSS));
        t.expect(seg().seq(s + MSS).len(MSS));
        t.expectNothing();
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(s + MSS)); // slow start: +1 MSS per MSS acked
        t.expect(seg().seq(s + 2 * MSS).len(MSS));
        t.expect(seg().seq(s + 3 * MSS).len(MSS));
        t.expectNothing();
    }

    @Test
    void sackRetransmitsHolesFirst() {
        TcpHarness t = new TcpHarness();
        TcpConnection c = open(t, true);
        int s = c.iss + 1;
        t.write(c, text(8 * MSS));
        for (int i = 0; i < 8; i++) t.expect(seg().seq(s + i * MSS).len(MSS));
        // lost: segments 1 and 3; SACKed: 2, 4..7
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(s + MSS));
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(s + MSS).sack(s + 2 * MSS, s + 3 * MSS));
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(s + MSS).sack(s + 4 * MSS, s + 5 * MSS, s + 2 * MSS, s + 3 * MSS));
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(s + MSS).sack(s + 4 * MSS, s + 7 * MSS, s + 2 * MSS, s + 3 * MSS));
        t.expect(seg().seq(s + MSS).len(MSS)); // fast retransmit of the first hole
        t.expect(seg().seq(s + 3 * MSS).len(MSS)); // then the next hole from the scoreboard
        assertTrue(t.count(Counter.TCP_SACK_RETRANSMITS) >= 1);
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(s + 8 * MSS));
        assertFalse(c.inRecovery);
        t.advance(5000);
        t.expectNothing();
    }

    @Test
    void congestionControlChosenByConfig() {
        TcpHarness t = new TcpHarness(TcpConfig.builder().congestion(TcpConfig.Congestion.CUBIC).build());
        assertEquals("cubic", open(t, false).congestionControl().name());
        TcpHarness r = new TcpHarness();
        assertEquals("newreno", open(r, false).congestionControl().name());
    }

    @Test
    void checksumLeftToDeviceWithOffload() {
        TcpHarness t = new TcpHarness();
        t.egress.offload = true;
        t.listen();
        t.send(seg().syn().seq(PEER_ISS).mss(1460));
        FakeEgress.Packet p = t.egress.sent.pollFirst();
        assertEquals(0, (p.l4()[16] << 8 | (p.l4()[17] & 0xFF)));
    }
}
