package io.dmm.stack.userspace.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a server socket channel decides before it needs the TCP engine. */
class ServerSocketChannelChecksTest {
    private final FakeStackAccess access = new FakeStackAccess();

    private UserspaceServerSocketChannel open() throws IOException {
        return UserspaceServerSocketChannel.open(SelectorProvider.provider(), access);
    }

    @Test
    void acceptingBeforeBindIsNotYetBound() throws IOException {
        try (UserspaceServerSocketChannel ch = open()) {
            assertThrows(NotYetBoundException.class, ch::accept);
            ch.configureBlocking(false);
            assertThrows(NotYetBoundException.class, ch::accept);
            assertThrows(IllegalBlockingModeException.class, () -> ch.accept(1_000_000L));
            assertEquals(0, ch.readyOps());
            assertNull(ch.getLocalAddress());
            assertTrue(ch.isOpen());
        }
    }

    @Test
    void optionsAreTheJdksServerSet() throws IOException {
        try (UserspaceServerSocketChannel ch = open()) {
            Set<java.net.SocketOption<?>> jdk;
            try (java.nio.channels.ServerSocketChannel k = java.nio.channels.ServerSocketChannel.open()) {
                jdk = new java.util.HashSet<>(k.supportedOptions());
            }
            assertEquals(jdk, ch.supportedOptions(), "the JDK's ServerSocketChannel options on this Linux");
            assertTrue(ch.getOption(StandardSocketOptions.SO_REUSEADDR), "servers reuse addresses by default, as the JDK's");
            assertFalse(ch.getOption(StandardSocketOptions.SO_REUSEPORT), "off by default, as the JDK's");
            ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            assertTrue(ch.getOption(StandardSocketOptions.SO_REUSEPORT));
            assertThrows(IllegalArgumentException.class, () -> ch.setOption(StandardSocketOptions.SO_REUSEPORT, null));
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, false);
            assertFalse(ch.getOption(StandardSocketOptions.SO_REUSEADDR));
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 8192);
            assertEquals(8192, ch.getOption(StandardSocketOptions.SO_RCVBUF));
            assertThrows(IllegalArgumentException.class, () -> ch.setOption(StandardSocketOptions.SO_RCVBUF, -1));
            assertThrows(UnsupportedOperationException.class, () -> ch.setOption(StandardSocketOptions.TCP_NODELAY, true));
        }
    }

    @Test
    void bindChecksTheAddress() throws IOException {
        try (UserspaceServerSocketChannel ch = open()) {
            assertThrows(UnsupportedAddressTypeException.class,
                    () -> ch.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0)));
            BindException e = assertThrows(BindException.class,
                    () -> ch.bind(new InetSocketAddress(InetAddress.getByName("192.168.7.7"), 8080)));
            assertEquals("Cannot assign requested address", e.getMessage());
            assertNull(ch.getLocalAddress());
        }
    }

    @Test
    void aClosedServerChannelThrowsClosedChannelException() throws IOException {
        UserspaceServerSocketChannel ch = open();
        ch.close();
        assertThrows(ClosedChannelException.class, ch::accept);
        assertThrows(ClosedChannelException.class, () -> ch.bind(null));
        assertThrows(ClosedChannelException.class, ch::getLocalAddress);
        assertThrows(ClosedChannelException.class, () -> ch.getOption(StandardSocketOptions.SO_RCVBUF));
        assertEquals(0, ch.readyOps());
        assertEquals("java.nio.channels.ServerSocketChannel[closed]", ch.toString());
    }

    @Test
    void theAdaptorMirrorsTheChannel() throws IOException {
        UserspaceServerSocketChannel ch = open();
        ServerSocket ss = ch.socket();
        assertSame(ss, ch.socket());
        assertSame(ch, ss.getChannel());
        assertFalse(ss.isBound());
        assertEquals(-1, ss.getLocalPort());
        assertNull(ss.getInetAddress());
        assertEquals("ServerSocket[unbound]", ss.toString());
        SocketException notBound = assertThrows(SocketException.class, ss::accept);
        assertEquals("Socket is not bound yet", notBound.getMessage());
        ss.setSoTimeout(100);
        assertEquals(100, ss.getSoTimeout());
        assertThrows(IllegalArgumentException.class, () -> ss.setSoTimeout(-1));
        assertThrows(IllegalArgumentException.class, () -> ss.setReceiveBufferSize(0));
        ss.setReuseAddress(false);
        assertFalse(ss.getReuseAddress());
        assertThrows(BindException.class, () -> ss.bind(new InetSocketAddress(InetAddress.getByName("10.9.9.9"), 1)));
        ss.close();
        assertTrue(ss.isClosed());
        assertFalse(ch.isOpen());
        assertThrows(SocketException.class, ss::getSoTimeout);
    }
}
