package io.dmm.core.channel;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.api.DmmSockets;
import io.dmm.api.Protocol;
import io.dmm.api.RouteHints;
import io.dmm.api.RouteScope;
import io.dmm.api.Role;
import io.dmm.api.StackStats;
import io.dmm.core.policy.RouteKey;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.core.testsupport.TestPolicy;
import io.dmm.core.testsupport.TestStacks;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** DMM-only behaviour of routed channels: lazy routing, fallback, hints, counters. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RoutingTest {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private DmmRuntime runtime;
    private ServerSocketChannel server; // a plain JDK server the routed clients connect to

    private DmmRuntime start(TestPolicy policy) throws IOException {
        runtime = new DmmRuntime(policy, TestStacks.providers());
        server = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        return runtime;
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    private InetSocketAddress serverAddress() throws IOException {
        return (InetSocketAddress) server.getLocalAddress();
    }

    private StackStats stats(String stack) {
        return runtime.stats().stack(stack).orElseThrow();
    }

    @Test
    void optionsAndBlockingModeSetBeforeRoutingAreApplied() throws Exception {
        start(new TestPolicy().kernel("k1").defaults("k1"));
        try (RoutedSocketChannel c = (RoutedSocketChannel) runtime.openSocketChannel(null, RouteHints.none())) {
            assertNull(c.stackName(), "not routed at open");
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
            c.setOption(StandardSocketOptions.SO_SNDBUF, 8192); // last value wins
            assertTrue(c.getOption(StandardSocketOptions.TCP_NODELAY), "the value set, before routing");
            assertEquals(8192, c.getOption(StandardSocketOptions.SO_SNDBUF));
            assertFalse(c.getOption(StandardSocketOptions.SO_KEEPALIVE), "the platform default, before routing");
            c.configureBlocking(false);
            boolean connected = c.connect(serverAddress());
            assertEquals("k1", c.stackName());
            try (SocketChannel a = server.accept()) {
                if (!connected) {
                    ChannelBehaviourSuite.finishConnecting(c);
                }
                assertFalse(c.isBlocking());
                assertTrue(c.getOption(StandardSocketOptions.TCP_NODELAY), "read back from the stack's socket");
                assertTrue(c.getOption(StandardSocketOptions.SO_SNDBUF) >= 8192);
                assertEquals(0, c.read(ByteBuffer.allocate(4)), "non-blocking mode reached the delegate");
            }
        }
    }

    @Test
    void aBindBeforeConnectIsSeenByThePolicyAndApplied() throws Exception {
        TestPolicy policy = new TestPolicy().kernel("k1").defaults("k1");
        start(policy);
        try (SocketChannel c = runtime.openSocketChannel(null, RouteHints.none())) {
            c.bind(new InetSocketAddress(LOOPBACK, 0));
            InetSocketAddress bound = (InetSocketAddress) c.getLocalAddress();
            assertEquals(LOOPBACK, bound.getAddress());
            assertTrue(bound.getPort() > 0, "kernel stacks only: bound with the OS at once, as the JDK binds");
            assertTrue(policy.keys.isEmpty(), "bind does not route a client");
            c.connect(serverAddress());
            RouteKey key = policy.lastKey();
            assertEquals(Protocol.TCP, key.protocol());
            assertEquals(Role.CLIENT, key.role());
            assertEquals(LOOPBACK, key.service());
            assertEquals(serverAddress().getPort(), key.port());
            assertEquals(LOOPBACK, key.source());
            assertEquals(bound, c.getLocalAddress(), "the stack's socket took the address held for it");
            server.accept().close();
        }
    }

    @Test
    void stackSourceAddressIsBoundBeforeConnect() throws Exception {
        start(new TestPolicy().stack("k1", "kernel", Map.of("source", "127.0.0.2")).defaults("k1"));
        try (SocketChannel c = runtime.openSocketChannel(null, RouteHints.none())) {
            c.connect(serverAddress());
            assertEquals(InetAddress.ofLiteral("127.0.0.2"), ((InetSocketAddress) c.getLocalAddress()).getAddress());
            server.accept().close();
        }
    }

    @Test
    void fallsBackWhenTheFirstStackIsDown() throws Exception {
        start(new TestPolicy().stack("gone", "down", Map.of()).kernel("k1").defaults("gone", "k1"));
        try (RoutedSocketChannel c = (RoutedSocketChannel) runtime.openSocketChannel(null, RouteHints.none())) {
            assertTrue(c.connect(serverAddress()));
            assertEquals("k1", c.stackName());
            server.accept().close();
        }
        assertEquals(1, stats("gone").decisions(), "the route chose it first");
        assertEquals(0, stats("gone").socketsOpened(), "but a DOWN stack is skipped");
        assertEquals("DOWN", stats("gone").health());
        assertEquals(1, stats("k1").connectsOk());
        assertEquals(1, stats("k1").socketsOpened());
        assertEquals(0, stats("k1").socketsActive());
    }

    @Test
    void fallsBackWhenTheFirstStackRefusesBlocking() throws Exception {
        start(new TestPolicy().stack("bad", "refusing", Map.of()).kernel("k1").defaults("bad", "k1"));
        try (RoutedSocketChannel c = (RoutedSocketChannel) runtime.openSocketChannel(null, RouteHints.none())) {
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            assertTrue(c.connect(serverAddress()));
            assertEquals("k1", c.stackName());
            assertTrue(c.getOption(StandardSocketOptions.TCP_NODELAY), "options re-applied on the next stack");
            server.accept().close();
        }
        assertEquals(1, stats("bad").connectsFailed());
        assertEquals(0, stats("bad").socketsActive(), "the failed stack's channel was closed");
        assertEquals(1, stats("k1").connectsOk());
    }

    @Test
    void fallsBackWhenTheFirstStackRefusesNonBlocking() throws Exception {
        start(new TestPolicy().stack("bad", "refusing", Map.of()).kernel("k1").defaults("bad", "k1"));
        try (RoutedSocketChannel c = (RoutedSocketChannel) runtime.openSocketChannel(null, RouteHints.none())) {
            c.configureBlocking(false);
            assertFalse(c.connect(serverAddress()), "pending on the refusing stack");
            assertEquals("bad", c.stackName());
            assertTrue(c.isConnectionPending());
            boolean connected = c.finishConnect(); // fails there, starts on k1
            assertEquals("k1", c.stackName());
            if (!connected) {
                ChannelBehaviourSuite.finishConnecting(c);
            }
            assertTrue(c.isConnected());
            server.accept().close();
        }
        assertEquals(1, stats("bad").connectsFailed());
        assertEquals(1, stats("k1").connectsOk());
    }

    @Test
    void whenEveryStackFailsTheLastFailureIsThrownWithTheOthersSuppressed() throws Exception {
        start(new TestPolicy().stack("bad1", "refusing", Map.of()).stack("bad2", "refusing", Map.of())
                .defaults("bad1", "bad2"));
        SocketChannel c = runtime.openSocketChannel(null, RouteHints.none());
        ConnectException e = assertThrows(ConnectException.class, () -> c.connect(serverAddress()));
        assertEquals(1, e.getSuppressed().length);
        assertInstanceOf(ConnectException.class, e.getSuppressed()[0]);
        assertFalse(c.isOpen(), "a failed connect closes the channel, as the JDK's");
        assertEquals(1, stats("bad1").connectsFailed());
        assertEquals(1, stats("bad2").connectsFailed());
    }

    @Test
    void noUsableStackIsNoRouteToHost() throws Exception {
        start(new TestPolicy().stack("gone", "down", Map.of()).kernel("k1").defaults("gone"));
        SocketChannel c = runtime.openSocketChannel(null, RouteHints.none());
        NoRouteToHostException e = assertThrows(NoRouteToHostException.class, () -> c.connect(serverAddress()));
        assertTrue(e.getMessage().contains("gone is DOWN"), e.getMessage());
        assertFalse(c.isOpen());
    }

    @Test
    void noUsableStackIsOneErrorTextForEveryKindOfChannel() throws Exception {
        start(new TestPolicy().stack("gone", "down", Map.of()).kernel("k1").defaults("gone"));
        InetSocketAddress to = serverAddress();
        SocketChannel c = runtime.openSocketChannel(null, RouteHints.none());
        NoRouteToHostException client = assertThrows(NoRouteToHostException.class, () -> c.connect(to));
        assertTrue(client.getMessage().startsWith("DMM: no usable stack for tcp client to " + to + " (route "),
                client.getMessage());
        try (ServerSocketChannel s = runtime.openServerSocketChannel(null, RouteHints.none())) {
            InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            java.net.SocketException server = assertThrows(java.net.SocketException.class, () -> s.bind(at));
            assertFalse(server instanceof NoRouteToHostException, "a server has nothing to reach");
            assertTrue(server.getMessage().startsWith("DMM: no usable stack for tcp server on " + at + " (route "),
                    server.getMessage());
            assertTrue(server.getMessage().contains("gone is DOWN"), server.getMessage());
        }
        try (DatagramChannel d = runtime.openDatagramChannel(null, RouteHints.none())) {
            NoRouteToHostException udp = assertThrows(NoRouteToHostException.class,
                    () -> d.send(ByteBuffer.allocate(1), to));
            assertTrue(udp.getMessage().startsWith("DMM: no usable stack for udp sender to " + to + " (route "),
                    udp.getMessage());
            assertTrue(udp.getMessage().contains("gone is DOWN"), udp.getMessage());
        }
    }

    @Test
    void explicitStackHintBypassesTheRules() throws Exception {
        TestPolicy policy = new TestPolicy().kernel("k1").kernel("k2").defaults("k1");
        start(policy);
        try (RoutedSocketChannel c = (RoutedSocketChannel) runtime.openSocketChannel(null, RouteHints.stack("k2"))) {
            c.connect(serverAddress());
            assertEquals("k2", c.stackName());
            server.accept().close();
        }
        assertTrue(policy.keys.isEmpty(), "no rule consulted");
        assertEquals(1, stats("k2").decisions());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> runtime.openSocketChannel(null, RouteHints.stack("k3")));
        assertTrue(e.getMessage().contains("k3") && e.getMessage().contains("k1, k2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> runtime.openServerSocketChannel(null, RouteHints.stack("nope")));
    }

    @Test
    void hintsAndScopesReachTheRouteKey() throws Exception {
        TestPolicy policy = new TestPolicy().kernel("k1").kernel("k2")
                .rule(k -> "bulk".equals(k.qos()), "k2").defaults("k1");
        start(policy);
        try (RouteScope scope = DmmSockets.scope(RouteHints.qos("bulk").withTag("t1"));
             RoutedSocketChannel c = (RoutedSocketChannel) runtime.provider().openSocketChannel()) {
            c.connect(serverAddress());
            assertEquals("k2", c.stackName());
            assertEquals("bulk", policy.lastKey().qos());
            assertEquals("t1", policy.lastKey().tag());
            server.accept().close();
        }
        try (RoutedSocketChannel c = (RoutedSocketChannel) runtime.openSocketChannel(null, RouteHints.qos("interactive"))) {
            c.connect(serverAddress());
            assertEquals("k1", c.stackName());
            assertEquals("interactive", policy.lastKey().qos());
            server.accept().close();
        }
        assertEquals(1, runtime.stats().rules().get(0).decisions());
        assertEquals(1, runtime.stats().rules().get(1).decisions(), "the default route");
        assertEquals(-1, runtime.stats().rules().get(1).index());
    }

    @Test
    void appAndCallerReachTheRouteKey() throws Exception {
        TestPolicy policy = new TestPolicy().kernel("k1").defaults("k1").usingCaller();
        start(policy);
        String before = System.getProperty("dmm.app");
        System.setProperty("dmm.app", "billing");
        try (SocketChannel c = com.example.app.Opener.open(runtime)) {
            c.connect(serverAddress());
            assertEquals("billing", policy.lastKey().app());
            assertEquals("com.example.app.Opener", policy.lastKey().caller(), "first frame outside io.dmm.* and the JDK");
            server.accept().close();
        } finally {
            if (before == null) {
                System.clearProperty("dmm.app");
            } else {
                System.setProperty("dmm.app", before);
            }
        }
    }

    @Test
    void callerIsNotWalkedUnlessThePolicyUsesIt() throws Exception {
        TestPolicy policy = new TestPolicy().kernel("k1").defaults("k1");
        start(policy);
        try (SocketChannel c = runtime.openSocketChannel(null, RouteHints.none())) {
            c.connect(serverAddress());
            assertNull(policy.lastKey().caller());
            server.accept().close();
        }
    }

    @Test
    void serverAndDatagramRolesAndKeys() throws Exception {
        TestPolicy policy = new TestPolicy().kernel("k1").defaults("k1");
        start(policy);
        try (ServerSocketChannel s = runtime.openServerSocketChannel(null, RouteHints.none())) {
            assertTrue(policy.keys.isEmpty());
            s.bind(new InetSocketAddress(LOOPBACK, 0));
            assertEquals(Role.SERVER, policy.lastKey().role());
            assertEquals(LOOPBACK, policy.lastKey().service());
        }
        try (DatagramChannel rx = runtime.openDatagramChannel(null, RouteHints.none());
             DatagramChannel tx = runtime.openDatagramChannel(StandardProtocolFamily.INET, RouteHints.none())) {
            rx.bind(new InetSocketAddress(LOOPBACK, 0));
            assertEquals(Role.RECEIVER, policy.lastKey().role());
            assertEquals(Protocol.UDP, policy.lastKey().protocol());
            InetSocketAddress to = (InetSocketAddress) rx.getLocalAddress();
            tx.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), to);
            assertEquals(Role.SENDER, policy.lastKey().role());
            assertEquals(to.getPort(), policy.lastKey().port());
            ByteBuffer buf = ByteBuffer.allocate(8);
            rx.receive(buf);
            assertEquals(3, buf.position());
        }
        StackStats k1 = stats("k1");
        assertEquals(3, k1.decisions());
        assertEquals(3, k1.bytesIn());
        assertEquals(3, k1.bytesOut());
        assertEquals(0, k1.socketsActive());
    }

    @Test
    void countersFollowTheTraffic() throws Exception {
        start(new TestPolicy().kernel("k1").defaults("k1"));
        try (ServerSocketChannel s = runtime.openServerSocketChannel(null, RouteHints.none())) {
            s.bind(new InetSocketAddress(LOOPBACK, 0));
            SocketChannel c = runtime.openSocketChannel(null, RouteHints.none());
            c.connect(s.getLocalAddress());
            SocketChannel a = s.accept();
            assertInstanceOf(RoutedSocketChannel.class, a);
            assertEquals("k1", ((RoutedSocketChannel) a).stackName());
            c.write(ByteBuffer.wrap(new byte[100]));
            ByteBuffer buf = ByteBuffer.allocate(100);
            while (buf.hasRemaining()) {
                a.read(buf);
            }
            a.write(new ByteBuffer[] {ByteBuffer.wrap(new byte[7]), ByteBuffer.wrap(new byte[3])});
            ByteBuffer back = ByteBuffer.allocate(10);
            while (back.hasRemaining()) {
                c.read(back);
            }
            StackStats st = stats("k1");
            assertEquals(3, st.socketsOpened(), "server, client, accepted");
            assertEquals(3, st.socketsActive());
            assertEquals(1, st.connectsOk());
            assertEquals(110, st.bytesOut());
            assertEquals(110, st.bytesIn());
            assertEquals(2, st.decisions(), "server bind and client connect");
            c.close();
            a.close();
        }
        assertEquals(0, stats("k1").socketsActive());
        assertTrue(runtime.stats().toTable().contains("k1"));
    }

    @Test
    void providerOfRoutedChannels() throws Exception {
        start(new TestPolicy().kernel("k1").defaults("k1"));
        try (SocketChannel c = runtime.openSocketChannel(null, RouteHints.none())) {
            assertSame(runtime.provider(), c.provider());
            try (var sel = runtime.provider().openSelector()) {
                assertInstanceOf(io.dmm.core.selector.DmmSelector.class, sel);
                assertSame(runtime.provider(), sel.provider());
            }
            var pipe = runtime.provider().openPipe();
            pipe.sink().close();
            pipe.source().close();
            assertInstanceOf(RoutedDatagramChannel.class, runtime.provider().openDatagramChannel(StandardProtocolFamily.INET)).close();
            assertInstanceOf(RoutedServerSocketChannel.class, runtime.provider().openServerSocketChannel()).close();
            try (SocketChannel unix = runtime.provider().openSocketChannel(StandardProtocolFamily.UNIX)) {
                assertFalse(unix instanceof RoutedSocketChannel, "UNIX-domain sockets are not routed");
            }
            assertThrows(UnsupportedOperationException.class,
                    () -> runtime.openSocketChannel(StandardProtocolFamily.UNIX, RouteHints.none()));
        }
    }

    @Test
    void ipv4OnlyChannelRejectsIpv6Addresses() throws Exception {
        start(new TestPolicy().kernel("k1").defaults("k1"));
        try (SocketChannel c = runtime.openSocketChannel(StandardProtocolFamily.INET, RouteHints.none())) {
            assertThrows(java.nio.channels.UnsupportedAddressTypeException.class,
                    () -> c.connect(new InetSocketAddress(InetAddress.ofLiteral("::1"), 80)));
            assertTrue(c.isOpen());
        }
    }

    @Test
    void withAUserspaceStackInThePolicyBindErrorsSurfaceAtConnect() throws Exception {
        // a stack with ports of its own could be routed to: the bind waits for connect (docs/drop-in.md)
        start(new TestPolicy().stack("u1", "userspace", TestStacks.userspaceLoopback()).kernel("k1").defaults("k1"));
        SocketChannel c = runtime.openSocketChannel(null, RouteHints.none());
        InetSocketAddress notLocal = new InetSocketAddress(InetAddress.ofLiteral("192.0.2.1"), 0); // TEST-NET-1
        c.bind(notLocal); // accepted: the bind happens at connect, once routed
        assertEquals(notLocal, c.getLocalAddress());
        assertThrows(java.net.BindException.class, () -> c.connect(serverAddress()));
        assertFalse(c.isOpen());
        assertEquals(1, stats("k1").connectsFailed());
        assertEquals(0, stats("k1").socketsActive());
    }

    @Test
    void serversAndDatagramsSkipDownStacks() throws Exception {
        start(new TestPolicy().stack("gone", "down", Map.of()).kernel("k1").defaults("gone", "k1"));
        try (RoutedServerSocketChannel s = (RoutedServerSocketChannel) runtime.openServerSocketChannel(null, RouteHints.none());
             RoutedDatagramChannel d = (RoutedDatagramChannel) runtime.openDatagramChannel(null, RouteHints.none())) {
            s.bind(new InetSocketAddress(0)); // wildcard: would listen on both, but one is DOWN
            assertEquals(java.util.List.of("k1"), s.stacksInUse());
            d.send(ByteBuffer.wrap(new byte[] {1}), serverAddress()); // nobody listens on UDP there: fine
            assertEquals("k1", d.stackName());
        }
        assertEquals(0, stats("gone").socketsOpened());
        assertEquals(2, stats("gone").decisions());
    }

    @Test
    void datagramOptionsAndBlockingSetBeforeRoutingAreApplied() throws Exception {
        start(new TestPolicy().kernel("k1").defaults("k1"));
        try (RoutedDatagramChannel d = (RoutedDatagramChannel) runtime.openDatagramChannel(null, RouteHints.none())) {
            d.setOption(StandardSocketOptions.SO_BROADCAST, true);
            assertTrue(d.getOption(StandardSocketOptions.SO_BROADCAST));
            d.configureBlocking(false);
            assertNull(d.receive(ByteBuffer.allocate(4)), "routed as a receiver, non-blocking");
            assertEquals("k1", d.stackName());
            assertTrue(d.getOption(StandardSocketOptions.SO_BROADCAST));
            assertNotNull(d.getLocalAddress(), "receive bound it, as the JDK does");
        }
    }

    @Test
    void socketAdaptorTimedConnectFallsBackToo() throws Exception {
        start(new TestPolicy().stack("bad", "refusing", Map.of()).kernel("k1").defaults("bad", "k1"));
        try (RoutedSocketChannel c = (RoutedSocketChannel) runtime.openSocketChannel(null, RouteHints.none())) {
            c.socket().connect(serverAddress(), 5000);
            assertEquals("k1", c.stackName());
            assertTrue(c.socket().isConnected());
            server.accept().close();
        }
        assertEquals(1, stats("bad").connectsFailed());
    }

    /** Documents the gap until DMM's own selector exists: a JDK selector refuses routed channels. */
    @Test
    void jdkSelectorsRejectRoutedChannels() throws Exception {
        start(new TestPolicy().kernel("k1").defaults("k1"));
        try (SocketChannel c = runtime.openSocketChannel(null, RouteHints.none());
             java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
            c.configureBlocking(false);
            assertThrows(java.nio.channels.IllegalSelectorException.class,
                    () -> c.register(selector, java.nio.channels.SelectionKey.OP_CONNECT));
        }
    }

    @Test
    void nonBlockingFallbackExhaustedFailsInFinishConnectAndCloses() throws Exception {
        start(new TestPolicy().stack("bad1", "refusing", Map.of()).stack("bad2", "refusing", Map.of())
                .defaults("bad1", "bad2"));
        RoutedSocketChannel c = (RoutedSocketChannel) runtime.openSocketChannel(null, RouteHints.none());
        c.configureBlocking(false);
        assertFalse(c.connect(serverAddress()));
        assertEquals("bad1", c.stackName());
        assertFalse(c.finishConnect(), "bad1 failed: a connect is now pending on bad2");
        assertEquals("bad2", c.stackName());
        assertTrue(c.isConnectionPending());
        ConnectException e = assertThrows(ConnectException.class, c::finishConnect);
        assertEquals(1, e.getSuppressed().length);
        assertFalse(c.isOpen());
        assertEquals(0, stats("bad1").socketsActive());
        assertEquals(0, stats("bad2").socketsActive());
        assertEquals(1, stats("bad2").connectsFailed());
    }

    @Test
    void asyncCloseDuringBlockingConnect() throws Exception {
        start(new TestPolicy().stack("slow", "hanging", Map.of()).kernel("k1").defaults("slow", "k1"));
        SocketChannel c = runtime.openSocketChannel(null, RouteHints.none());
        Throwable t = ChannelBehaviourSuite.blockThenDisturb("connect", () -> c.connect(serverAddress()), th -> {
            try {
                c.close();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, new java.util.concurrent.atomic.AtomicBoolean());
        assertInstanceOf(java.nio.channels.AsynchronousCloseException.class, t);
        assertFalse(t instanceof java.nio.channels.ClosedByInterruptException);
        assertEquals(0, stats("k1").socketsOpened(), "a closed channel does not fall back");
        assertEquals(0, stats("slow").socketsActive());
    }

    @Test
    void interruptDuringBlockingConnect() throws Exception {
        start(new TestPolicy().stack("slow", "hanging", Map.of()).kernel("k1").defaults("slow", "k1"));
        SocketChannel c = runtime.openSocketChannel(null, RouteHints.none());
        java.util.concurrent.atomic.AtomicBoolean flag = new java.util.concurrent.atomic.AtomicBoolean();
        Throwable t = ChannelBehaviourSuite.blockThenDisturb("connect", () -> c.connect(serverAddress()), Thread::interrupt, flag);
        assertInstanceOf(java.nio.channels.ClosedByInterruptException.class, t);
        assertTrue(flag.get());
        assertFalse(c.isOpen());
        assertEquals(0, stats("k1").socketsOpened(), "an interrupted connect does not fall back");
        assertEquals(0, stats("slow").socketsActive());
    }
}
