package io.dmm.stack.userspace.tcp;

import static io.dmm.stack.userspace.tcp.Seg.seg;
import static io.dmm.stack.userspace.tcp.TcpHarness.PEER_ISS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

/**
 * SYN cookies at virtual time: a listener whose SYN queue is full answers with a cookie and keeps
 * nothing; the handshake's ACK with a valid cookie becomes an accepted connection with the options
 * the cookie and the timestamps carried; wrong and stale cookies are reset and counted.
 */
class TcpSynCookiesTest {
    private final TcpHarness t = new TcpHarness();

    /** A listener with a 2-entry backlog whose SYN queue two half-open connections fill. */
    private TcpListener fullSynQueue() {
        TcpListener l = t.locked(() -> t.stack.listen(TcpHarness.LOCAL, 80, 2, new TcpSocketOptions()));
        for (int i = 0; i < 2; i++) {
            t.remotePort = 40000 + i;
            t.send(seg().syn().seq(PEER_ISS).mss(1460));
            t.expect(seg().synAck());
        }
        t.remotePort = TcpHarness.REMOTE_PORT;
        return l;
    }

    @Test
    void fullSynQueueAnswersWithCookieAndKeepsNoState() {
        fullSynQueue();
        int table = t.locked(t.stack::tableSize);
        t.send(seg().syn().seq(PEER_ISS).mss(1400).wscale(7).sackPerm().ts(5000, 0));
        Seg sa = t.expect(seg().synAck().ack(PEER_ISS + 1).mss(t.locked(t.stack::ourMss)).sackPerm());
        assertTrue(sa.hasTs);
        assertEquals(7, sa.tsVal & 0xF, "the peer's window scale in the TSval's low bits");
        assertTrue((sa.tsVal & 0x10) != 0, "SACK-permitted in the TSval");
        assertEquals(5000, sa.tsEcr);
        assertNotNull(sa.wscale);
        assertEquals(table, t.locked(t.stack::tableSize), "no state for a cookie");
        assertEquals(1, t.count(Counter.TCP_SYNCOOKIES_SENT));
        t.advance(10_000); // no SYN-ACK retransmission for the cookie
        for (FakeEgress.Packet p : t.egress.sent) {
            assertNotEquals(TcpHarness.REMOTE_PORT, Seg.decode(p.l4()).dstPort, "nothing was kept to retransmit");
        }
    }

