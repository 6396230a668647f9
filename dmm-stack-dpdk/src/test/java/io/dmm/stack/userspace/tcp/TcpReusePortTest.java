package io.dmm.stack.userspace.tcp;

import static io.dmm.stack.userspace.tcp.Seg.seg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.wire.Ipv4Address;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SO_REUSEPORT listeners at virtual time, with crafted SYNs: Linux's semantics (several listeners
 * that all set it share an address and port, a new connection goes to one of them by a hash of its
 * 4-tuple, a listener that closes leaves the others serving).
 */
class TcpReusePortTest {
    private static final int PORT = 80;
    private static final int FLOWS = 64;

    private static TcpSocketOptions reusePort(boolean on) {
        TcpSocketOptions o = new TcpSocketOptions();
        o.reusePort = on;
        return o;
    }

    private static TcpListener listen(TcpHarness t, int ip, boolean reusePort) {
        return t.locked(() -> t.stack.listen(ip, PORT, 128, reusePort(reusePort)));
    }

    private static BindException bindFails(TcpHarness t, int ip, boolean reusePort) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> listen(t, ip, reusePort));
        return assertInstanceOf(BindException.class, e.getCause());
    }

    /** Completes a handshake from {@code remotePort} and returns which of {@code ls} queued the connection. */
    private static int handshakeFrom(TcpHarness t, int remotePort, List<TcpListener> ls) {
        t.remotePort = remotePort;
        t.send(seg().syn().seq(TcpHarness.PEER_ISS).mss(1460));
        Seg synAck = t.expect(seg().synAck().ack(TcpHarness.PEER_ISS + 1));
        t.send(seg().ackOnly().seq(TcpHarness.PEER_ISS + 1).ack(synAck.seq + 1));
        t.expectNothing();
        int owner = -1;
        for (int i = 0; i < ls.size(); i++) {
            TcpListener l = ls.get(i);
            TcpConnection c = t.locked(l::accept);
            if (c != null) {
                assertEquals(-1, owner, "one connection queued on two listeners");
                assertEquals(remotePort, c.remotePort);
                owner = i;
            }
        }
        assertTrue(owner >= 0, "the connection from port " + remotePort + " reached no listener");
        return owner;
    }

    private static int[] spread(TcpHarness t, List<TcpListener> ls) {
        int[] owners = new int[FLOWS];
        for (int i = 0; i < FLOWS; i++) owners[i] = handshakeFrom(t, 40000 + i, ls);
        return owners;
    }

    @Test
    void listenersThatAllSetItShareThePortAndOthersDoNot() {
        TcpHarness t = new TcpHarness();
        listen(t, TcpHarness.LOCAL, true);
        listen(t, TcpHarness.LOCAL, true);
        listen(t, Ipv4Address.ANY, true); // the wildcard overlaps, but sets it too
        assertEquals("Address already in use", bindFails(t, TcpHarness.LOCAL, false).getMessage());
        assertEquals("Address already in use", bindFails(t, Ipv4Address.ANY, false).getMessage());
        // a client bind without SO_REUSEPORT is refused too
        assertInstanceOf(BindException.class, assertThrows(RuntimeException.class,
                () -> t.locked(() -> t.stack.bind(TcpHarness.LOCAL, PORT, false))).getCause());

        TcpHarness u = new TcpHarness();
        listen(u, TcpHarness.LOCAL, false);
        bindFails(u, TcpHarness.LOCAL, true); // the one already there did not set it
    }

    @Test
    void newConnectionsAreSpreadByFlowHashAndEachFlowKeepsItsListener() {
        TcpHarness t = new TcpHarness();
        List<TcpListener> ls = List.of(listen(t, TcpHarness.LOCAL, true), listen(t, TcpHarness.LOCAL, true),
                listen(t, TcpHarness.LOCAL, true));
        int[] owners = spread(t, ls);
        int[] perListener = new int[ls.size()];
        for (int o : owners) perListener[o]++;
        for (int i = 0; i < ls.size(); i++) {
            assertTrue(perListener[i] >= FLOWS / ls.size() / 3, "listener " + i + " got " + perListener[i] + " of " + FLOWS);
        }
        // deterministic: the same stack (same key) and the same flows land on the same listeners
        TcpHarness again = new TcpHarness();
        List<TcpListener> ls2 = List.of(listen(again, TcpHarness.LOCAL, true), listen(again, TcpHarness.LOCAL, true),
                listen(again, TcpHarness.LOCAL, true));
        assertEquals(java.util.Arrays.toString(owners), java.util.Arrays.toString(spread(again, ls2)));
    }

    @Test
    void theExactAddressGroupComesBeforeTheWildcard() {
        TcpHarness t = new TcpHarness();
        TcpListener wildcard = listen(t, Ipv4Address.ANY, true);
        List<TcpListener> exact = List.of(listen(t, TcpHarness.LOCAL, true), listen(t, TcpHarness.LOCAL, true));
        List<TcpListener> all = new ArrayList<>(exact);
        all.add(wildcard);
        for (int o : spread(t, all)) assertTrue(o < exact.size(), "a connection to the exact address went to the wildcard");
    }

    @Test
    void aClosedListenerResetsItsQueueAndTheOthersTakeItsFlows() {
        TcpHarness t = new TcpHarness();
        List<TcpListener> ls = List.of(listen(t, TcpHarness.LOCAL, true), listen(t, TcpHarness.LOCAL, true));
        // a connection queued (not accepted) on the listener that will close; flows that reach the
        // other one are accepted there and kept
        int port = 40000;
        while (t.locked(ls.get(0)::readyOps) == 0) {
            t.remotePort = port++;
            t.send(seg().syn().seq(TcpHarness.PEER_ISS).mss(1460));
            Seg synAck = t.expect(seg().synAck());
            t.send(seg().ackOnly().seq(TcpHarness.PEER_ISS + 1).ack(synAck.seq + 1));
            t.locked(ls.get(1)::accept);
        }
        int closedPort = port - 1;
        t.run(ls.get(0)::close);
        t.expect(seg().rstAck()); // Linux resets what was queued on the closed listener
        t.expectNothing();
        // the same flow, new incarnation, and every other flow now reach the listener left
        List<TcpListener> left = List.of(ls.get(1));
        for (int i = 0; i < 8; i++) assertEquals(0, handshakeFrom(t, closedPort + 100 * i, left));
        assertNull(t.locked(ls.get(0)::accept));
        // the port is free again only when the last listener closes
        t.run(ls.get(1)::close);
        listen(t, TcpHarness.LOCAL, false);
    }

    @Test
    void clientsThatSetItShareAPortAndReleaseItAsTheyGo() {
        TcpHarness t = new TcpHarness();
        assertEquals(5000, (int) t.locked(() -> t.stack.bind(TcpHarness.LOCAL, 5000, false, true)));
        assertEquals(5000, (int) t.locked(() -> t.stack.bind(TcpHarness.LOCAL, 5000, false, true)));
        assertInstanceOf(BindException.class, assertThrows(RuntimeException.class,
                () -> t.locked(() -> t.stack.bind(TcpHarness.LOCAL, 5000, false, false))).getCause());
        // one connects from the shared port and is reset: its share of the port goes with it
        TcpConnection c = t.locked(() -> t.stack.connect(TcpHarness.LOCAL, 5000, TcpHarness.REMOTE, 443,
                new TcpSocketOptions(), true));
        t.run(c::abort);
        // the other still holds it, shared: another that sets it joins, a plain bind is refused until both unbind
        assertEquals(5000, (int) t.locked(() -> t.stack.bind(TcpHarness.LOCAL, 5000, false, true)));
        assertInstanceOf(BindException.class, assertThrows(RuntimeException.class,
                () -> t.locked(() -> t.stack.bind(TcpHarness.LOCAL, 5000, false, false))).getCause());
        t.run(() -> t.stack.unbind(TcpHarness.LOCAL, 5000, true));
        t.run(() -> t.stack.unbind(TcpHarness.LOCAL, 5000, true));
        assertEquals(5000, (int) t.locked(() -> t.stack.bind(TcpHarness.LOCAL, 5000, false, false)));
    }
}
