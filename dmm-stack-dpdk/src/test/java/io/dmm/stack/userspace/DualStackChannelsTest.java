package io.dmm.stack.userspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.Protocol;
import io.dmm.api.spi.StackInstance;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The instance's channels by family: INET channels take IPv4 addresses only; INET6 channels (and
 * those of no stated family) are dual-stack and talk IPv4 as a Linux INET6 socket does, but the
 * stack carries no IPv6, so an IPv6 address proper cannot be bound or reached. (What they report
 * is compared with the JDK's in dmm-core's DualStackBehaviourSuite.)
 */
class DualStackChannelsTest {
    private static final InetSocketAddress IPV6_LOOPBACK = new InetSocketAddress(InetAddress.ofLiteral("::1"), 9);
    private static final InetAddress IPV6_ANY = InetAddress.ofLiteral("::");
    private static final InetAddress LOCAL = InetAddress.ofLiteral("198.51.100.1");

    private StackInstance stack;

    @BeforeEach
    void start() throws IOException {
        stack = UserspaceStackTest.create("user0", Map.of("address", "198.51.100.1/24", "device", Map.of("driver", "loopback")));
    }

    @AfterEach
    void stop() {
        stack.close();
    }

    @Test
    void itCarriesIpv4OnlyAndOpensChannelsOfBothFamilies() throws IOException {
        assertTrue(stack.supports(Protocol.UDP, StandardProtocolFamily.INET));
        assertEquals(false, stack.supports(Protocol.UDP, StandardProtocolFamily.INET6));
        assertThrows(UnsupportedOperationException.class, () -> stack.openSocketChannel(StandardProtocolFamily.UNIX));
        try (DatagramChannel v4 = stack.openDatagramChannel(StandardProtocolFamily.INET)) {
            assertThrows(UnsupportedAddressTypeException.class, () -> v4.bind(new InetSocketAddress(IPV6_ANY, 0)));
            assertThrows(UnsupportedAddressTypeException.class, () -> v4.send(ByteBuffer.allocate(1), IPV6_LOOPBACK));
            assertEquals(InetAddress.ofLiteral("0.0.0.0"), v4.socket().getLocalAddress());
            v4.bind(null);
            assertEquals(new InetSocketAddress(InetAddress.ofLiteral("0.0.0.0"), ((InetSocketAddress) v4.getLocalAddress()).getPort()),
                    v4.getLocalAddress());
        }
    }

    @Test
    void aDualStackChannelCannotBindAnIpv6AddressProper() throws IOException {
        for (var family : new StandardProtocolFamily[] {StandardProtocolFamily.INET6, null}) {
            try (DatagramChannel d = stack.openDatagramChannel(family);
                 ServerSocketChannel s = stack.openServerSocketChannel(family);
                 SocketChannel c = stack.openSocketChannel(family)) {
                assertEquals("Cannot assign requested address",
                        assertThrows(BindException.class, () -> d.bind(new InetSocketAddress(IPV6_LOOPBACK.getAddress(), 0))).getMessage());
                assertThrows(BindException.class, () -> s.bind(new InetSocketAddress(IPV6_LOOPBACK.getAddress(), 0)));
                assertThrows(BindException.class, () -> c.bind(new InetSocketAddress(IPV6_LOOPBACK.getAddress(), 0)));
                assertNull(d.getLocalAddress());
                assertNull(s.getLocalAddress());
                s.bind(new InetSocketAddress(LOCAL, 0)); // an IPv4 address it can
                assertEquals(LOCAL, ((InetSocketAddress) s.getLocalAddress()).getAddress());
            }
        }
    }

    @Test
    void aDualStackChannelCannotReachAnIpv6Destination() throws IOException {
        try (DatagramChannel d = stack.openDatagramChannel(StandardProtocolFamily.INET6);
             SocketChannel c = stack.openSocketChannel(StandardProtocolFamily.INET6)) {
            assertEquals(InetAddress.ofLiteral("0.0.0.0"), d.socket().getLocalAddress(), "unbound: as the JDK's adaptor");
            SocketException e = assertThrows(SocketException.class, () -> d.send(ByteBuffer.allocate(1), IPV6_LOOPBACK));
            assertEquals("Network is unreachable", e.getMessage());
            assertThrows(SocketException.class, () -> d.connect(IPV6_LOOPBACK));
            assertEquals("Network is unreachable",
                    assertThrows(SocketException.class, () -> c.connect(IPV6_LOOPBACK)).getMessage());
            assertTrue(d.isOpen());
        }
    }
}
