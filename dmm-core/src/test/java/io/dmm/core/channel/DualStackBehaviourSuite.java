package io.dmm.core.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Dual-stack channels (family INET6, the JDK's default where it has IPv6) talking to IPv4 loopback,
 * written once and run against the JDK's own channels and DMM's routed ones: the same addresses
 * reported (IPv4 for peers and for a local address made specific by connect, {@code [::]} for a
 * wildcard bind, 0.0.0.0 included) and the same traffic.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class DualStackBehaviourSuite {
    static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");
    static final InetAddress IPV6_ANY = InetAddress.ofLiteral("::");
    static final ProtocolFamily INET6 = StandardProtocolFamily.INET6;

    private final List<AutoCloseable> opened = new ArrayList<>();

    protected abstract SocketChannel newClient(ProtocolFamily family) throws IOException;

    protected abstract ServerSocketChannel newServer(ProtocolFamily family) throws IOException;

    protected abstract DatagramChannel newDatagram(ProtocolFamily family) throws IOException;

    <T extends AutoCloseable> T track(T c) {
        opened.add(c);
        return c;
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    private static int port(SocketAddress sa) {
        return ((InetSocketAddress) sa).getPort();
    }

    private static void assertIpv4(InetAddress expected, SocketAddress actual) {
        InetSocketAddress isa = (InetSocketAddress) actual;
        assertInstanceOf(Inet4Address.class, isa.getAddress(), "reported as IPv4: " + actual);
        assertEquals(expected, isa.getAddress());
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ByteBuffer b) {
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    @Test
    void aDualStackDatagramChannelSendsToIpv4AndSeesIpv4Peers() throws IOException {
        DatagramChannel receiver = track(newDatagram(INET6));
        receiver.bind(new InetSocketAddress(LOOPBACK, 0));
        assertIpv4(LOOPBACK, receiver.getLocalAddress());
        DatagramChannel sender = track(newDatagram(INET6));
        assertEquals(5, sender.send(bytes("hello"), receiver.getLocalAddress()));
        assertEquals(new InetSocketAddress(IPV6_ANY, port(sender.getLocalAddress())), sender.getLocalAddress(),
                "bound implicitly to the IPv6 wildcard");

        ByteBuffer in = ByteBuffer.allocate(64);
        SocketAddress from = receiver.receive(in);
        assertEquals("hello", text(in));
        assertIpv4(LOOPBACK, from);
        assertEquals(port(sender.getLocalAddress()), port(from));

        sender.connect(receiver.getLocalAddress());
        assertEquals(new InetSocketAddress(LOOPBACK, port(from)), sender.getLocalAddress(), "connect made it specific");
        assertEquals(receiver.getLocalAddress(), sender.getRemoteAddress());
        assertEquals(3, sender.write(bytes("abc")));
        in.clear();
        assertEquals(from, receiver.receive(in));
        assertEquals("abc", text(in));
        receiver.send(bytes("back"), from);
        ByteBuffer back = ByteBuffer.allocate(16);
        assertEquals(4, sender.read(back));
        assertEquals("back", text(back));

        sender.disconnect();
        assertEquals(new InetSocketAddress(IPV6_ANY, port(from)), sender.getLocalAddress(), "the wildcard again");
    }

    @Test
    void aDualStackDatagramChannelOnTheWildcardReceivesIpv4() throws IOException {
        for (InetSocketAddress wildcard : new InetSocketAddress[] {null, new InetSocketAddress(0),
                new InetSocketAddress(IPV6_ANY, 0)}) {
            DatagramChannel receiver = track(newDatagram(INET6));
            receiver.bind(wildcard);
            int port = port(receiver.getLocalAddress());
            assertEquals(new InetSocketAddress(IPV6_ANY, port), receiver.getLocalAddress(), "bound to " + wildcard);
            DatagramChannel sender = track(newDatagram(StandardProtocolFamily.INET));
            sender.send(bytes("to " + wildcard), new InetSocketAddress(LOOPBACK, port));
            ByteBuffer in = ByteBuffer.allocate(64);
            SocketAddress from = receiver.receive(in);
            assertEquals("to " + wildcard, text(in));
            assertIpv4(LOOPBACK, from);
            assertEquals(port(sender.getLocalAddress()), port(from));
        }
    }

    @Test
    void aDualStackServerAndClientTalkIpv4() throws IOException {
        ServerSocketChannel server = track(newServer(INET6));
        server.bind(null);
        int port = port(server.getLocalAddress());
        assertEquals(new InetSocketAddress(IPV6_ANY, port), server.getLocalAddress());

        SocketChannel client = track(newClient(INET6));
        assertNull(client.getLocalAddress());
        InetSocketAddress remote = new InetSocketAddress(LOOPBACK, port);
        assertTrue(client.connect(remote));
        assertIpv4(LOOPBACK, client.getLocalAddress());
        assertEquals(remote, client.getRemoteAddress());

        SocketChannel accepted = track(server.accept());
        assertEquals(new InetSocketAddress(LOOPBACK, port), accepted.getLocalAddress());
        assertIpv4(LOOPBACK, accepted.getLocalAddress());
        assertEquals(client.getLocalAddress(), accepted.getRemoteAddress());
        assertIpv4(LOOPBACK, accepted.getRemoteAddress());

        assertEquals(2, client.write(bytes("hi")));
        ByteBuffer in = ByteBuffer.allocate(8);
        while (in.position() < 2) {
            accepted.read(in);
        }
        assertEquals("hi", text(in));
    }

    @Test
    void aDualStackClientOfNoStatedFamilyTalksIpv4Too() throws IOException {
        ServerSocketChannel server = track(newServer(null));
        server.bind(new InetSocketAddress(LOOPBACK, 0));
        assertIpv4(LOOPBACK, server.getLocalAddress());
        SocketChannel client = track(newClient(null));
        assertTrue(client.connect(server.getLocalAddress()));
        assertIpv4(LOOPBACK, client.getLocalAddress());
        SocketChannel accepted = track(server.accept());
        assertEquals(client.getLocalAddress(), accepted.getRemoteAddress());
    }

    @Test
    void aDualStackDatagramSocketAdaptorBindsTheWildcardAsTheJdks() throws IOException {
        java.net.DatagramSocket socket = track(newDatagram(INET6)).socket();
        assertEquals(InetAddress.ofLiteral("0.0.0.0"), socket.getLocalAddress(), "unbound");
        socket.bind(null);
        assertEquals(new InetSocketAddress(IPV6_ANY, socket.getLocalPort()), socket.getLocalSocketAddress());
        DatagramChannel sender = track(newDatagram(null));
        sender.send(bytes("adaptor"), new InetSocketAddress(LOOPBACK, socket.getLocalPort()));
        java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[16], 16);
        socket.receive(p);
        assertEquals("adaptor", new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
        assertIpv4(LOOPBACK, p.getSocketAddress());
    }
}
