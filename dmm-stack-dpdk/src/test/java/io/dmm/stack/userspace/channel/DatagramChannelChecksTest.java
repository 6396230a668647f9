package io.dmm.stack.userspace.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.net.StandardProtocolFamily;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.spi.SelectorProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a datagram channel decides before it needs the UDP engine. */
class DatagramChannelChecksTest {
    private final FakeStackAccess access = new FakeStackAccess();

    private UserspaceDatagramChannel open() throws IOException {
        return UserspaceDatagramChannel.open(SelectorProvider.provider(), access);
    }

    @Test
    void optionsAreTheJdksIpv4Set() throws IOException {
        try (UserspaceDatagramChannel ch = open(); DatagramChannel jdk = DatagramChannel.open(StandardProtocolFamily.INET)) {
            // the JDK's standard options for IPv4, none of jdk.net's
            assertEquals(java.util.Set.of(StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF,
                    StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT, StandardSocketOptions.SO_BROADCAST,
                    StandardSocketOptions.IP_TOS, StandardSocketOptions.IP_MULTICAST_IF, StandardSocketOptions.IP_MULTICAST_TTL,
                    StandardSocketOptions.IP_MULTICAST_LOOP), ch.supportedOptions());
            assertTrue(jdk.supportedOptions().containsAll(ch.supportedOptions()));
            assertFalse(ch.getOption(StandardSocketOptions.SO_REUSEPORT));
            ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            assertTrue(ch.getOption(StandardSocketOptions.SO_REUSEPORT));
            assertFalse(ch.getOption(StandardSocketOptions.SO_BROADCAST));
            ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
            assertTrue(ch.getOption(StandardSocketOptions.SO_BROADCAST));
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 18);
            assertEquals(1 << 18, ch.getOption(StandardSocketOptions.SO_RCVBUF));
            ch.setOption(StandardSocketOptions.SO_RCVBUF, Integer.MAX_VALUE); // capped, as Linux caps at rmem_max
            assertEquals(OptionValues.MAX_DATAGRAM_RECEIVE_BUFFER, ch.getOption(StandardSocketOptions.SO_RCVBUF));
            assertThrows(IllegalArgumentException.class, () -> ch.setOption(StandardSocketOptions.IP_TOS, -1));
            assertThrows(UnsupportedOperationException.class, () -> ch.setOption(StandardSocketOptions.TCP_NODELAY, true));
        }
    }

    /** The multicast options' defaults, values and refusals, each beside the JDK's channel. */
    @Test
    void multicastOptionsAsTheJdk() throws IOException {
        NetworkInterface withIpv4 = ipv4Interface();
        try (UserspaceDatagramChannel ch = open(); DatagramChannel jdk = DatagramChannel.open(StandardProtocolFamily.INET)) {
            for (DatagramChannel c : List.of(jdk, ch)) {
                String who = c == jdk ? "jdk" : "userspace";
                assertNull(c.getOption(StandardSocketOptions.IP_MULTICAST_IF), who);
                assertEquals(1, c.getOption(StandardSocketOptions.IP_MULTICAST_TTL), who);
                assertTrue(c.getOption(StandardSocketOptions.IP_MULTICAST_LOOP), who);
                c.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 255);
                assertEquals(255, c.getOption(StandardSocketOptions.IP_MULTICAST_TTL), who);
                c.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
                assertEquals(0, c.getOption(StandardSocketOptions.IP_MULTICAST_TTL), who);
                IllegalArgumentException ttl = assertThrows(IllegalArgumentException.class,
                        () -> c.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 256), who);
                assertEquals("Invalid TTL/hop value", ttl.getMessage(), who);
                assertThrows(IllegalArgumentException.class, () -> c.setOption(StandardSocketOptions.IP_MULTICAST_TTL, -1), who);
                assertThrows(IllegalArgumentException.class, () -> c.setOption(StandardSocketOptions.IP_MULTICAST_IF, null), who);
                c.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, false);
                assertFalse(c.getOption(StandardSocketOptions.IP_MULTICAST_LOOP), who);
                c.setOption(StandardSocketOptions.IP_MULTICAST_IF, withIpv4);
                assertEquals(withIpv4, c.getOption(StandardSocketOptions.IP_MULTICAST_IF), who);
                c.setOption(StandardSocketOptions.IP_TOS, 0xB9);  // DSCP 46 and ECN 1, kept as given
                assertEquals(0xB9, c.getOption(StandardSocketOptions.IP_TOS), who);
            }
            ch.close();
            assertThrows(ClosedChannelException.class, () -> ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 300));
            assertThrows(ClosedChannelException.class, () -> ch.getOption(StandardSocketOptions.IP_MULTICAST_IF));
        }
    }

    /** What join checks before it needs the stack, in the JDK's order, beside the JDK's channel. */
    @Test
    void joinChecksAsTheJdk() throws IOException {
        NetworkInterface nif = ipv4Interface();
        InetAddress group = InetAddress.getByName("239.1.2.3");
        InetAddress unicast = InetAddress.getByName("10.0.0.2");
        try (UserspaceDatagramChannel ch = open(); DatagramChannel jdk = DatagramChannel.open(StandardProtocolFamily.INET)) {
            for (DatagramChannel c : List.of(jdk, ch)) {
                String who = c == jdk ? "jdk" : "userspace";
                assertMessage(IllegalArgumentException.class, "Group not a multicast address", () -> c.join(unicast, nif), who);
                assertMessage(IllegalArgumentException.class, "Only IPv6 sockets can join IPv6 multicast group",
                        () -> c.join(InetAddress.getByName("ff02::1"), nif), who);
                assertMessage(IllegalArgumentException.class, "Source address is a wildcard address",
                        () -> c.join(group, nif, InetAddress.getByName("0.0.0.0")), who);
                assertMessage(IllegalArgumentException.class, "Source address is multicast address",
                        () -> c.join(group, nif, InetAddress.getByName("239.9.9.9")), who);
                assertMessage(IllegalArgumentException.class, "Source address is different type to group",
                        () -> c.join(group, nif, InetAddress.getByName("::2")), who);
                assertThrows(NullPointerException.class, () -> c.join(group, nif, null), who);
                assertThrows(NullPointerException.class, () -> c.join(null, nif), who);
            }
            ch.close();
            jdk.close();
            for (DatagramChannel c : List.of(jdk, ch)) {
                assertThrows(ClosedChannelException.class, () -> c.join(group, nif));
                // the address checks come first, even on a closed channel
                assertThrows(IllegalArgumentException.class, () -> c.join(unicast, nif));
            }
        }
    }

    private static <T extends Throwable> void assertMessage(Class<T> type, String message,
                                                            org.junit.jupiter.api.function.Executable call, String who) {
        assertEquals(message, assertThrows(type, call, who).getMessage(), who);
    }

    /** An interface of this host with an IPv4 address (the JDK's channel must be able to join on it). */
    static NetworkInterface ipv4Interface() throws IOException {
        NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
        if (lo != null && lo.inetAddresses().anyMatch(a -> a instanceof java.net.Inet4Address)) return lo;
        return NetworkInterface.networkInterfaces()
                .filter(n -> n.inetAddresses().anyMatch(a -> a instanceof java.net.Inet4Address))
                .findFirst().orElseThrow(() -> new AssertionError("this host has no interface with an IPv4 address"));
    }

    @Test
    void readAndWriteNeedAConnectedChannel() throws IOException {
        try (UserspaceDatagramChannel ch = open()) {
            assertFalse(ch.isConnected());
            assertThrows(NotYetConnectedException.class, () -> ch.read(ByteBuffer.allocate(8)));
            assertThrows(NotYetConnectedException.class, () -> ch.read(new ByteBuffer[] {ByteBuffer.allocate(8)}));
            assertThrows(NotYetConnectedException.class, () -> ch.write(ByteBuffer.allocate(8)));
            assertThrows(NotYetConnectedException.class, () -> ch.write(new ByteBuffer[] {ByteBuffer.allocate(8)}));
            assertThrows(IllegalArgumentException.class, () -> ch.receive(ByteBuffer.allocate(8).asReadOnlyBuffer()));
            assertSame(ch, ch.disconnect(), "disconnecting an unconnected channel does nothing");
            assertNull(ch.getLocalAddress(), "nothing above bound the channel");
        }
    }

    @Test
    void addressChecksComeBeforeTheEngine() throws IOException {
        try (UserspaceDatagramChannel ch = open()) {
            InetSocketAddress port0 = new InetSocketAddress(InetAddress.getByName("10.0.0.2"), 0);
            SocketException noConnect = assertThrows(SocketException.class, () -> ch.connect(port0));
            assertEquals("Can't connect to port 0", noConnect.getMessage());
            assertThrows(UnsupportedAddressTypeException.class,
                    () -> ch.send(ByteBuffer.allocate(1), new InetSocketAddress(InetAddress.getByName("::1"), 9)));
            BindException e = assertThrows(BindException.class,
                    () -> ch.bind(new InetSocketAddress(InetAddress.getByName("10.0.0.3"), 0)));
            assertEquals("Cannot assign requested address", e.getMessage());
        }
    }

    @Test
    void readinessOfAnUnboundChannelIsWritable() throws IOException {
        UserspaceDatagramChannel ch = open();
        assertEquals(SelectionKey.OP_WRITE, ch.readyOps());
        ch.close();
        assertEquals(0, ch.readyOps());
    }

    @Test
    void aClosedChannelThrowsClosedChannelException() throws IOException {
        UserspaceDatagramChannel ch = open();
        ch.close();
        assertThrows(ClosedChannelException.class, () -> ch.receive(ByteBuffer.allocate(8)));
        assertThrows(ClosedChannelException.class, () -> ch.send(ByteBuffer.allocate(8),
                new InetSocketAddress(InetAddress.getByName("10.0.0.2"), 9)));
        assertThrows(ClosedChannelException.class, () -> ch.bind(null));
        assertThrows(ClosedChannelException.class, () -> ch.connect(new InetSocketAddress(InetAddress.getByName("10.0.0.2"), 9)));
        assertThrows(ClosedChannelException.class, ch::getLocalAddress);
        assertSame(ch, ch.disconnect());
    }

    @Test
    void theAdaptorMirrorsTheChannel() throws IOException {
        UserspaceDatagramChannel ch = open();
        DatagramSocket ds = ch.socket();
        assertSame(ds, ch.socket());
        assertSame(ch, ds.getChannel());
        assertFalse(ds.isBound());
        assertFalse(ds.isConnected());
        assertEquals(0, ds.getLocalPort());
        assertEquals(-1, ds.getPort());
        assertNull(ds.getInetAddress());
        IllegalArgumentException noAddress = assertThrows(IllegalArgumentException.class,
                () -> ds.send(new DatagramPacket(new byte[1], 1)));
        assertEquals("Address not set", noAddress.getMessage());
        ds.setSoTimeout(50);
        assertEquals(50, ds.getSoTimeout());
        ds.setBroadcast(true);
        assertTrue(ds.getBroadcast());
        ds.setTrafficClass(4);
        assertEquals(4, ds.getTrafficClass());
        assertThrows(IllegalArgumentException.class, () -> ds.setSendBufferSize(0));
        assertThrows(IllegalArgumentException.class, () -> ds.connect(null));
        assertThrows(java.nio.channels.UnsupportedAddressTypeException.class,
                () -> ds.connect(java.net.UnixDomainSocketAddress.of("/tmp/x")));
        assertThrows(SocketException.class, () -> ds.bind(new InetSocketAddress(InetAddress.getByName("10.0.0.3"), 0)));
        ch.configureBlocking(false);
        assertThrows(IllegalBlockingModeException.class, () -> ds.receive(new DatagramPacket(new byte[8], 8)));
        ds.close();
        assertTrue(ds.isClosed());
        assertFalse(ch.isOpen());
        assertEquals(-1, ds.getLocalPort());
        assertNull(ds.getLocalAddress());
        assertThrows(SocketException.class, ds::getSoTimeout);
    }
}
