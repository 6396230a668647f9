package io.dmm.stack.userspace.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.tcp.TcpConfig;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;

/** What a socket channel decides before it needs the TCP engine: options, state and address checks. */
class SocketChannelChecksTest {
    private final FakeStackAccess access = new FakeStackAccess();

    private UserspaceSocketChannel open() throws IOException {
        return UserspaceSocketChannel.open(SelectorProvider.provider(), access);
    }

    /** The JDK's SocketChannel options on this Linux but SO_REUSEPORT (not the userspace stack's yet). */
    static Set<SocketOption<?>> jdkOptions() throws IOException {
        try (java.nio.channels.SocketChannel jdk = java.nio.channels.SocketChannel.open()) {
            return jdk.supportedOptions();
        }
    }

    @Test
    void optionsAreTheJdksTcpSetWithItsValidation() throws IOException {
        try (UserspaceSocketChannel ch = open()) {
            assertEquals(jdkOptions(), ch.supportedOptions());
            assertFalse(ch.getOption(StandardSocketOptions.SO_REUSEPORT));
            ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            assertTrue(ch.getOption(StandardSocketOptions.SO_REUSEPORT));
            assertFalse(ch.getOption(StandardSocketOptions.TCP_NODELAY));
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            assertTrue(ch.getOption(StandardSocketOptions.TCP_NODELAY));
            ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            assertTrue(ch.getOption(StandardSocketOptions.SO_KEEPALIVE));
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            assertTrue(ch.getOption(StandardSocketOptions.SO_REUSEADDR));
            assertEquals(-1, ch.getOption(StandardSocketOptions.SO_LINGER));
            ch.setOption(StandardSocketOptions.SO_LINGER, 70_000);
            assertEquals(65535, ch.getOption(StandardSocketOptions.SO_LINGER), "clamped as the JDK does");
            ch.setOption(StandardSocketOptions.SO_LINGER, -5);
            assertEquals(-1, ch.getOption(StandardSocketOptions.SO_LINGER));
            assertEquals(TcpConfig.defaults().defaultSendBuffer, ch.getOption(StandardSocketOptions.SO_SNDBUF), "the engine's default");
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            assertEquals(1 << 20, ch.getOption(StandardSocketOptions.SO_RCVBUF));
            ch.setOption(StandardSocketOptions.IP_TOS, 0x10);
            assertEquals(0x10, ch.getOption(StandardSocketOptions.IP_TOS));
            ch.setOption(StandardSocketOptions.IP_TOS, 0xFF);
            assertEquals(0xFC, ch.getOption(StandardSocketOptions.IP_TOS), "the ECN bits are TCP's own, as on Linux");
            assertTrue(ch.getOption(ExtendedSocketOptions.TCP_QUICKACK), "on, as a new Linux socket reports it");
            ch.setOption(ExtendedSocketOptions.TCP_QUICKACK, false);
            assertFalse(ch.getOption(ExtendedSocketOptions.TCP_QUICKACK));
            assertEquals(0, ch.getOption(ExtendedSocketOptions.SO_INCOMING_NAPI_ID));
            assertEquals("Attempt to set read only option SO_INCOMING_NAPI_ID", assertThrows(SocketException.class,
                    () -> ch.setOption(ExtendedSocketOptions.SO_INCOMING_NAPI_ID, 1)).getMessage());
            assertEquals("Invalid argument", assertThrows(SocketException.class,
                    () -> ch.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 0)).getMessage());
            assertEquals("Invalid argument", assertThrows(SocketException.class,
                    () -> ch.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 128)).getMessage());

