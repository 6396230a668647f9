package io.dmm.stack.userspace.tcp;

import static io.dmm.stack.userspace.tcp.Seg.seg;
import static io.dmm.stack.userspace.tcp.TcpHarness.PEER_ISS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.Counter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Per-socket options in effect at virtual time: IP_TOS on the wire, TCP_KEEPIDLE/INTERVAL/COUNT, TCP_QUICKACK. */
class TcpSocketOptionsTest {
    final TcpHarness t = new TcpHarness();

    @Test
    void ipTosIsInTheIpv4HeaderOfEverySegmentOfTheConnection() {
        TcpSocketOptions o = new TcpSocketOptions();
        o.typeOfService = 0xB8;
        TcpConnection c = t.connect(o);
        Seg syn = t.expect(seg().syn().tos(0xB8));
        t.send(seg().synAck().seq(PEER_ISS).ack(syn.seq + 1).mss(1460));
        t.expect(seg().ackOnly().tos(0xB8));
        t.write(c, "data");
        t.expect(seg().psh().payload("data").tos(0xB8));
        t.run(() -> c.setTypeOfService(0x28));
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(syn.seq + 5));
        t.write(c, "more");
        t.expect(seg().psh().payload("more").tos(0x28));
        t.run(c::abort);
        t.expect(seg().rstAck().tos(0)); // resets are the stack's, as Linux's (no socket to take it from)
    }

    @Test
    void aListenersConnectionsSendTos0UnlessSet() {
        TcpConnection c = t.accept(t.listen());
        t.write(c, "x");
        t.expect(seg().psh().tos(0));
    }

    @Test
    void keepAliveIdleIntervalAndCountOfTheSocketOverrideTheStacks() {
        TcpSocketOptions o = new TcpSocketOptions();
        o.keepAlive = true;
        o.keepAliveIdleSeconds = 30;
        o.keepAliveIntervalSeconds = 5;
        o.keepAliveProbes = 2;
        TcpListener l = t.locked(() -> t.stack.listen(TcpHarness.LOCAL, 80, 8, o));
        TcpConnection c = t.accept(l); // accepted connections inherit the listener's, as on Linux
        int iss = c.iss;
        t.advance(29_999);
        t.expectNothing();
        t.advance(1);
        t.expect(seg().ackOnly().seq(iss).len(0));
        t.advance(4_999);
        t.expectNothing();
        t.advance(1);
        t.expect(seg().ackOnly().seq(iss));
        assertEquals(TcpState.ESTABLISHED, c.state());
        t.advance(5_000); // the count ran out: reset, and the connection fails as Linux's does
        t.expect(seg().rstAck());
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals("Connection timed out", t.readError(c).getMessage());
        assertEquals(2, t.count(Counter.TCP_KEEPALIVES_SENT));
    }

    @Test
    void aShorterKeepAliveIdleTakesEffectAtOnce() {
        TcpSocketOptions o = new TcpSocketOptions();
        o.keepAlive = true;
        TcpConnection c = t.accept(t.locked(() -> t.stack.listen(TcpHarness.LOCAL, 80, 8, o)));
        t.advance(10_000);
        t.expectNothing(); // the stack's 2 h
        t.run(() -> c.setKeepAliveIdle(15));
        t.advance(4_999);
        t.expectNothing();
        t.advance(1);
        t.expect(seg().ackOnly().seq(c.iss).len(0));
        t.run(() -> c.setKeepAliveInterval(1));
        t.run(() -> c.setKeepAliveProbes(1));
        t.advance(74_999); // the probe then in flight waits its old interval (the stack's 75 s)
        t.expectNothing();
        t.advance(1);
        t.expect(seg().rstAck());
    }

    @Test
    void keepAliveDefaultsToTheStacksSettings() {
        TcpHarness h = new TcpHarness(TcpConfig.builder().keepAliveIdle(Duration.ofSeconds(10))
                .keepAliveInterval(Duration.ofSeconds(1)).keepAliveProbes(1).build());
        TcpSocketOptions o = new TcpSocketOptions();
        o.keepAlive = true;
        TcpConnection c = h.accept(h.locked(() -> h.stack.listen(TcpHarness.LOCAL, 80, 8, o)));
        h.advance(10_000);
        h.expect(seg().ackOnly().seq(c.iss));
        h.advance(1_000);
        h.expect(seg().rstAck());
    }

    @Test
    void quickAckAcksWhatIsOwedAtOnceThenTheNextSegmentsButIsNotSticky() {
        TcpConnection c = t.accept(t.listen());
        int iss = c.iss;
        assertTrue(t.locked(c::quickAck), "on, as a new Linux socket reports it");
        int seq = PEER_ISS + 1;
        t.send(seg().psh().seq(seq).ack(iss + 1).payload("a"));
        seq++;
        t.expectNothing(); // delayed
        t.run(() -> c.setQuickAck(true));
        t.expect(seg().ackOnly().ack(seq));
        for (int i = 0; i < TcpConnection.QUICK_ACKS; i++) {
            t.send(seg().psh().seq(seq).ack(iss + 1).payload("b"));
            seq++;
            t.expect(seg().ackOnly().ack(seq));
        }
        t.send(seg().psh().seq(seq).ack(iss + 1).payload("c"));
        t.expectNothing(); // delayed again: quick ACKs are not sticky
        t.advance(40);
        t.expect(seg().ackOnly().ack(seq + 1));
        assertTrue(t.locked(c::quickAck));
    }

    @Test
    void quickAckOffDelaysAcks() {
        TcpConnection c = t.accept(t.listen());
        t.run(() -> c.setQuickAck(true));
        t.run(() -> c.setQuickAck(false));
        assertFalse(t.locked(c::quickAck));
        t.send(seg().psh().seq(PEER_ISS + 1).ack(c.iss + 1).payload("a"));
        t.expectNothing();
        t.advance(40);
        t.expect(seg().ackOnly().ack(PEER_ISS + 2));
    }
}
