package io.dmm.stack.userspace.tcp;

import static io.dmm.stack.userspace.tcp.Seg.seg;
import static io.dmm.stack.userspace.tcp.TcpHarness.PEER_ISS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.Counter;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Data transfer: ACK policy, Nagle, windows, zero window, MSS, PAWS, half-close, RST on close. */
class TcpDataTest {
    final TcpHarness t = new TcpHarness();

    static String text(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) b.append((char) ('a' + i % 26));
        return b.toString();
    }

    @Test
    void dataBothWaysWithDelayedAck() {
        TcpConnection c = t.accept(t.listen());
        int iss = c.iss;
        t.send(seg().psh().seq(PEER_ISS + 1).ack(iss + 1).payload("hello"));
        t.expectNothing(); // delayed
        assertEquals(SelectionKey.OP_READ | SelectionKey.OP_WRITE, t.locked(c::readyOps));
        t.advance(39);
        t.expectNothing();
        t.advance(1);
        t.expect(seg().ackOnly().seq(iss + 1).ack(PEER_ISS + 6));
        assertEquals(1, t.count(Counter.TCP_DELAYED_ACKS));
        assertEquals("hello", t.read(c, 100));
        t.expectNothing(); // already acknowledged
        assertEquals(5, t.write(c, "world"));
        t.expect(seg().psh().seq(iss + 1).ack(PEER_ISS + 6).payload("world"));
        assertEquals(0, t.readCount(c, 10));
    }

    @Test
    void aReadThatDrainsAShortSegmentAcksAtOnce() {
        // Linux's tcp_cleanup_rbuf: the sender's Nagle may hold its next short segment for this ACK
        TcpConnection c = t.accept(t.listen());
        t.send(seg().psh().seq(PEER_ISS + 1).ack(c.iss + 1).payload("hello"));
        t.expectNothing();
        assertEquals("hel", t.read(c, 3));
        t.expectNothing(); // not drained yet
        assertEquals("lo", t.read(c, 100));
        t.expect(seg().ackOnly().ack(PEER_ISS + 6));
        t.advance(100);
        t.expectNothing(); // the delayed ACK it replaced
        assertEquals(0, t.count(Counter.TCP_DELAYED_ACKS));
    }

    @Test
    void inDelayedAckModeADrainingReadLeavesTheAckToTheTimer() {
        TcpConnection c = t.accept(t.listen());
        t.run(() -> c.setQuickAck(false));
        t.send(seg().psh().seq(PEER_ISS + 1).ack(c.iss + 1).payload("hello"));
        assertEquals("hello", t.read(c, 100));
        t.expectNothing();
        t.advance(40);
        t.expect(seg().ackOnly().ack(PEER_ISS + 6));
        assertEquals(1, t.count(Counter.TCP_DELAYED_ACKS));
    }

    @Test
    void aDrainingReadOfFullSegmentsWaitsForTheSecondOrTheTimer() {
        TcpConnection c = t.accept(t.listen());
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(c.iss + 1).payload(text(1460)));
        assertEquals(1460, t.readCount(c, 10_000));
        t.expectNothing(); // one full segment, no short one: Linux too keeps delaying
        t.advance(40);
        t.expect(seg().ackOnly().ack(PEER_ISS + 1461));
    }

    @Test
    void piggybackedAckCancelsDelayedAck() {
        TcpConnection c = t.accept(t.listen());
        t.send(seg().psh().seq(PEER_ISS + 1).ack(c.iss + 1).payload("ping"));
        t.write(c, "pong");
        t.expect(seg().psh().ack(PEER_ISS + 5).payload("pong"));
        t.send(seg().ackOnly().seq(PEER_ISS + 5).ack(c.iss + 5));
        t.advance(100);
        t.expectNothing();
    }

    @Test
    void ackEverySecondFullSegment() {
        TcpConnection c = t.accept(t.listen());
        String s = text(1460);
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(c.iss + 1).payload(s));
        t.expectNothing();
        t.send(seg().ackOnly().seq(PEER_ISS + 1 + 1460).ack(c.iss + 1).payload(s));
        t.expect(seg().ackOnly().ack(PEER_ISS + 1 + 2920));
    }

    @Test
    void outOfOrderAckedAtOnceWithSackMostRecentFirst() {
        TcpListener l = t.listen();
        TcpConnection c = t.acceptWith(l, seg().syn().mss(1460).sackPerm().ts(100, 0));
        int iss = c.iss;
        int base = PEER_ISS + 1;
        t.send(seg().ackOnly().seq(base + 100).ack(iss + 1).ts(102, 0).payload(text(100)));
        Seg a = t.expect(seg().ackOnly().ack(base).sack(base + 100, base + 200));
        t.send(seg().ackOnly().seq(base + 300).ack(iss + 1).ts(103, 0).payload(text(50)));
        t.expect(seg().ackOnly().ack(base).sack(base + 300, base + 350, base + 100, base + 200));
        assertEquals(2, t.count(Counter.TCP_OUT_OF_ORDER));
        // filling the first hole: immediate ACK, one block left
        t.send(seg().ackOnly().seq(base).ack(iss + 1).ts(104, 0).payload(text(100)));
        t.expect(seg().ackOnly().ack(base + 200).sack(base + 300, base + 350));
        t.send(seg().ackOnly().seq(base + 200).ack(iss + 1).ts(105, 0).payload(text(100)));
        t.expect(seg().ackOnly().ack(base + 350).sack());
        assertEquals(350, t.locked(c::available));
        assertTrue(a.hasTs);
    }

    @Test
    void atMostThreeSackBlocksWithTimestamps() {
        TcpConnection c = t.acceptWith(t.listen(), seg().syn().mss(1460).sackPerm().ts(100, 0));
        int base = PEER_ISS + 1;
        for (int i = 1; i <= 4; i++) {
            t.send(seg().ackOnly().seq(base + 200 * i).ack(c.iss + 1).ts(100 + i, 0).payload(text(100)));
        }
        Seg last = null;
        for (int i = 0; i < 4; i++) last = t.recv();
        assertEquals(6, last.sack.length);
        assertEquals(base + 800, last.sack[0]);
        assertEquals(base + 600, last.sack[2]);
    }

    @Test
    void nagleHoldsSmallSegmentWhileUnackedNoDelaySendsAtOnce() {
        TcpConnection c = t.accept(t.listen());
        int iss = c.iss;
        t.write(c, "a");
        t.expect(seg().psh().seq(iss + 1).payload("a"));
        t.write(c, "b");
        t.write(c, "c");
        t.expectNothing();
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(iss + 2));
        t.expect(seg().psh().seq(iss + 2).payload("bc"));

        TcpHarness h = new TcpHarness();
        TcpConnection d = h.accept(h.listen());
        h.run(() -> d.setNoDelay(true));
        h.write(d, "a");
        h.write(d, "b");
        h.expect(seg().psh().payload("a"));
        h.expect(seg().psh().payload("b"));
    }

    @Test
    void peerMssLimitsSegmentsAndDefaultIs536() {
        TcpConnection c = t.acceptWith(t.listen(), seg().syn().mss(500));
        t.write(c, text(1200));
        t.expect(seg().ackOnly().len(500));
        t.expect(seg().ackOnly().len(500));
        t.expect(seg().psh().len(200)); // no short segment in flight: Nagle (Minshall's, as Linux) lets it go
        t.write(c, "x");
        t.expectNothing(); // now one is
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(c.iss + 1201));
        t.expect(seg().psh().payload("x"));
    }

    @Test
    void noMssOptionMeans536() {
        TcpListener l = t.listen();
        t.send(seg().syn().seq(PEER_ISS).mss(-1));
        Seg sa = t.expect(seg().synAck());
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(sa.seq + 1));
        TcpConnection c = t.locked(l::accept);
        t.run(() -> c.setNoDelay(true));
        t.write(c, text(600));
        t.expect(seg().ackOnly().len(536));
        t.expect(seg().psh().len(64));
    }

    @Test
    void mssFromMtuAndConfig() {
        TcpHarness h = new TcpHarness();
        h.egress.mtu = 9000;
        h.listen();
        h.send(seg().syn().seq(PEER_ISS).mss(1460));
        h.expect(seg().synAck().mss(8960));
    }

    @Test
    void windowScalingAppliedAfterSynOnly() {
        TcpConnection c = t.acceptWith(t.listen(), seg().syn().mss(1460).wscale(2).window(1000));
        // the handshake ACK's window (1000) is scaled: 4000 bytes
        assertEquals(4000, c.sendWindow());
        t.run(() -> c.setNoDelay(true));
        t.write(c, text(10_000));
        t.expect(seg().len(1460));
        t.expect(seg().len(1460));
        t.expectNothing(); // 1080 bytes of window left: sender SWS avoidance waits (< half the max window)
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(c.iss + 1 + 2920).window(1000));
        t.expect(seg().len(1460));
        t.expect(seg().len(1460));
        // our own advertisements are scaled by 3 (256 KiB buffer); the window starts at 64 KiB (auto-tuning),
        // so its right edge stays where the SYN-ACK's 65,535 put it
        t.send(seg().psh().seq(PEER_ISS + 1).ack(c.iss + 1).window(1000).payload(text(3000)));
        Seg ack = t.expect(seg().ackOnly().ack(PEER_ISS + 3001));
        assertEquals((65_535 - 3000) >> 3, ack.window);
    }

    @Test
    void zeroWindowProbesWithBackoffThenResume() {
        TcpConnection c = t.acceptWith(t.listen(), seg().syn().mss(1000).window(1000));
        int iss = c.iss;
        t.write(c, text(3000));
        t.expect(seg().len(1000).seq(iss + 1));
        t.expectNothing();
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(iss + 1001).window(0));
        t.expectNothing();
        long rto = c.rttEstimator().rtoNanos() / 1_000_000;
        t.advance(rto);
        t.expect(seg().ackOnly().seq(iss + 1000).len(0)); // probe: SND.UNA − 1
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(iss + 1001).window(0));
        t.advance(2 * rto - 1);
        t.expectNothing();
        t.advance(1);
        t.expect(seg().ackOnly().seq(iss + 1000).len(0));
        assertEquals(2, t.count(Counter.TCP_ZERO_WINDOW_PROBES));
        // the window opens: data flows again
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(iss + 1001).window(1000));
        t.expect(seg().seq(iss + 1001).len(1000));
    }

    @Test
    void receiverZeroWindowAnswersProbesAndUpdatesAfterRead() {
        TcpSocketOptions o = new TcpSocketOptions();
        o.receiveBufferSize = 4000;
        TcpListener l = t.locked(() -> t.stack.listen(TcpHarness.LOCAL, 80, 8, o));
        TcpConnection c = t.acceptWith(l, seg().syn().mss(1000));
        int iss = c.iss;
        int base = PEER_ISS + 1;
        for (int i = 0; i < 4; i++) t.send(seg().ackOnly().seq(base + 1000 * i).ack(iss + 1).payload(text(1000)));
        t.expect(seg().ackOnly().ack(base + 2000));
        t.expect(seg().ackOnly().ack(base + 4000).window(0));
        // a probe into the zero window is answered with the (still zero) window
        t.send(seg().ackOnly().seq(base + 4000).ack(iss + 1).payload("x"));
        t.expect(seg().ackOnly().ack(base + 4000).window(0));
        // the application reads: a window update goes out at once
        assertEquals(4000, t.readCount(c, 10_000));
        t.expect(seg().ackOnly().ack(base + 4000).window(4000));
        t.send(seg().ackOnly().seq(base + 4000).ack(iss + 1).payload(text(1000)));
        assertEquals(1000, t.locked(c::available));
    }

    @Test
    void smallReadsDoNotSendTinyWindowUpdates() {
        TcpSocketOptions o = new TcpSocketOptions();
        o.receiveBufferSize = 4000;
        TcpListener l = t.locked(() -> t.stack.listen(TcpHarness.LOCAL, 80, 8, o));
        TcpConnection c = t.acceptWith(l, seg().syn().mss(1000));
        int base = PEER_ISS + 1;
        for (int i = 0; i < 4; i++) t.send(seg().ackOnly().seq(base + 1000 * i).ack(c.iss + 1).payload(text(1000)));
        t.drain();
        assertEquals(100, t.readCount(c, 100));
        t.expectNothing(); // 100 bytes < min(buffer/2, MSS): receiver SWS avoidance
        assertEquals(1900, t.readCount(c, 1900));
        t.expect(seg().ackOnly().window(2000));
    }

    @Test
    void pawsDropsOldTimestampWithAck() {
        TcpConnection c = t.acceptWith(t.listen(), seg().syn().mss(1460).ts(100, 0));
        int base = PEER_ISS + 1;
        t.send(seg().psh().seq(base).ack(c.iss + 1).ts(200, 0).payload("new"));
        assertEquals("new", t.read(c, 10));
        t.send(seg().psh().seq(base + 3).ack(c.iss + 1).ts(150, 0).payload("old"));
        t.expect(seg().ackOnly().ack(base + 3).ts(null, 200));
        assertEquals(1, t.count(Counter.DROP_TCP_PAWS));
        assertEquals(0, t.locked(c::available));
        // a peer that stops sending timestamps is tolerated
        t.send(seg().psh().seq(base + 3).ack(c.iss + 1).payload("nots"));
        assertEquals("nots", t.read(c, 10));
    }

    @Test
    void timestampsInEverySegmentOnceNegotiated() {
        TcpConnection c = t.acceptWith(t.listen(), seg().syn().mss(1460).ts(100, 0));
        t.write(c, "x");
        Seg d = t.expect(seg().psh());
        assertTrue(d.hasTs);
        assertEquals(101, (int) d.tsEcr); // TS.Recent from the handshake ACK
        t.advance(5);
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(c.iss + 2).ts(300, d.tsVal));
        t.write(c, "y");
        Seg e = t.expect(seg().psh());
        assertEquals(300, (int) e.tsEcr);
        assertEquals(d.tsVal + 5, (int) e.tsVal);
    }

    @Test
    void halfCloseOurSide() {
        TcpConnection c = t.accept(t.listen());
        int iss = c.iss;
        t.run(c::shutdownOutput);
        t.expect(seg().fin().seq(iss + 1));
        assertEquals("Broken pipe", t.writeError(c).getMessage());
        t.send(seg().psh().seq(PEER_ISS + 1).ack(iss + 2).payload("still"));
        assertEquals(TcpState.FIN_WAIT_2, c.state());
        assertEquals("still", t.read(c, 10));
        t.expect(seg().ackOnly().ack(PEER_ISS + 6)); // the read drained a short segment
        t.send(seg().fin().seq(PEER_ISS + 6).ack(iss + 2));
        t.expect(seg().ackOnly().ack(PEER_ISS + 7));
        assertEquals(TcpState.TIME_WAIT, c.state());
    }

    @Test
    void halfClosePeerSide() {
        TcpConnection c = t.accept(t.listen());
        t.send(seg().fin().seq(PEER_ISS + 1).ack(c.iss + 1).payload("bye"));
        t.expect(seg().ackOnly().ack(PEER_ISS + 5));
        assertEquals("bye", t.read(c, 10));
        assertNull(t.read(c, 10));
        t.write(c, "reply");
        t.expect(seg().psh().payload("reply"));
        assertEquals(TcpState.CLOSE_WAIT, c.state());
    }

    @Test
    void shutdownInputDiscards() {
        TcpConnection c = t.accept(t.listen());
        t.send(seg().psh().seq(PEER_ISS + 1).ack(c.iss + 1).payload("abc"));
        t.run(c::shutdownInput);
        assertNull(t.read(c, 10));
        t.send(seg().psh().seq(PEER_ISS + 4).ack(c.iss + 1).payload("def"));
        assertEquals(0, t.locked(c::available));
        assertNull(t.read(c, 10));
    }

    @Test
    void lingerZeroCloseSendsRst() {
        TcpConnection c = t.accept(t.listen());
        t.run(() -> c.setLingerSeconds(0));
        t.run(c::close);
        t.expect(seg().rstAck().seq(c.iss + 1).ack(PEER_ISS + 1));
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(0, t.stack.tableSize());
    }

    @Test
    void closeWithUnreadDataSendsRst() {
        TcpConnection c = t.accept(t.listen());
        t.send(seg().psh().seq(PEER_ISS + 1).ack(c.iss + 1).payload("unread"));
        t.run(c::close);
        t.expect(seg().rstAck().ack(PEER_ISS + 7));
        assertEquals(TcpState.CLOSED, c.state());
    }

    @Test
    void dataAfterCloseIsAnsweredWithRst() {
        TcpConnection c = t.accept(t.listen());
        t.run(c::close);
        t.expect(seg().fin());
        t.send(seg().psh().seq(PEER_ISS + 1).ack(c.iss + 2).payload("late"));
        t.expect(seg().rstAck());
        assertEquals(TcpState.CLOSED, c.state());
    }

    @Test
    void closeSendsQueuedDataThenFin() {
        TcpConnection c = t.accept(t.listen());
        t.write(c, "last words");
        t.expect(seg().psh().payload("last words"));
        t.write(c, "more");
        t.run(c::close);
        t.expect(seg().flags(TcpHarness.FIN | TcpHarness.PSH | TcpHarness.ACK).payload("more"));
        assertEquals(TcpState.FIN_WAIT_1, c.state());
    }

    @Test
    void noTransmitBufferRetriesLater() {
        TcpConnection c = t.accept(t.listen());
        t.egress.failBegins = 1;
        assertEquals(4, t.write(c, "data"));
        t.expectNothing();
        t.advance(1);
        t.expect(seg().psh().payload("data"));
    }

    @Test
    void keepAliveProbesAndTimeout() {
        TcpHarness h = new TcpHarness(TcpConfig.builder().keepAliveIdle(Duration.ofSeconds(10))
                .keepAliveInterval(Duration.ofSeconds(1)).keepAliveProbes(3).build());
        TcpSocketOptions o = new TcpSocketOptions();
        o.keepAlive = true;
        TcpListener l = h.locked(() -> h.stack.listen(TcpHarness.LOCAL, 80, 8, o));
        TcpConnection c = h.accept(l);
        int iss = c.iss;
        h.advance(9_999);
        h.expectNothing();
        h.advance(1);
        h.expect(seg().ackOnly().seq(iss).len(0));
        h.send(seg().ackOnly().seq(PEER_ISS + 1).ack(iss + 1)); // answered: idle again
        h.advance(9_999);
        h.expectNothing();
        h.advance(1);
        h.expect(seg().ackOnly().seq(iss));
        h.advance(1000);
        h.expect(seg().ackOnly().seq(iss));
        h.advance(1000);
        h.expect(seg().ackOnly().seq(iss));
        assertEquals(TcpState.ESTABLISHED, c.state());
        h.advance(1000);
        h.expect(seg().rstAck());
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals("Connection timed out", h.readError(c).getMessage());
        assertEquals(4, h.count(Counter.TCP_KEEPALIVES_SENT));
    }

    @Test
    void keepAliveOffByDefault() {
        TcpConnection c = t.accept(t.listen());
        t.advance(3 * 3600 * 1000L);
        t.expectNothing();
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertEquals(Long.MAX_VALUE, t.locked(t.stack::nextDeadline));
    }

    @Test
    void windowClosingWithDataInFlightProbesInsteadOfTimingOut() {
        TcpHarness h = new TcpHarness(TcpConfig.builder().dataRetries(2).build());
        TcpConnection c = h.acceptWith(h.listen(), seg().syn().mss(1000).window(3000));
        int iss = c.iss;
        h.run(() -> c.setNoDelay(true));
        h.write(c, text(3000));
        h.expect(seg().len(1000));
        h.expect(seg().len(1000));
        h.expect(seg().len(1000));
        // the first 1000 bytes are acked, the window closes: 2000 bytes outstanding beyond it
        h.send(seg().ackOnly().seq(PEER_ISS + 1).ack(iss + 1001).window(0));
        for (int i = 0; i < 12; i++) { // well past dataRetries timeouts: probes, never a drop
            for (int k = 0; k < 61 && h.egress.sent.isEmpty(); k++) h.advance(1000);
            Seg probe = h.recv();
            assertEquals(0, probe.payloadLen);
            h.drain();
            h.send(seg().ackOnly().seq(PEER_ISS + 1).ack(iss + 1001).window(0));
        }
        assertEquals(TcpState.ESTABLISHED, c.state());
        h.send(seg().ackOnly().seq(PEER_ISS + 1).ack(iss + 1001).window(3000));
        h.expect(seg().seq(iss + 1001).len(1000));
        h.expect(seg().seq(iss + 2001).len(1000));
    }

    @Test
    void listenerClosedDuringHandshakeResetsLateCompletion() {
        TcpListener l = t.listen();
        t.send(seg().syn().seq(PEER_ISS).mss(1460));
        Seg sa = t.expect(seg().synAck());
        t.run(l::close);
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(sa.seq + 1));
        t.expect(seg().rstAck());
        assertEquals(0, t.stack.tableSize());
    }

    @Test
    void senderSwsHoldEndsByOverrideTimer() {
        TcpConnection c = t.acceptWith(t.listen(), seg().syn().mss(1000).window(4000));
        int iss = c.iss;
        t.run(() -> c.setNoDelay(true));
        t.write(c, text(8000));
        for (int i = 0; i < 4; i++) t.expect(seg().len(1000));
        // all acked, but the peer's window is only 300 bytes: below MSS and half the max window
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(iss + 4001).window(300));
        t.expectNothing();
        t.advance(10);
        t.expect(seg().seq(iss + 4001).len(300));
    }

    @Test
    void timestampsNeverGoBackwardsWhenCallersPassAnOlderNow() {
        TcpConnection c = t.acceptWith(t.listen(), seg().syn().mss(1460).ts(100, 0));
        int later = c.tsNow(t.now() + 5_000_000L);
        assertEquals(later, c.tsNow(t.now())); // an application thread's older clock reading
        assertEquals(later + 1, c.tsNow(t.now() + 6_000_000L));
    }
}