            assertThrows(IllegalArgumentException.class, () -> ch.setOption(StandardSocketOptions.SO_SNDBUF, -1));
            assertThrows(IllegalArgumentException.class, () -> ch.setOption(StandardSocketOptions.IP_TOS, 256));
            assertThrows(IllegalArgumentException.class, () -> ch.setOption(StandardSocketOptions.TCP_NODELAY, null));
            @SuppressWarnings({"unchecked", "rawtypes"})
            SocketOption<Object> raw = (SocketOption) StandardSocketOptions.SO_KEEPALIVE;
            assertThrows(IllegalArgumentException.class, () -> ch.setOption(raw, 1));
            UnsupportedOperationException uoe = assertThrows(UnsupportedOperationException.class,
                    () -> ch.setOption(StandardSocketOptions.SO_BROADCAST, true));
            assertEquals("'SO_BROADCAST' not supported", uoe.getMessage());
            assertThrows(UnsupportedOperationException.class, () -> ch.getOption(StandardSocketOptions.IP_MULTICAST_TTL));
            assertThrows(NullPointerException.class, () -> ch.getOption(null));
        }
    }

    @Test
    void anUnconnectedChannelRefusesIoAsTheJdks() throws IOException {
        try (UserspaceSocketChannel ch = open()) {
            assertFalse(ch.isConnected());
            assertFalse(ch.isConnectionPending());
            assertNull(ch.getLocalAddress());
            assertNull(ch.getRemoteAddress());
            assertEquals(0, ch.readyOps());
            assertThrows(NotYetConnectedException.class, () -> ch.read(ByteBuffer.allocate(1)));
            assertThrows(NotYetConnectedException.class, () -> ch.read(new ByteBuffer[] {ByteBuffer.allocate(1)}));
            assertThrows(NotYetConnectedException.class, () -> ch.write(ByteBuffer.allocate(1)));
            assertThrows(NotYetConnectedException.class, () -> ch.read(ByteBuffer.allocate(1), 1_000_000L));
            assertThrows(NotYetConnectedException.class, ch::shutdownInput);
            assertThrows(NotYetConnectedException.class, ch::shutdownOutput);
            assertThrows(NoConnectionPendingException.class, ch::finishConnect);
            assertTrue(ch.isOpen(), "state exceptions do not close the channel");
        }
    }

    @Test
    void aClosedChannelThrowsClosedChannelException() throws IOException {
        UserspaceSocketChannel ch = open();
        ch.close();
        assertFalse(ch.isOpen());
        assertEquals(0, ch.readyOps());
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName("10.0.0.2"), 80);
        assertThrows(ClosedChannelException.class, () -> ch.read(ByteBuffer.allocate(1)));
        assertThrows(ClosedChannelException.class, () -> ch.write(ByteBuffer.allocate(1)));
        assertThrows(ClosedChannelException.class, () -> ch.connect(remote));
        assertThrows(ClosedChannelException.class, ch::finishConnect);
        assertThrows(ClosedChannelException.class, () -> ch.bind(null));
        assertThrows(ClosedChannelException.class, ch::getLocalAddress);
        assertThrows(ClosedChannelException.class, ch::getRemoteAddress);
        assertThrows(ClosedChannelException.class, () -> ch.getOption(StandardSocketOptions.SO_LINGER));
        assertThrows(ClosedChannelException.class, () -> ch.setOption(StandardSocketOptions.SO_LINGER, 1));
        assertThrows(ClosedChannelException.class, ch::shutdownInput);
        ch.close(); // idempotent
        // the address is checked before the channel state, as the JDK's connect does
        assertThrows(UnresolvedAddressException.class, () -> ch.connect(InetSocketAddress.createUnresolved("nowhere.invalid", 1)));
    }

    @Test
    void onlyIpv4InetAddressesAreAccepted() throws IOException {
        try (UserspaceSocketChannel ch = open()) {
            SocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 80);
            assertThrows(UnsupportedAddressTypeException.class, () -> ch.connect(v6));
            assertThrows(UnsupportedAddressTypeException.class, () -> ch.bind(v6));
            assertThrows(UnsupportedAddressTypeException.class, () -> ch.connect(UnixDomainSocketAddress.of("/tmp/x")));
            assertThrows(UnresolvedAddressException.class, () -> ch.connect(InetSocketAddress.createUnresolved("nowhere.invalid", 80)));
            assertThrows(NullPointerException.class, () -> ch.connect(null));
            assertTrue(ch.isOpen(), "address errors do not close the channel");
        }
    }

    @Test
    void bindingAnAddressTheInterfaceDoesNotOwnFails() throws IOException {
        try (UserspaceSocketChannel ch = open()) {
            BindException e = assertThrows(BindException.class,
                    () -> ch.bind(new InetSocketAddress(InetAddress.getByName("10.0.0.99"), 0)));
            assertEquals("Cannot assign requested address", e.getMessage());
            assertNull(ch.getLocalAddress());
            assertTrue(ch.isOpen());
        }
    }

    @Test
    void aClosedStackOpensNoChannels() {
        access.close();
        IOException e = assertThrows(IOException.class, this::open);
        assertEquals("stack fake0 is closed", e.getMessage());
    }

    @Test
    void theAdaptorMirrorsTheChannel() throws IOException {
        UserspaceSocketChannel ch = open();
        Socket s = ch.socket();
        assertSame(s, ch.socket());
        assertSame(ch, s.getChannel());
        assertFalse(s.isConnected());
        assertFalse(s.isBound());
        assertFalse(s.isClosed());
        assertEquals(-1, s.getLocalPort());
        assertEquals(0, s.getPort());
        assertNull(s.getInetAddress());
        assertTrue(s.getLocalAddress().isAnyLocalAddress());
        assertEquals("Socket[unconnected]", s.toString());
        SocketException notConnected = assertThrows(SocketException.class, s::getInputStream);
        assertEquals("Socket is not connected", notConnected.getMessage());
        assertThrows(SocketException.class, s::getOutputStream);
        assertThrows(SocketException.class, s::shutdownInput, "NotYetConnectedException translated");

        s.setSoTimeout(250);
        assertEquals(250, s.getSoTimeout());
        assertThrows(IllegalArgumentException.class, () -> s.setSoTimeout(-1));
        s.setTcpNoDelay(true);
        assertTrue(s.getTcpNoDelay());
        s.setSoLinger(true, 7);
        assertEquals(7, s.getSoLinger());
        s.setSoLinger(false, 7);
        assertEquals(-1, s.getSoLinger());
        s.setKeepAlive(true);
        assertTrue(ch.getOption(StandardSocketOptions.SO_KEEPALIVE));
        s.setTrafficClass(0x20);
        assertEquals(0x20, s.getTrafficClass());
        assertThrows(IllegalArgumentException.class, () -> s.setSendBufferSize(0));
        assertThrows(IllegalArgumentException.class, () -> s.setReceiveBufferSize(-1));
        s.setReceiveBufferSize(4096);
        assertEquals(4096, s.getReceiveBufferSize());
        assertFalse(s.getOOBInline());
        assertThrows(NotYetConnectedException.class, () -> s.sendUrgentData(1), "as the JDK's adaptor");

        // a timed connect needs blocking mode
        ch.configureBlocking(false);
        assertThrows(IllegalBlockingModeException.class,
                () -> s.connect(new InetSocketAddress(InetAddress.getByName("10.0.0.2"), 80), 100));
        assertTrue(ch.isOpen());

        s.close();
        assertFalse(ch.isOpen());
        assertTrue(s.isClosed());
        assertThrows(SocketException.class, s::getSoTimeout);
        SocketException closed = assertThrows(SocketException.class, s::getTcpNoDelay);
        assertEquals("Socket is closed", closed.getMessage());
    }

    @Test
    void theAdaptorClosesOnAnUnresolvedConnect() throws IOException {
        UserspaceSocketChannel ch = open();
        Socket s = ch.socket();
        assertThrows(UnknownHostException.class, () -> s.connect(InetSocketAddress.createUnresolved("nowhere.invalid", 80), 10));
        assertFalse(ch.isOpen(), "as the JDK's adaptor, an unresolved connect closes the socket");
        assertThrows(IllegalArgumentException.class, () -> s.connect(null));
    }

    @Test
    void toStringSaysTheState() throws IOException {
        UserspaceSocketChannel ch = open();
        assertEquals("java.nio.channels.SocketChannel[unconnected]", ch.toString());
        ch.close();
        assertEquals("java.nio.channels.SocketChannel[closed]", ch.toString());
    }
}
