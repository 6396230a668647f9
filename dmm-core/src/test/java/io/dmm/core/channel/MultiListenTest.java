package io.dmm.core.channel;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.api.RouteHints;
import io.dmm.api.Role;
import io.dmm.api.StackStats;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.core.testsupport.TestPolicy;
import io.dmm.core.testsupport.TestStacks;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A server bound to a wildcard address with a route of two kernel instances listens on both. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MultiListenTest {
    private DmmRuntime runtime;

    @BeforeEach
    void start() {
        runtime = new DmmRuntime(new TestPolicy().kernel("k1").kernel("k2").kernel("client")
                .rule(k -> k.role() == Role.SERVER, "k1", "k2")
                .defaults("client"), TestStacks.providers());
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    @Test
    void acceptsConnectionsArrivingOnBothMembers() throws Exception {
        List<SocketChannel> clients = new ArrayList<>();
        List<SocketChannel> accepted = new ArrayList<>();
        Map<String, Integer> perStack = new HashMap<>();
        try (RoutedServerSocketChannel s = (RoutedServerSocketChannel) runtime.openServerSocketChannel(null,
                RouteHints.none())) {
            s.bind(new InetSocketAddress(0));
            assertEquals(List.of("k1", "k2"), s.stacksInUse());
            assertTrue(s.getOption(StandardSocketOptions.SO_REUSEPORT), "kernel members share the port");
            int port = ((InetSocketAddress) s.getLocalAddress()).getPort();
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            for (int i = 0; i < 40; i++) {
                SocketChannel c = runtime.openSocketChannel(null, RouteHints.none());
                clients.add(c);
                assertTrue(c.connect(target));
            }
            for (int i = 0; i < 40; i++) {
                RoutedSocketChannel a = (RoutedSocketChannel) s.accept();
                accepted.add(a);
                perStack.merge(a.stackName(), 1, Integer::sum);
                a.write(ByteBuffer.wrap(new byte[] {(byte) i}));
            }
            for (SocketChannel c : clients) {
                ByteBuffer b = ByteBuffer.allocate(1);
                assertEquals(1, c.read(b));
            }
            assertTrue(perStack.getOrDefault("k1", 0) > 0, "k1 accepted some: " + perStack);
            assertTrue(perStack.getOrDefault("k2", 0) > 0, "k2 accepted some: " + perStack);
            assertEquals(40, perStack.get("k1") + perStack.get("k2"));

            StackStats k1 = runtime.stats().stack("k1").orElseThrow();
            StackStats k2 = runtime.stats().stack("k2").orElseThrow();
            assertEquals(1 + perStack.get("k1"), k1.socketsOpened(), "its listener and what it accepted");
            assertEquals(1 + perStack.get("k2"), k2.socketsOpened());
            assertEquals((long) perStack.get("k1"), k1.bytesOut(), "bytes counted on the accepting stack");
            assertEquals(40, runtime.stats().stack("client").orElseThrow().connectsOk());
            s.configureBlocking(false);
            assertNull(s.accept(), "nothing pending on either member");
        } finally {
            for (SocketChannel c : clients) {
                c.close();
            }
            for (SocketChannel a : accepted) {
                a.close();
            }
        }
        assertEquals(0, runtime.stats().stack("k1").orElseThrow().socketsActive());
        assertEquals(0, runtime.stats().stack("k2").orElseThrow().socketsActive());
    }

    @Test
    void specificAddressListensOnTheFirstStackOnly() throws Exception {
        try (RoutedServerSocketChannel s = (RoutedServerSocketChannel) runtime.openServerSocketChannel(null,
                RouteHints.none())) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertEquals(List.of("k1"), s.stacksInUse());
        }
    }

    @Test
    void explicitPortIsSharedByAllMembers() throws Exception {
        int port;
        try (ServerSocketChannel probe = ServerSocketChannel.open().bind(new InetSocketAddress(0))) {
            port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        try (RoutedServerSocketChannel s = (RoutedServerSocketChannel) runtime.openServerSocketChannel(null,
                RouteHints.none())) {
            s.bind(new InetSocketAddress(port));
            assertEquals(port, ((InetSocketAddress) s.getLocalAddress()).getPort());
            assertEquals(2, s.stacksInUse().size());
        }
    }
}
