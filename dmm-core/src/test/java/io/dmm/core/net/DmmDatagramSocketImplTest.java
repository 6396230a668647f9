package io.dmm.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.dmm.api.testing.BackgroundCall;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The parts of DmmDatagramSocketImpl that java.net.NetMulticastSocket never reaches for a custom
 * impl (peek/peekData), called directly: no factory is installed in this JVM, the impl runs on the
 * JVM-wide runtime (the built-in default policy here) and talks to a plain JDK DatagramSocket.
 */
class DmmDatagramSocketImplTest {
    private static DmmDatagramSocketImpl boundImpl() throws Exception {
        DmmDatagramSocketImpl impl = new DmmDatagramSocketImpl();
        impl.create();
        impl.bind(0, InetAddress.getLoopbackAddress());
        return impl;
    }

    private static void send(DatagramSocket from, DmmDatagramSocketImpl to, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        from.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), to.getLocalPort()));
    }

    private static String text(DatagramPacket p) {
        return new String(p.getData(), p.getOffset(), p.getLength(), StandardCharsets.UTF_8);
    }

    @Test
    void peekDataLeavesTheDatagramForTheNextReceive() throws Exception {
        DmmDatagramSocketImpl impl = boundImpl();
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            send(peer, impl, "first");
            send(peer, impl, "second");
            DatagramPacket peekedSmall = new DatagramPacket(new byte[3], 3);
            assertEquals(peer.getLocalPort(), impl.peekData(peekedSmall));
            assertEquals("fir", text(peekedSmall));          // truncated like a receive
            assertEquals(peer.getLocalSocketAddress(), peekedSmall.getSocketAddress());
            assertEquals(peer.getLocalPort(), impl.peek(InetAddress.getLoopbackAddress()));
            DatagramPacket p = new DatagramPacket(new byte[100], 100);
            impl.receive(p);
            assertEquals("first", text(p));                   // the peeked datagram, whole
            p.setLength(100);                                 // a copied datagram shrinks the packet
            impl.receive(p);
            assertEquals("second", text(p));
        } finally {
            impl.close();
        }
    }

    @Test
    void closeEndsAPeekBlockedInAnotherThread() throws Exception {
        DmmDatagramSocketImpl impl = boundImpl();
        BackgroundCall<Integer> peek = BackgroundCall.start("peekData", () -> impl.peekData(new DatagramPacket(new byte[10], 10)));
        peek.awaitBlockedIn("peekData");
        // must not wait for the blocked peek (which only the close can end): a close that did would never return
        BackgroundCall.run("close", impl::close).result(Duration.ofSeconds(10));
        Throwable failure = peek.thrown(Duration.ofSeconds(10));
        assertInstanceOf(SocketException.class, failure);
        assertEquals("Socket closed", failure.getMessage());
    }
}
