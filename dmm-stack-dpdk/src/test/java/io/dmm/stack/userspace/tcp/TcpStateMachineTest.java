package io.dmm.stack.userspace.tcp;

import static io.dmm.stack.userspace.tcp.Seg.seg;
import static io.dmm.stack.userspace.tcp.TcpHarness.PEER_ISS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.Counter;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Handshakes, close paths, RST generation and processing, RFC 5961, at virtual time. */
class TcpStateMachineTest {
    final TcpHarness t = new TcpHarness();

    /** Our ISS and the connection after a plain passive open. */
    int iss;

    TcpConnection established() {
        TcpListener l = t.listen();
        t.send(seg().syn().seq(PEER_ISS).mss(1460).window(65535));
        Seg synAck = t.expect(seg().synAck().ack(PEER_ISS + 1));
        iss = synAck.seq;
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(iss + 1));
        t.expectNothing();
        return t.locked(l::accept);
    }

    @Test
    void passiveOpenAnnouncesMssAndUnscaledWindow() {
        TcpListener l = t.listen();
        t.send(seg().syn().seq(PEER_ISS).mss(1460).window(65535));
        Seg synAck = t.expect(seg().synAck().ack(PEER_ISS + 1).mss(1460).window(65535).wscale(-1).noSackPerm().noTs());
        assertEquals(0, t.locked(l::readyOps));
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(synAck.seq + 1));
        assertEquals(SelectionKey.OP_ACCEPT, t.locked(l::readyOps));
        TcpConnection c = t.locked(l::accept);
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertTrue(c.isEstablished());
        assertEquals(TcpHarness.REMOTE, c.remoteIp());
        assertEquals(TcpHarness.REMOTE_PORT, c.remotePort());
        assertEquals(1, t.count(Counter.TCP_PASSIVE_OPENS));
        assertEquals(1, t.locked(t.stack::activeConnections));
    }

    @Test
    void passiveOpenNegotiatesScalingSackTimestamps() {
        t.listen();
        t.send(seg().syn().seq(PEER_ISS).mss(1200).wscale(7).sackPerm().ts(100, 0).window(64240));
        // 256 KiB receive buffer: shift 3; the SYN-ACK's own window is never scaled
        t.expect(seg().synAck().ack(PEER_ISS + 1).mss(1460).wscale(3).sackPerm().ts(null, 100).window(65535));
    }

    @Test
    void optionsOffInConfigAreNotOffered() {
        TcpHarness h = new TcpHarness(TcpConfig.builder().sack(false).timestamps(false).windowScaling(false).mss(1000).build());
        h.listen();
        h.send(seg().syn().seq(PEER_ISS).mss(1460).wscale(7).sackPerm().ts(100, 0));
        h.expect(seg().synAck().mss(1000).wscale(-1).noSackPerm().noTs());
    }

    @Test
    void activeOpen() {
        TcpHarness.Counting n = new TcpHarness.Counting();
        TcpConnection c = t.connect(new TcpSocketOptions());
        t.run(() -> c.setNotification(n));
        Seg syn = t.expect(seg().syn().mss(1460).wscale(3).sackPerm().window(65535));
        assertTrue(syn.hasTs);
        assertEquals(0, syn.tsEcr);
        assertEquals(TcpState.SYN_SENT, c.state());
        assertEquals(0, t.locked(c::readyOps));
        t.send(seg().synAck().seq(5000).ack(syn.seq + 1).mss(1400).wscale(2).sackPerm().ts(77, syn.tsVal).window(1000));
        t.expect(seg().ackOnly().seq(syn.seq + 1).ack(5001).ts(null, 77));
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertTrue(n.count > 0);
        assertEquals(SelectionKey.OP_CONNECT | SelectionKey.OP_WRITE, t.locked(c::readyOps));
        assertEquals(1, t.count(Counter.TCP_ACTIVE_OPENS));
        assertEquals(1400 - 12, c.sendMss);
        assertEquals(1000, c.sendWindow()); // SYN-ACK window unscaled
    }

    @Test
    void simultaneousOpen() {
        TcpConnection c = t.connect(new TcpSocketOptions());
        Seg syn = t.expect(seg().syn());
        t.send(seg().syn().seq(7000).mss(1460));
        t.expect(seg().synAck().seq(syn.seq).ack(7001));
        assertEquals(TcpState.SYN_RECEIVED, c.state());
        t.send(seg().synAck().seq(7000).ack(syn.seq + 1).mss(1460));
        t.expect(seg().ackOnly().seq(syn.seq + 1).ack(7001));
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertTrue((t.locked(c::readyOps) & SelectionKey.OP_CONNECT) != 0);
    }

    @Test
    void simultaneousOpenCompletedByPlainAck() {
        TcpConnection c = t.connect(new TcpSocketOptions());
        Seg syn = t.expect(seg().syn());
        t.send(seg().syn().seq(7000).mss(1460));
        t.expect(seg().synAck().seq(syn.seq).ack(7001));
        t.send(seg().ackOnly().seq(7001).ack(syn.seq + 1));
        assertEquals(TcpState.ESTABLISHED, c.state());
    }

    @Test
    void duplicateSynInSynReceivedRetransmitsSynAck() {
        t.listen();
        t.send(seg().syn().seq(PEER_ISS).mss(1460));
        Seg sa = t.expect(seg().synAck());
        t.send(seg().syn().seq(PEER_ISS).mss(1460));
        t.expect(seg().synAck().seq(sa.seq).ack(PEER_ISS + 1));
    }

    @Test
    void synAckRetransmittedThenHalfOpenDropped() {
        TcpListener l = t.listen();
        t.send(seg().syn().seq(PEER_ISS).mss(1460));
        Seg sa = t.expect(seg().synAck());
        t.advance(1000);
        t.expect(seg().synAck().seq(sa.seq));
        assertEquals(1, t.count(Counter.TCP_SYN_RETRANSMITS));
        assertEquals(1, t.count(Counter.TCP_RTO_TIMEOUTS));
        t.advance(200_000);
        for (int i = 0; i < t.config.synRetries - 1; i++) t.expect(seg().synAck().seq(sa.seq));
        t.expectNothing();
        assertEquals(0, t.locked(t.stack::activeConnections));
        assertNull(t.locked(l::accept));
    }

    @Test
    void rstForClosedPortPerRfc9293() {
        // SYN without ACK: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
        t.send(seg().syn().seq(500));
        t.expect(seg().rstAck().seq(0).ack(501).len(0));
        // with ACK: <SEQ=SEG.ACK><CTL=RST>
        t.send(seg().ackOnly().seq(600).ack(12345).payload("abc"));
        t.expect(seg().rst().seq(12345));
        // data + FIN without ACK
        t.send(seg().flags(TcpHarness.FIN).seq(700).payload("hello"));
        t.expect(seg().rstAck().seq(0).ack(706));
        // never a RST for a RST
        t.send(seg().rst().seq(1));
        t.send(seg().rstAck().seq(1).ack(2));
        t.expectNothing();
        assertEquals(5, t.count(Counter.DROP_TCP_NO_LISTENER));
        assertEquals(3, t.count(Counter.TCP_RST_SENT));
    }

    @Test
    void ackToListenerGetsRst() {
        t.listen();
        t.send(seg().ackOnly().seq(5).ack(999));
        t.expect(seg().rst().seq(999));
        t.send(seg().rst().seq(5));
        t.expectNothing();
    }

    @Test
    void activeClose() {
        TcpConnection c = established();
        t.run(c::close);
        t.expect(seg().fin().seq(iss + 1).ack(PEER_ISS + 1));
        assertEquals(TcpState.FIN_WAIT_1, c.state());
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(iss + 2));
        assertEquals(TcpState.FIN_WAIT_2, c.state());
        t.send(seg().fin().seq(PEER_ISS + 1).ack(iss + 2));
        t.expect(seg().ackOnly().seq(iss + 2).ack(PEER_ISS + 2));
        assertEquals(TcpState.TIME_WAIT, c.state());
        assertEquals(0, t.locked(t.stack::activeConnections));
        // a retransmitted FIN in TIME_WAIT is ACKed again
        t.advance(1000);
        t.send(seg().fin().seq(PEER_ISS + 1).ack(iss + 2));
        t.expect(seg().ackOnly().seq(iss + 2).ack(PEER_ISS + 2));
        t.advance(59_999);
        assertEquals(TcpState.TIME_WAIT, c.state()); // restarted by the retransmitted FIN
        t.advance(2);
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(0, t.stack.tableSize());
        t.expectNothing();
    }

    @Test
    void finWait1ToTimeWaitOnFinAck() {
        TcpConnection c = established();
        t.run(c::close);
        t.expect(seg().fin());
        t.send(seg().fin().seq(PEER_ISS + 1).ack(iss + 2));
        t.expect(seg().ackOnly().ack(PEER_ISS + 2));
        assertEquals(TcpState.TIME_WAIT, c.state());
    }

    @Test
    void passiveClose() {
        TcpHarness.Counting n = new TcpHarness.Counting();
        TcpConnection c = established();
        t.run(() -> c.setNotification(n));
        t.send(seg().fin().seq(PEER_ISS + 1).ack(iss + 1));
        t.expect(seg().ackOnly().ack(PEER_ISS + 2));
        assertEquals(TcpState.CLOSE_WAIT, c.state());
        assertTrue(n.count > 0);
        assertEquals(-1, t.readCount(c, 10));
        t.run(c::close);
        t.expect(seg().fin().seq(iss + 1).ack(PEER_ISS + 2));
        assertEquals(TcpState.LAST_ACK, c.state());
        // LAST_ACK retransmits the FIN on timeout
        t.advance(1000);
        t.expect(seg().fin().seq(iss + 1));
        t.send(seg().ackOnly().seq(PEER_ISS + 2).ack(iss + 2));
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(0, t.stack.tableSize());
    }

    @Test
    void simultaneousCloseThroughClosingWithFinRetransmission() {
        TcpConnection c = established();
        t.run(c::close);
        t.expect(seg().fin().seq(iss + 1));
        // the peer's FIN crosses ours: it does not ACK our FIN
        t.send(seg().fin().seq(PEER_ISS + 1).ack(iss + 1));
        t.expect(seg().ackOnly().seq(iss + 2).ack(PEER_ISS + 2));
        assertEquals(TcpState.CLOSING, c.state());
        t.advance(10); // the handshake's RTT sample was 0 at virtual time: RTO = the 10 ms floor
        t.expect(seg().fin().seq(iss + 1).ack(PEER_ISS + 2));
        t.expectNothing();
        assertEquals(1, t.count(Counter.TCP_RTO_TIMEOUTS));
        t.send(seg().ackOnly().seq(PEER_ISS + 2).ack(iss + 2));
        assertEquals(TcpState.TIME_WAIT, c.state());
        t.advance(60_000);
        assertEquals(TcpState.CLOSED, c.state());
    }

    @Test
    void timeWaitAcceptsNewSynAboveRcvNxtAndRejectsOldOne() {
        TcpConnection c = established();
        t.run(c::close);
        t.expect(seg().fin());
        t.send(seg().fin().seq(PEER_ISS + 1).ack(iss + 2));
        t.expect(seg().ackOnly());
        assertEquals(TcpState.TIME_WAIT, c.state());
        // an old SYN (below RCV.NXT): treated as a SYN in a synchronized state, not a new connection
        t.send(seg().syn().seq(PEER_ISS - 100).mss(1460));
        t.expect(seg().ackOnly().ack(PEER_ISS + 2));
        assertEquals(TcpState.TIME_WAIT, c.state());
        // a new incarnation: SYN above RCV.NXT reaches the listener
        t.send(seg().syn().seq(PEER_ISS + 100_000).mss(1460));
        t.expect(seg().synAck().ack(PEER_ISS + 100_001));
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(1, t.stack.tableSize());
    }

    @Test
    void timeWaitAcceptsSynWithNewerTimestamp() {
        TcpListener l = t.listen();
        TcpConnection c = t.acceptWith(l, seg().syn().mss(1460).ts(500, 0));
        t.run(c::close);
        Seg fin = t.expect(seg().fin());
        t.send(seg().fin().seq(PEER_ISS + 1).ack(fin.seq + 1).ts(502, fin.tsVal));
        t.expect(seg().ackOnly());
        assertEquals(TcpState.TIME_WAIT, c.state());
        // lower sequence number but newer timestamp: accepted (RFC 6191)
        t.send(seg().syn().seq(10).mss(1460).ts(900, 0));
        t.expect(seg().synAck().ack(11));
        assertEquals(TcpState.CLOSED, c.state());
    }

    @Test
    void rstInEstablishedResetsConnection() {
        TcpHarness.Counting n = new TcpHarness.Counting();
        TcpConnection c = established();
        t.run(() -> c.setNotification(n));
        t.send(seg().rst().seq(PEER_ISS + 1));
        t.expectNothing();
        assertEquals(TcpState.CLOSED, c.state());
        assertTrue(n.count > 0);
        IOException e = t.readError(c);
        assertInstanceOf(SocketException.class, e);
        assertEquals("Connection reset", e.getMessage());
        assertEquals("Connection reset", t.writeError(c).getMessage());
        assertEquals(1, t.count(Counter.TCP_RST_RX));
        assertEquals(0, t.locked(t.stack::activeConnections));
    }

    /** Linux reads the bytes queued before a RST first, then reports the reset (the JDK: "Connection reset"). */
    @Test
    void bytesThatArrivedBeforeAResetAreReadFirst() {
        TcpConnection c = established();
        byte[] data = new byte[1000];
        java.util.Arrays.fill(data, (byte) 'x');
        t.send(seg().psh().seq(PEER_ISS + 1).ack(iss + 1).payload(data));
        t.send(seg().rst().seq(PEER_ISS + 1 + 1000));
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(SelectionKey.OP_READ, t.locked(c::readyOps) & SelectionKey.OP_READ);
        assertEquals(1000, t.locked(c::available));
        assertEquals("x".repeat(600), t.read(c, 600));
        assertEquals("x".repeat(400), t.read(c, 1000));
        assertEquals(SelectionKey.OP_READ, t.locked(c::readyOps) & SelectionKey.OP_READ, "the reset is still to be read");
        assertEquals("Connection reset", t.readError(c).getMessage());
        assertEquals("Connection reset", t.readError(c).getMessage());
    }

    /** A device failure is no reset: the connection's unread bytes go with it (DeviceFailureTest has the channels' side). */
    @Test
    void aDeviceFailureDiscardsUnreadBytes() {
        TcpConnection c = established();
        t.send(seg().psh().seq(PEER_ISS + 1).ack(iss + 1).payload("lost"));
        t.run(() -> c.fail(new SocketException("device gone")));
        assertEquals(0, t.locked(c::available));
        assertEquals("device gone", t.readError(c).getMessage());
    }

    /** A reset connection's unread bytes are freed when the application closes it without reading them. */
    @Test
    void closingAResetConnectionFreesItsUnreadBytes() {
        TcpConnection c = established();
        t.send(seg().psh().seq(PEER_ISS + 1).ack(iss + 1).payload("unread"));
        t.send(seg().rst().seq(PEER_ISS + 1 + 6));
        assertEquals(6, t.locked(c::available));
        t.run(c::close);
        assertEquals(0, t.locked(c::available));
        t.expectNothing();
    }

    @Test
    void rstInEachClosingState() {
        // FIN_WAIT_1
        TcpConnection c = established();
        t.run(c::close);
        t.expect(seg().fin());
        t.send(seg().rst().seq(PEER_ISS + 1));
        assertEquals(TcpState.CLOSED, c.state());
        // CLOSE_WAIT
        TcpHarness h2 = new TcpHarness();
        TcpConnection c2 = h2.accept(h2.listen());
        h2.send(seg().fin().seq(PEER_ISS + 1).ack(c2.sndNxt));
        h2.expect(seg().ackOnly());
        assertEquals(TcpState.CLOSE_WAIT, c2.state());
        h2.send(seg().rst().seq(PEER_ISS + 2));
        assertEquals(TcpState.CLOSED, c2.state());
        assertEquals("Connection reset", h2.readError(c2).getMessage());
        // LAST_ACK
        TcpHarness h3 = new TcpHarness();
        TcpConnection c3 = h3.accept(h3.listen());
        h3.send(seg().fin().seq(PEER_ISS + 1).ack(c3.sndNxt));
        h3.expect(seg().ackOnly());
        h3.run(c3::close);
        h3.expect(seg().fin());
        assertEquals(TcpState.LAST_ACK, c3.state());
        h3.send(seg().rst().seq(PEER_ISS + 2));
        assertEquals(TcpState.CLOSED, c3.state());
        assertEquals(0, h3.stack.tableSize());
    }

    @Test
    void rstInFinWait2ClosingAndTimeWait() {
        TcpConnection c = established();
        t.run(c::close);
        t.expect(seg().fin());
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(iss + 2));
        assertEquals(TcpState.FIN_WAIT_2, c.state());
        t.send(seg().rst().seq(PEER_ISS + 1));
        assertEquals(TcpState.CLOSED, c.state());

        TcpHarness h = new TcpHarness();
        TcpConnection c2 = h.accept(h.listen());
        int s2 = c2.sndNxt;
        h.run(c2::close);
        h.expect(seg().fin());
        h.send(seg().fin().seq(PEER_ISS + 1).ack(s2));
        h.expect(seg().ackOnly());
        assertEquals(TcpState.CLOSING, c2.state());
        h.send(seg().rst().seq(PEER_ISS + 2));
        assertEquals(TcpState.CLOSED, c2.state());

        TcpHarness h3 = new TcpHarness();
        TcpConnection c3 = h3.accept(h3.listen());
        int s3 = c3.sndNxt;
        h3.run(c3::close);
        h3.expect(seg().fin());
        h3.send(seg().fin().seq(PEER_ISS + 1).ack(s3 + 1));
        h3.expect(seg().ackOnly());
        assertEquals(TcpState.TIME_WAIT, c3.state());
        h3.send(seg().rst().seq(PEER_ISS + 2));
        assertEquals(TcpState.CLOSED, c3.state());
        assertEquals(0, h3.stack.tableSize());
    }

    @Test
    void rstInSynReceivedReturnsToListen() {
        TcpListener l = t.listen();
        t.send(seg().syn().seq(PEER_ISS).mss(1460));
        t.expect(seg().synAck());
        t.send(seg().rst().seq(PEER_ISS + 1));
        assertEquals(0, t.stack.tableSize());
        assertNull(t.locked(l::accept));
        // the listener still works
        t.send(seg().syn().seq(PEER_ISS + 50).mss(1460));
        t.expect(seg().synAck().ack(PEER_ISS + 51));
    }

    @Test
    void rstInSynSentRefusesOnlyWithAcceptableAck() {
        TcpConnection c = t.connect(new TcpSocketOptions());
        Seg syn = t.expect(seg().syn());
        t.send(seg().rstAck().seq(0).ack(syn.seq + 5)); // unacceptable ACK: ignored (it is a RST)
        t.expectNothing();
        assertEquals(TcpState.SYN_SENT, c.state());
        t.send(seg().ackOnly().seq(0).ack(syn.seq + 5)); // unacceptable ACK without RST: answered with RST
        t.expect(seg().rst().seq(syn.seq + 5));
        t.send(seg().rstAck().seq(0).ack(syn.seq + 1));
        assertEquals(TcpState.CLOSED, c.state());
        assertInstanceOf(ConnectException.class, c.connectFailure());
        assertEquals("Connection refused", c.connectFailure().getMessage());
        assertTrue((t.locked(c::readyOps) & SelectionKey.OP_CONNECT) != 0);
    }

    @Test
    void rfc5961InWindowRstGetsChallengeAckOutOfWindowDropped() {
        TcpConnection c = established();
        t.send(seg().rst().seq(PEER_ISS + 100));
        t.expect(seg().ackOnly().seq(iss + 1).ack(PEER_ISS + 1));
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertEquals(1, t.count(Counter.TCP_CHALLENGE_ACKS));
        t.send(seg().rst().seq(PEER_ISS + 10_000_000));
        t.send(seg().rst().seq(PEER_ISS - 10));
        t.expectNothing();
        assertEquals(TcpState.ESTABLISHED, c.state());
    }

    @Test
    void rfc5961SynInEstablishedGetsChallengeAck() {
        TcpConnection c = established();
        t.send(seg().syn().seq(PEER_ISS + 5).mss(1460));
        t.expect(seg().ackOnly().seq(iss + 1).ack(PEER_ISS + 1));
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertEquals(1, t.count(Counter.TCP_CHALLENGE_ACKS));
    }

    @Test
    void rfc5961AckOutsideAcceptableRangeGetsChallengeAck() {
        TcpConnection c = established();
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(iss + 1000).payload("data"));
        t.expect(seg().ackOnly().seq(iss + 1).ack(PEER_ISS + 1)); // data was not taken
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(iss - 1_000_000));
        t.expect(seg().ackOnly().ack(PEER_ISS + 1));
        assertEquals(2, t.count(Counter.TCP_CHALLENGE_ACKS));
        assertEquals(0, t.locked(c::available));
    }

    @Test
    void challengeAcksAreRateLimitedStackWide() {
        TcpHarness h = new TcpHarness(TcpConfig.builder().challengeAcksPerSecond(2).build());
        h.accept(h.listen());
        for (int i = 0; i < 5; i++) h.send(seg().rst().seq(PEER_ISS + 100 + i));
        h.expect(seg().ackOnly());
        h.expect(seg().ackOnly());
        h.expectNothing();
        h.advance(1000);
        h.send(seg().rst().seq(PEER_ISS + 200));
        h.expect(seg().ackOnly());
        assertEquals(3, h.count(Counter.TCP_CHALLENGE_ACKS));
    }

    @Test
    void unacceptableSegmentIsAckedAndDropped() {
        TcpConnection c = established();
        t.send(seg().ackOnly().seq(PEER_ISS + 1_000_000).ack(iss + 1).payload("x"));
        t.expect(seg().ackOnly().ack(PEER_ISS + 1));
        assertEquals(1, t.count(Counter.DROP_TCP_OUT_OF_WINDOW));
        assertEquals(TcpState.ESTABLISHED, c.state());
    }

    @Test
    void connectTimesOutAfterSynRetriesWithBackoff() {
        TcpHarness h = new TcpHarness(TcpConfig.builder().synRetries(2).build());
        TcpConnection c = h.connect(new TcpSocketOptions());
        Seg syn = h.expect(seg().syn());
        h.advance(999);
        h.expectNothing();
        h.advance(1);
        h.expect(seg().syn().seq(syn.seq));
        h.advance(1999);
        h.expectNothing();
        h.advance(1);
        h.expect(seg().syn().seq(syn.seq));
        h.advance(3999);
        assertEquals(TcpState.SYN_SENT, c.state());
        h.advance(1);
        h.expectNothing();
        assertEquals(TcpState.CLOSED, c.state());
        assertInstanceOf(ConnectException.class, c.connectFailure());
        assertEquals("Connection timed out", c.connectFailure().getMessage());
        assertEquals(1, h.count(Counter.TCP_CONNECTION_TIMEOUTS));
        assertEquals(2, h.count(Counter.TCP_SYN_RETRANSMITS));
    }

    @Test
    void icmpPortUnreachableDuringSynSentRefuses() {
        TcpConnection c = t.connect(new TcpSocketOptions());
        t.expect(seg().syn());
        t.run(() -> t.stack.destinationUnreachable(1, TcpHarness.LOCAL, t.localPort, TcpHarness.REMOTE, TcpHarness.REMOTE_PORT));
        assertEquals(TcpState.SYN_SENT, c.state()); // host unreachable: soft error
        t.run(() -> t.stack.destinationUnreachable(3, TcpHarness.LOCAL, t.localPort, TcpHarness.REMOTE, TcpHarness.REMOTE_PORT));
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals("Connection refused", c.connectFailure().getMessage());
    }

    @Test
    void icmpInEstablishedIsSoft() {
        TcpConnection c = established();
        t.run(() -> t.stack.destinationUnreachable(3, TcpHarness.LOCAL, TcpHarness.LOCAL_PORT, TcpHarness.REMOTE, TcpHarness.REMOTE_PORT));
        assertEquals(TcpState.ESTABLISHED, c.state());
    }

    @Test
    void fullAcceptQueueDropsSyns() {
        TcpListener l = t.locked(() -> t.stack.listen(TcpHarness.LOCAL, 80, 2, new TcpSocketOptions()));
        for (int i = 0; i < 2; i++) {
            t.remotePort = 40000 + i;
            t.send(seg().syn().seq(PEER_ISS).mss(1460));
            Seg sa = t.expect(seg().synAck());
            t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(sa.seq + 1));
        }
        t.remotePort = 40002;
        t.send(seg().syn().seq(PEER_ISS).mss(1460));
        t.expectNothing();
        assertEquals(1, t.count(Counter.DROP_TCP_BACKLOG_FULL));
        assertNotNull(t.locked(l::accept));
        assertNotNull(t.locked(l::accept));
        assertNull(t.locked(l::accept));
    }

    @Test
    void handshakeAckIntoFullAcceptQueueIsDroppedUntilThereIsRoom() {
        TcpListener l = t.locked(() -> t.stack.listen(TcpHarness.LOCAL, 80, 2, new TcpSocketOptions()));
        for (int port : new int[] {40000, 40001}) {
            t.remotePort = port;
            t.send(seg().syn().seq(PEER_ISS).mss(1460));
            Seg sa = t.expect(seg().synAck());
            t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(sa.seq + 1));
        }
        t.run(l::accept); // room for one
        t.remotePort = 40002;
        t.send(seg().syn().seq(PEER_ISS).mss(1460));
        Seg second = t.expect(seg().synAck());
        t.remotePort = 40003;
        t.send(seg().syn().seq(PEER_ISS).mss(1460));
        Seg third = t.expect(seg().synAck());
        t.remotePort = 40002;
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(second.seq + 1)); // fills the accept queue
        t.remotePort = 40003;
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(third.seq + 1));
        t.expectNothing();
        assertEquals(1, t.count(Counter.DROP_TCP_BACKLOG_FULL), "the handshake's ACK into a full accept queue is dropped");
        assertEquals(40001, t.locked(l::accept).remotePort);
        assertEquals(40002, t.locked(l::accept).remotePort);
        assertNull(t.locked(l::accept));
        t.advance(1500); // our SYN-ACK again, the peer's ACK again: now there is room
        t.expect(seg().synAck().seq(third.seq));
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(third.seq + 1));
        TcpConnection c = t.locked(l::accept);
        assertNotNull(c);
        assertEquals(40003, c.remotePort);
    }

    @Test
    void closedListenerResetsQueuedConnections() {
        TcpListener l = t.listen();
        t.send(seg().syn().seq(PEER_ISS).mss(1460));
        Seg sa = t.expect(seg().synAck());
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(sa.seq + 1));
        t.run(l::close);
        t.expect(seg().rstAck().seq(sa.seq + 1));
        t.send(seg().syn().seq(PEER_ISS + 9).mss(1460));
        t.expect(seg().rstAck()); // nobody listens any more
    }

    @Test
    void bindConflictsAndTimeWaitReuse() throws Exception {
        TcpListener l = t.listen();
        assertInstanceOf(BindException.class, assertThrows(RuntimeException.class,
                () -> t.locked(() -> t.stack.listen(0, 80, 1, new TcpSocketOptions()))).getCause());
        assertInstanceOf(BindException.class, assertThrows(RuntimeException.class,
                () -> t.locked(() -> t.stack.bind(TcpHarness.LOCAL, 80, false))).getCause());
        t.run(l::close);
        assertEquals(80, (int) t.locked(() -> t.stack.bind(TcpHarness.LOCAL, 80, false)));
        t.run(() -> t.stack.unbind(TcpHarness.LOCAL, 80));
        // client in TIME_WAIT holds its port against binds without SO_REUSEADDR
        TcpConnection c = t.connect(new TcpSocketOptions());
        Seg syn = t.expect(seg().syn());
        t.send(seg().synAck().seq(5000).ack(syn.seq + 1).mss(1460));
        t.expect(seg().ackOnly());
        t.run(c::close);
        t.expect(seg().fin());
        t.send(seg().fin().seq(5001).ack(syn.seq + 2));
        t.expect(seg().ackOnly());
        assertEquals(TcpState.TIME_WAIT, c.state());
        int port = t.localPort;
        assertInstanceOf(BindException.class, assertThrows(RuntimeException.class,
                () -> t.locked(() -> t.stack.bind(0, port, false))).getCause());
        assertEquals(port, (int) t.locked(() -> t.stack.bind(0, port, true)));
        // ephemeral ports skip it
        for (int i = 0; i < 50; i++) assertFalse(port == t.locked(() -> t.stack.bind(0, 0, false)));
    }

    @Test
    void shutdownResetsEverything() {
        TcpListener l = t.listen();
        TcpConnection c = t.accept(l);
        TcpHarness.Counting n = new TcpHarness.Counting();
        t.run(() -> c.setNotification(n));
        t.run(t.stack::shutdown);
        t.expect(seg().rstAck());
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(0, t.locked(t.stack::activeConnections));
        assertTrue(n.count > 0);
    }

    @Test
    void tinyConfigDurations() {
        TcpConfig cfg = TcpConfig.builder().timeWait(Duration.ZERO).build();
        TcpHarness h = new TcpHarness(cfg);
        TcpConnection c = h.accept(h.listen());
        int s = c.sndNxt;
        h.run(c::close);
        h.expect(seg().fin());
        h.send(seg().fin().seq(PEER_ISS + 1).ack(s + 1));
        h.expect(seg().ackOnly());
        h.advance(0);
        assertEquals(TcpState.CLOSED, c.state());
    }

    @Test
    void orphanedFinWait2TimesOut() {
        TcpConnection c = established();
        t.run(c::close);
        t.expect(seg().fin());
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(iss + 2));
        assertEquals(TcpState.FIN_WAIT_2, c.state());
        t.advance(59_999);
        assertEquals(TcpState.FIN_WAIT_2, c.state());
        t.advance(1);
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(0, t.stack.tableSize());
    }

    @Test
    void halfClosedFinWait2WaitsForPeerWhileAppReads() {
        TcpConnection c = established();
        t.run(c::shutdownOutput);
        t.expect(seg().fin());
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(iss + 2));
        t.advance(10 * 60_000);
        assertEquals(TcpState.FIN_WAIT_2, c.state()); // not orphaned: no timeout
    }

    @Test
    void retransmittedFinInClosingIsReAcked() {
        TcpConnection c = established();
        t.run(c::close);
        t.expect(seg().fin());
        t.send(seg().fin().seq(PEER_ISS + 1).ack(iss + 1));
        t.expect(seg().ackOnly().ack(PEER_ISS + 2));
        assertEquals(TcpState.CLOSING, c.state());
        t.send(seg().fin().seq(PEER_ISS + 1).ack(iss + 1)); // the peer did not get our ACK
        t.expect(seg().ackOnly().ack(PEER_ISS + 2));
        assertEquals(TcpState.CLOSING, c.state());
    }
}
