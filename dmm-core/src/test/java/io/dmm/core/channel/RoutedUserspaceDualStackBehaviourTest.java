package io.dmm.core.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.core.testsupport.TestPolicy;
import io.dmm.core.testsupport.TestStacks;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

/**
 * The dual-stack suite against DMM's routed channels on a userspace instance that owns 127.0.0.1/8
 * and carries IPv4 only, as the only stack: its dual-stack channels take every IPv4 socket and the
 * IPv6 wildcard; an IPv6 address proper has no usable stack (nor can a channel already on it reach
 * one).
 */
class RoutedUserspaceDualStackBehaviourTest extends RoutedDualStackBehaviourTest {
    private static final InetSocketAddress IPV6_LOOPBACK = new InetSocketAddress(InetAddress.ofLiteral("::1"), 9);

    @Override
    protected TestPolicy policy() {
        return new TestPolicy().stack("u1", "userspace", TestStacks.userspaceLoopback()).defaults("u1");
    }

    @Test
    void anIpv6DestinationHasNoUsableStack() throws IOException {
        DatagramChannel d = track(newDatagram(INET6));
        NoRouteToHostException e = assertThrows(NoRouteToHostException.class, () -> d.send(ByteBuffer.allocate(1), IPV6_LOOPBACK));
        assertTrue(e.getMessage().contains("u1 does not support udp over INET6"), e.getMessage());
        SocketChannel c = track(newClient(INET6));
        assertThrows(NoRouteToHostException.class, () -> c.connect(IPV6_LOOPBACK));
        ServerSocketChannel s = track(newServer(INET6));
        assertThrows(SocketException.class, () -> s.bind(new InetSocketAddress(IPV6_LOOPBACK.getAddress(), 0)));
    }

    @Test
    void aDualStackChannelAlreadyOnTheIpv4StackCannotReachIpv6() throws IOException {
        DatagramChannel d = track(newDatagram(INET6));
        d.bind(null); // the IPv6 wildcard: on the userspace stack, which takes its IPv4 traffic
        assertInstanceOf(Inet6Address.class, ((InetSocketAddress) d.getLocalAddress()).getAddress());
        SocketException e = assertThrows(SocketException.class, () -> d.send(ByteBuffer.allocate(1), IPV6_LOOPBACK));
        assertEquals("Network is unreachable", e.getMessage());
        assertTrue(d.isOpen());
    }
}
