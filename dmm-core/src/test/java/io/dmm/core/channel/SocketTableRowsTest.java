package io.dmm.core.channel;

import io.dmm.core.routing.RoutedChannel;
import static org.junit.jupiter.api.Assertions.*;

import io.dmm.api.Protocol;
import io.dmm.api.Role;
import io.dmm.api.RouteHints;
import io.dmm.api.SocketInfo;
import io.dmm.api.testing.BackgroundCall;
import io.dmm.core.DmmAsynchronousChannelProvider;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.core.selector.DelegatingChannel;
import io.dmm.core.testsupport.TestPolicy;
import io.dmm.core.testsupport.TestStacks;
import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The socket table as the routed channels fill it: one row per open channel (clients, servers,
 * accepted, datagram, asynchronous, inherited) with the right stack, addresses, state, bytes and
 * decision, and no row once a channel is closed, however it was closed.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SocketTableRowsTest {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /**
     * #0 tag user → u1 (userspace on an in-memory loopback); #1 tag hang → a stack whose connects
     * hang; #2 tag refuse → one that refuses every connect; #3 tag fallback → refuse, then k1;
     * #4 tag multi → k1 and k2 (servers listen on both); #5 servers → k1; default k2.
     */
    static TestPolicy policy() {
        return new TestPolicy().kernel("k1").kernel("k2")
                .stack("u1", "userspace", TestStacks.userspaceLoopback())
                .stack("hang", "hanging", Map.of()).stack("refuse", "refusing", Map.of())
                .rule(k -> "user".equals(k.tag()), "u1")
                .rule(k -> "hang".equals(k.tag()), "hang")
                .rule(k -> "refuse".equals(k.tag()), "refuse")
                .rule(k -> "fallback".equals(k.tag()), "refuse", "k1")
                .rule(k -> "multi".equals(k.tag()), "k1", "k2")
                .rule(k -> k.role() == Role.SERVER, "k1")
                .defaults("k2");
    }

    DmmRuntime runtime;

    @BeforeEach
    void start() {
        runtime = new DmmRuntime(policy(), TestStacks.providers());
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    private static RouteHints tag(String tag) {
        return tag.isEmpty() ? RouteHints.none() : RouteHints.tag(tag);
    }

    /** The table's row of {@code ch}, which must be listed (and say what the channel says of itself). */
    private SocketInfo row(RoutedChannel ch) {
        long id = ch.socketInfo().id();
        List<SocketInfo> rows = runtime.sockets().list();
        SocketInfo listed = rows.stream().filter(r -> r.id() == id).findFirst()
                .orElseThrow(() -> new AssertionError("socket " + id + " is not in the table: " + rows));
        assertEquals(ch.socketInfo().state(), listed.state());
        return listed;
    }

    private boolean listed(RoutedChannel ch) {
        long id = ch.socketInfo().id();
        return runtime.sockets().list().stream().anyMatch(r -> r.id() == id);
    }

    private static void assertDecision(SocketInfo row, String stack, String rule) {
        assertEquals(stack, row.stack(), row.toString());
        assertEquals(rule, row.rule(), row.toString());
        assertEquals(1, row.policyVersion(), row.toString());
    }

    private static void assertUnrouted(SocketInfo row) {
        assertEquals(SocketRows.UNROUTED, row.state(), row.toString());
        assertEquals("", row.stack());
        assertEquals("", row.rule());
        assertEquals(0, row.policyVersion());
    }

    private static void readFully(SocketChannel ch, ByteBuffer... bufs) throws IOException {
        long want = 0;
        for (ByteBuffer b : bufs) {
            want += b.remaining();
        }
        while (want > 0) {
            long n = bufs.length == 1 ? ch.read(bufs[0]) : ch.read(bufs);
            assertTrue(n > 0, "end of stream before all bytes arrived");
            want -= n;
        }
    }

    private static void writeFully(SocketChannel ch, ByteBuffer... bufs) throws IOException {
        long left = 0;
        for (ByteBuffer b : bufs) {
            left += b.remaining();
        }
        while (left > 0) {
            left -= bufs.length == 1 ? ch.write(bufs[0]) : ch.write(bufs);
        }
    }

    /** "" runs on the kernel (client by the default, server and accepted by rule #5), "user" on u1 by rule #0. */
    @ParameterizedTest
    @ValueSource(strings = {"", "user"})
    void clientServerAndAcceptedRowsWithTheirBytesAndShutdownStates(String tag) throws Exception {
        String clientStack = tag.isEmpty() ? "k2" : "u1";
        String serverStack = tag.isEmpty() ? "k1" : "u1";
        String clientRule = tag.isEmpty() ? "default" : "#0";
        String serverRule = tag.isEmpty() ? "#5" : "#0";
        Instant before = Instant.now();
        try (RoutedServerSocketChannel server = (RoutedServerSocketChannel) runtime.openServerSocketChannel(null, tag(tag));
             RoutedSocketChannel client = (RoutedSocketChannel) runtime.openSocketChannel(null, tag(tag))) {
            assertUnrouted(row(server));
            assertEquals(SocketRows.SERVER, row(server).kind());
            assertUnrouted(row(client));
            assertEquals(SocketRows.CLIENT, row(client).kind());
            assertNull(row(client).local());
            assertTrue(row(client).id() > row(server).id(), "ids in opening order");

            server.bind(new InetSocketAddress(LOOPBACK, 0));
            InetSocketAddress serverAddress = (InetSocketAddress) server.getLocalAddress();
            SocketInfo s = row(server);
            assertEquals(SocketRows.LISTENING, s.state());
            assertDecision(s, serverStack, serverRule);
            assertEquals(serverAddress, s.local());
            assertNull(s.remote());
            assertEquals(Protocol.TCP, s.protocol());

            client.connect(serverAddress);
            try (RoutedSocketChannel accepted = (RoutedSocketChannel) server.accept()) {
                InetSocketAddress clientAddress = (InetSocketAddress) client.getLocalAddress();
                SocketInfo c = row(client);
                assertEquals(SocketRows.ESTABLISHED, c.state());
                assertDecision(c, clientStack, clientRule);
                assertEquals(clientAddress, c.local());
                assertEquals(serverAddress, c.remote());
                SocketInfo a = row(accepted);
                assertEquals(SocketRows.ACCEPTED, a.kind());
                assertEquals(SocketRows.ESTABLISHED, a.state());
                assertDecision(a, serverStack, serverRule);
                assertEquals(serverAddress, a.local());
                assertEquals(clientAddress, a.remote());
                assertEquals(3, runtime.sockets().list().size());

                // 1000 written in one write and 234 gathered; read as 700 then scattered
                writeFully(client, ByteBuffer.allocate(1000));
                writeFully(client, ByteBuffer.allocate(200), ByteBuffer.allocate(34));
                readFully(accepted, ByteBuffer.allocate(700));
                readFully(accepted, ByteBuffer.allocate(500), ByteBuffer.allocate(34));
                writeFully(accepted, ByteBuffer.allocate(77));
                readFully(client, ByteBuffer.allocate(77));
                c = row(client);
                a = row(accepted);
                assertEquals(1234, c.bytesOut());
                assertEquals(77, c.bytesIn());
                assertEquals(1234, a.bytesIn());
                assertEquals(77, a.bytesOut());
                assertEquals(0, row(server).bytesIn() + row(server).bytesOut());
                for (SocketInfo r : List.of(row(server), c, a)) {
                    assertFalse(r.opened().isBefore(before.minusMillis(1)), r.toString());
                    assertFalse(r.opened().isAfter(Instant.now()), r.toString());
                }

                client.shutdownOutput();
                assertEquals(SocketRows.OUTPUT_SHUTDOWN, row(client).state());
                accepted.shutdownInput();
                assertEquals(SocketRows.INPUT_SHUTDOWN, row(accepted).state());
                accepted.shutdownOutput();
                assertEquals(SocketRows.SHUTDOWN, row(accepted).state());
            }
            assertEquals(2, runtime.sockets().list().size(), "the accepted socket left the table");
            client.close();
            assertFalse(listed(client));
            assertEquals(SocketRows.CLOSED, client.socketInfo().state(), "its own row, described once closed");
        }
        assertEquals(List.of(), runtime.sockets().list());
        assertEquals(0, runtime.sockets().size());
    }

    @Test
    void anUnroutedClientShowsTheAddressItAskedToBindTo() throws Exception {
        try (RoutedSocketChannel client = (RoutedSocketChannel) runtime.openSocketChannel(null, RouteHints.none());
             ServerSocketChannel target = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            InetSocketAddress requested = new InetSocketAddress(LOOPBACK, 0);
            client.bind(requested);
            assertUnrouted(row(client));
            assertEquals(requested, row(client).local());
            client.connect(target.getLocalAddress());
            target.accept().close();
            assertEquals(LOOPBACK, row(client).local().getAddress());
            assertNotEquals(0, row(client).local().getPort(), "the stack's address once routed");
        }
    }

    @Test
    void aServerOnSeveralStacksIsOneRowNamingThemAll() throws Exception {
        try (ServerSocketChannel server = runtime.openServerSocketChannel(null, RouteHints.tag("multi"))) {
            server.bind(new InetSocketAddress(0));
            SocketInfo s = row((RoutedChannel) server);
            assertEquals("k1,k2", s.stack());
            assertEquals("#4", s.rule());
            assertEquals(SocketRows.LISTENING, s.state());
            assertTrue(s.local().getAddress().isAnyLocalAddress());
            assertEquals(((InetSocketAddress) server.getLocalAddress()).getPort(), s.local().getPort());
        }
        assertEquals(0, runtime.sockets().size());
    }

    @Test
    void datagramRowsCountWhatTheChannelAndItsSocketAdaptorMove() throws Exception {
        try (RoutedDatagramChannel a = (RoutedDatagramChannel) runtime.openDatagramChannel(null, RouteHints.none());
             RoutedDatagramChannel b = (RoutedDatagramChannel) runtime.openDatagramChannel(null, RouteHints.none())) {
            assertUnrouted(row(a));
            assertEquals(SocketRows.DATAGRAM, row(a).kind());
            assertEquals(Protocol.UDP, row(a).protocol());

            a.bind(new InetSocketAddress(LOOPBACK, 0));
            InetSocketAddress aAddress = (InetSocketAddress) a.getLocalAddress();
            SocketInfo ra = row(a);
            assertEquals(SocketRows.BOUND, ra.state());
            assertDecision(ra, "k2", "default");
            assertEquals(aAddress, ra.local());
            assertNull(ra.remote());

            b.connect(aAddress);
            InetSocketAddress bAddress = (InetSocketAddress) b.getLocalAddress();
            SocketInfo rb = row(b);
            assertEquals(SocketRows.CONNECTED, rb.state());
            assertEquals(aAddress, rb.remote());
            assertEquals(bAddress, rb.local());

            b.write(ByteBuffer.allocate(10));
            a.receive(ByteBuffer.allocate(100));
            a.send(ByteBuffer.allocate(20), bAddress);
            assertEquals(20, b.read(ByteBuffer.allocate(100)));
            b.socket().send(new DatagramPacket(new byte[5], 5));
            DatagramPacket p = new DatagramPacket(new byte[100], 100);
            a.socket().receive(p);
            assertEquals(5, p.getLength());

            ra = row(a);
            rb = row(b);
            assertEquals(15, ra.bytesIn());
            assertEquals(20, ra.bytesOut());
            assertEquals(20, rb.bytesIn());
            assertEquals(15, rb.bytesOut());
            b.disconnect();
            assertEquals(SocketRows.BOUND, row(b).state());
        }
        assertEquals(0, runtime.sockets().size());
    }

    @Test
    void asynchronousRowsCountBytesAtCompletionAndLeaveWhenClosed() throws Exception {
        DmmAsynchronousChannelProvider provider = new DmmAsynchronousChannelProvider(runtime);
        try (AsynchronousServerSocketChannel server = provider.openAsynchronousServerSocketChannel(null);
             AsynchronousSocketChannel client = provider.openAsynchronousSocketChannel(null)) {
            RoutedChannel s = (RoutedChannel) server;
            RoutedChannel c = (RoutedChannel) client;
            assertUnrouted(row(s));
            assertUnrouted(row(c));
            server.bind(new InetSocketAddress(LOOPBACK, 0));
            InetSocketAddress serverAddress = (InetSocketAddress) server.getLocalAddress();
            assertEquals(SocketRows.LISTENING, row(s).state());
            assertDecision(row(s), "k1", "#5");
            assertEquals(serverAddress, row(s).local());

            Future<AsynchronousSocketChannel> accepting = server.accept();
            client.connect(serverAddress).get(10, TimeUnit.SECONDS);
            try (AsynchronousSocketChannel accepted = accepting.get(10, TimeUnit.SECONDS)) {
                RoutedChannel a = (RoutedChannel) accepted;
                SocketInfo rc = row(c);
                assertEquals(SocketRows.ESTABLISHED, rc.state());
                assertDecision(rc, "k2", "default");
                assertEquals(client.getLocalAddress(), rc.local());
                assertEquals(serverAddress, rc.remote());
                SocketInfo ra = row(a);
                assertEquals(SocketRows.ACCEPTED, ra.kind());
                assertDecision(ra, "k1", "#5");
                assertEquals(client.getLocalAddress(), ra.remote());

                ByteBuffer out = ByteBuffer.allocate(300);
                while (out.hasRemaining()) {
                    client.write(out).get(10, TimeUnit.SECONDS);
                }
                ByteBuffer in = ByteBuffer.allocate(300);
                while (in.hasRemaining()) {
                    assertTrue(accepted.read(in).get(10, TimeUnit.SECONDS) > 0);
                }
                assertEquals(300, row(c).bytesOut());
                assertEquals(300, row(a).bytesIn());
                client.shutdownOutput();
                assertEquals(SocketRows.OUTPUT_SHUTDOWN, row(c).state());
                accepted.shutdownInput();
                assertEquals(SocketRows.INPUT_SHUTDOWN, row(a).state());
            }
            assertEquals(2, runtime.sockets().size());
            client.close();
            assertFalse(listed(c));
        }
        assertEquals(0, runtime.sockets().size());
    }

    @Test
    void anAsynchronousConnectThatFailsLeavesTheTable() throws Exception {
        DmmAsynchronousChannelProvider provider = new DmmAsynchronousChannelProvider(runtime);
        AsynchronousSocketChannel client = runtime.openAsynchronousSocketChannel(provider, null, RouteHints.tag("refuse"));
        assertEquals(1, runtime.sockets().size());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client.connect(new InetSocketAddress(LOOPBACK, 9)).get(10, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, e.getCause());
        assertFalse(client.isOpen());
        assertEquals(0, runtime.sockets().size());
    }

    @Test
    void closingAnAsynchronousChannelWithAReadPendingLeavesTheTable() throws Exception {
        DmmAsynchronousChannelProvider provider = new DmmAsynchronousChannelProvider(runtime);
        try (AsynchronousServerSocketChannel peerServer = AsynchronousServerSocketChannel.open()
                .bind(new InetSocketAddress(LOOPBACK, 0));
             AsynchronousSocketChannel client = provider.openAsynchronousSocketChannel(null)) {
            Future<AsynchronousSocketChannel> accepting = peerServer.accept();
            client.connect(peerServer.getLocalAddress()).get(10, TimeUnit.SECONDS);
            try (AsynchronousSocketChannel peer = accepting.get(10, TimeUnit.SECONDS)) {
                Future<Integer> pending = client.read(ByteBuffer.allocate(10));
                assertEquals(SocketRows.ESTABLISHED, row((RoutedChannel) client).state());
                client.close();
                ExecutionException e = assertThrows(ExecutionException.class, () -> pending.get(10, TimeUnit.SECONDS));
                assertInstanceOf(AsynchronousCloseException.class, e.getCause());
                assertEquals(0, runtime.sockets().size());
                assertEquals(SocketRows.CLOSED, ((RoutedChannel) client).socketInfo().state());
            }
        }
    }

    @Test
    void anExplicitStackHintAndTheVersionOfThePolicyThatRoutedEachSocket() throws Exception {
        try (ServerSocketChannel target = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
             RoutedSocketChannel hinted = (RoutedSocketChannel) runtime.openSocketChannel(null, RouteHints.stack("k1"));
             RoutedSocketChannel early = (RoutedSocketChannel) runtime.openSocketChannel(null, RouteHints.none());
             RoutedSocketChannel late = (RoutedSocketChannel) runtime.openSocketChannel(null, RouteHints.none())) {
            hinted.connect(target.getLocalAddress());
            early.connect(target.getLocalAddress());
            assertDecision(row(hinted), "k1", "hint");
            assertDecision(row(early), "k2", "default");
            runtime.change("test", p -> p); // the same policy as version 2
            late.connect(target.getLocalAddress());
            assertEquals(2, row(late).policyVersion());
            assertEquals(1, row(early).policyVersion(), "a socket keeps the version that routed it");
        }
    }

    @Test
    void anInheritedServerIsAServerRowOfTheKernelStack() throws Exception {
        ServerSocketChannel jdk = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        try (ServerSocketChannel adopted = (ServerSocketChannel) InheritedChannels.adopt((RoutedChannelProvider) runtime.provider(), jdk)) {
            SocketInfo r = row((RoutedChannel) adopted);
            assertEquals(SocketRows.SERVER, r.kind());
            assertEquals(SocketRows.LISTENING, r.state());
            assertEquals("k2", r.stack());
            assertEquals("inherited", r.rule());
            assertEquals(jdk.getLocalAddress(), r.local());
        } finally {
            jdk.close();
        }
        assertEquals(0, runtime.sockets().size());
    }

    @Test
    void aConnectThatFailsLeavesTheTableAndAFallbackLeavesOneRow() throws Exception {
        RoutedSocketChannel refused = (RoutedSocketChannel) runtime.openSocketChannel(null, RouteHints.tag("refuse"));
        assertThrows(ConnectException.class, () -> refused.connect(new InetSocketAddress(LOOPBACK, 9)));
        assertFalse(refused.isOpen());
        assertEquals(0, runtime.sockets().size());

        InetSocketAddress closedPort;
        try (ServerSocketChannel probe = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            closedPort = (InetSocketAddress) probe.getLocalAddress();
        }
        SocketChannel kernel = runtime.openSocketChannel(null, RouteHints.none());
        assertThrows(ConnectException.class, () -> kernel.connect(closedPort));
        assertEquals(0, runtime.sockets().size());

        try (ServerSocketChannel target = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
             RoutedSocketChannel fallback = (RoutedSocketChannel) runtime.openSocketChannel(null, RouteHints.tag("fallback"))) {
            fallback.connect(target.getLocalAddress());
            target.accept().close();
            assertEquals(1, runtime.sockets().size());
            SocketInfo r = row(fallback);
            assertDecision(r, "k1", "#3");
            assertEquals(SocketRows.ESTABLISHED, r.state());
        }
        assertEquals(0, runtime.sockets().size());
    }

    @Test
    void anInterruptedConnectLeavesTheTable() throws Exception {
        RoutedSocketChannel client = (RoutedSocketChannel) runtime.openSocketChannel(null, RouteHints.tag("hang"));
        InetSocketAddress target = new InetSocketAddress(LOOPBACK, 9);
        BackgroundCall<Void> connect = BackgroundCall.run("connect", () -> client.connect(target));
        connect.awaitBlockedIn("connect");
        assertEquals("hang", client.socketInfo().stack(), "the connect runs on the hanging stack");
        assertEquals(SocketRows.CONNECTING, row(client).state());
        assertEquals(target, row(client).remote());
        assertEquals("#1", row(client).rule());
        connect.thread().interrupt();
        assertInstanceOf(ClosedByInterruptException.class, connect.thrown(Duration.ofSeconds(10)));
        assertEquals(0, runtime.sockets().size());
    }

    /** A connected kernel client and its peer (a plain JDK channel); the test closes both. */
    private record Pair(RoutedSocketChannel client, SocketChannel peer) {
    }

    private Pair connectedPair(ServerSocketChannel listener) throws IOException {
        RoutedSocketChannel c = (RoutedSocketChannel) runtime.openSocketChannel(null, RouteHints.none());
        c.connect(listener.getLocalAddress());
        return new Pair(c, listener.accept());
    }

    @Test
    void anInterruptedReadAndAnAsynchronousCloseLeaveTheTable() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            Pair interrupted = connectedPair(listener);
            Pair closedUnder = connectedPair(listener);
            try {
                BackgroundCall<Integer> r1 = BackgroundCall.start("read", () -> interrupted.client().read(ByteBuffer.allocate(10)));
                BackgroundCall<Integer> r2 = BackgroundCall.start("read", () -> closedUnder.client().read(ByteBuffer.allocate(10)));
                r1.awaitBlockedIn("read");
                r2.awaitBlockedIn("read");
                r1.thread().interrupt();
                assertInstanceOf(ClosedByInterruptException.class, r1.thrown(Duration.ofSeconds(10)));
                assertFalse(listed(interrupted.client()));
                assertTrue(listed(closedUnder.client()));
                closedUnder.client().close();
                assertInstanceOf(AsynchronousCloseException.class, r2.thrown(Duration.ofSeconds(10)));
                assertEquals(0, runtime.sockets().size());
            } finally {
                interrupted.peer().close();
                closedUnder.peer().close();
                interrupted.client().close();
                closedUnder.client().close();
            }
        }
    }

    @Test
    void aStackChannelClosedUnderItShowsFailedUntilTheChannelNoticesAndCloses() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            Pair p = connectedPair(listener);
            try {
                // what a failing stack does to its channels
                ((DelegatingChannel) p.client()).selectableDelegates().getFirst().close();
                assertTrue(p.client().isOpen());
                SocketInfo r = row(p.client());
                assertEquals(SocketRows.FAILED, r.state());
                assertEquals("k2", r.stack());
                assertThrows(ClosedChannelException.class, () -> p.client().read(ByteBuffer.allocate(1)));
                assertFalse(p.client().isOpen(), "a blocking call that finds its stack channel closed closes it");
                assertEquals(0, runtime.sockets().size());
            } finally {
                p.peer().close();
                p.client().close();
            }
        }
    }

    @Test
    void describingSocketsThatAreBeingClosedNeverThrows() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            for (int i = 0; i < 50; i++) {
                Pair p = connectedPair(listener);
                Thread closer = Thread.ofPlatform().start(() -> {
                    try {
                        p.client().close();
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (closer.isAlive()) {
                    assertTrue(System.nanoTime() - deadline < 0, "the close did not return within 10 s");
                    SocketInfo r = p.client().socketInfo();
                    assertTrue(List.of(SocketRows.ESTABLISHED, SocketRows.CLOSED).contains(r.state()), r.toString());
                    runtime.sockets().list();
                }
                closer.join();
                assertEquals(SocketRows.CLOSED, p.client().socketInfo().state());
                p.peer().close();
            }
        }
        assertEquals(0, runtime.sockets().size());
    }
}