    @Test
    void cookieAckMakesEstablishedConnectionWithDecodedOptions() {
        TcpListener l = fullSynQueue();
        t.send(seg().syn().seq(PEER_ISS).mss(1400).wscale(7).sackPerm().ts(5000, 0));
        Seg sa = t.recv();
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(sa.seq + 1).ts(5001, sa.tsVal).window(100).payload("hello"));
        TcpConnection c = t.locked(l::accept);
        assertNotNull(c);
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertEquals(1300, c.peerMss, "1400 rounds down to the table's 1300");
        assertTrue(c.wsOk);
        assertEquals(100 << 7, c.sndWnd, "the window scaled by the decoded shift");
        assertTrue(c.sackOk);
        assertTrue(c.tsOk);
        assertEquals(1, t.count(Counter.TCP_SYNCOOKIES_VALIDATED));
        assertEquals(0, t.count(Counter.TCP_SYNCOOKIES_FAILED));
        assertEquals("hello", t.read(c, 100));
        t.advance(40); // the delayed ACK (5 bytes read do not open the window enough for an update)
        t.expect(seg().ackOnly().ack(PEER_ISS + 6));
        t.write(c, "world");
        t.expect(seg().psh().seq(sa.seq + 1).ack(PEER_ISS + 6).payload("world"));
    }

    @Test
    void withoutTimestampsTheCookieCarriesNoOptions() {
        TcpListener l = fullSynQueue();
        t.send(seg().syn().seq(PEER_ISS).mss(1460).wscale(7).sackPerm());
        Seg sa = t.expect(seg().synAck().noSackPerm().noTs());
        assertEquals(-1, sa.wscale, "no window scale offered: it could not be remembered");
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(sa.seq + 1).window(100));
        TcpConnection c = t.locked(l::accept);
        assertNotNull(c);
        assertEquals(1460, c.peerMss);
        assertFalse(c.wsOk);
        assertFalse(c.sackOk);
        assertEquals(100, c.sndWnd);
    }

    @Test
    void cookieFromThePreviousPeriodIsAccepted() {
        TcpListener l = fullSynQueue();
        t.send(seg().syn().seq(PEER_ISS).mss(1460));
        Seg sa = t.recv();
        t.clock.advanceTo(t.now() + SynCookies.PERIOD_NANOS);
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(sa.seq + 1));
        assertNotNull(t.locked(l::accept));
    }

    @Test
    void wrongCookieIsResetAndCounted() {
        TcpListener l = fullSynQueue();
        t.send(seg().syn().seq(PEER_ISS).mss(1460));
        Seg sa = t.recv();
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(sa.seq + 2));
        t.expect(seg().rst().seq(sa.seq + 2));
        assertEquals(1, t.count(Counter.TCP_SYNCOOKIES_FAILED));
        assertNull(t.locked(l::accept));
        t.remotePort = TcpHarness.REMOTE_PORT + 1; // the right cookie from another port: the 4-tuple is part of it
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(sa.seq + 1));
        t.expect(seg().rst().seq(sa.seq + 1));
        assertEquals(2, t.count(Counter.TCP_SYNCOOKIES_FAILED));
    }

    @Test
    void ecnBitWeNeverSetFailsTheCookie() {
        TcpListener l = fullSynQueue();
        t.send(seg().syn().seq(PEER_ISS).mss(1460).ts(5000, 0));
        Seg sa = t.recv();
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(sa.seq + 1).ts(5001, sa.tsVal | 0x20));
        t.expect(seg().rst().seq(sa.seq + 1));
        assertEquals(1, t.count(Counter.TCP_SYNCOOKIES_FAILED));
        assertNull(t.locked(l::accept));
    }

    @Test
    void cookieTwoPeriodsOldIsResetAndCounted() {
        TcpListener l = fullSynQueue();
        t.send(seg().syn().seq(PEER_ISS).mss(1460));
        Seg sa = t.recv();
        t.clock.advanceTo(t.now() + 2 * SynCookies.PERIOD_NANOS);
        t.remotePort = 41000; // the flood goes on: cookies are still being sent
        t.send(seg().syn().seq(7).mss(1460));
        t.recv();
        t.remotePort = TcpHarness.REMOTE_PORT;
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(sa.seq + 1));
        t.expect(seg().rst().seq(sa.seq + 1));
        assertEquals(1, t.count(Counter.TCP_SYNCOOKIES_FAILED));
        assertNull(t.locked(l::accept));
    }

    @Test
    void fullAcceptQueueDropsTheCookieAck() {
        TcpListener l = t.locked(() -> t.stack.listen(TcpHarness.LOCAL, 80, 1, new TcpSocketOptions()));
        t.remotePort = 40000;
        t.send(seg().syn().seq(PEER_ISS).mss(1460)); // fills the SYN queue
        Seg first = t.recv();
        t.remotePort = TcpHarness.REMOTE_PORT;
        t.send(seg().syn().seq(PEER_ISS).mss(1460));
        Seg sa = t.recv();
        t.remotePort = 40000;
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(first.seq + 1)); // now the accept queue is full
        t.remotePort = TcpHarness.REMOTE_PORT;
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(sa.seq + 1));
        t.expectNothing();
        assertEquals(1, t.count(Counter.TCP_SYNCOOKIES_VALIDATED));
        assertEquals(1, t.count(Counter.DROP_TCP_BACKLOG_FULL));
        assertNotNull(t.locked(l::accept));
        assertNull(t.locked(l::accept));
    }

    @Test
    void legitimateClientConnectsDuringAndAfterSynFlood() {
        TcpListener l = t.locked(() -> t.stack.listen(Ipv4Address.ANY, 80, 128, new TcpSocketOptions()));
        flood(0, 10_000);
        TcpConnection during = connectLegitimately(l, 50000);
        flood(10_000, 20_000);
        TcpConnection after = connectLegitimately(l, 50001);
        assertNull(t.locked(l::accept));
        assertEquals(128 + 2, t.locked(t.stack::tableSize), "only the SYN queue and the two clients hold state");
        assertEquals(20_000 - 128 + 2, t.count(Counter.TCP_SYNCOOKIES_SENT));
        t.write(during, "a");
        t.write(after, "b");
        assertEquals(2, t.egress.sent.size());
    }

    /** Spoofed SYNs {@code [from, to)}, each from its own address and port; their SYN-ACKs go nowhere. */
    private void flood(int from, int to) {
        for (int i = from; i < to; i++) {
            int src = Ipv4Address.of(172, 16 + (i >>> 16), (i >>> 8) & 0xFF, i & 0xFF);
            byte[] b = seg().syn().seq(i * 7919).mss(1460).ts(i, 0).encode(src, TcpHarness.LOCAL, 1024 + i % 60000, 80);
            t.ingress(b, src, TcpHarness.LOCAL, true);
        }
        t.drain();
    }

    private TcpConnection connectLegitimately(TcpListener l, int port) {
        t.remotePort = port;
        t.send(seg().syn().seq(PEER_ISS).mss(1460).wscale(2).sackPerm().ts(100, 0));
        Seg sa = t.expect(seg().synAck().ack(PEER_ISS + 1));
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(sa.seq + 1).ts(101, sa.tsVal));
        TcpConnection c = t.locked(l::accept);
        assertNotNull(c, "the client got in");
        assertEquals(TcpState.ESTABLISHED, c.state());
        return c;
    }
}
