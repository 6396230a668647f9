package io.dmm.core.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.DmmSockets;
import io.dmm.api.Role;
import io.dmm.api.RouteHints;
import io.dmm.api.RouteScope;
import io.dmm.api.StackStats;
import io.dmm.core.DmmAsynchronousChannelProvider;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.core.testsupport.TestPolicy;
import io.dmm.core.testsupport.TestStacks;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.IllegalChannelGroupException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What DMM adds to asynchronous channels: routing, fallback, counting, groups. */
@Timeout(20)
class AsyncRoutingTest {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    DmmRuntime runtime;
    DmmAsynchronousChannelProvider provider;
    AsynchronousServerSocketChannel server; // a plain JDK server to connect to

    private void start(TestPolicy policy) throws IOException {
        runtime = new DmmRuntime(policy, TestStacks.providers());
        provider = new DmmAsynchronousChannelProvider(runtime);
        server = AsynchronousServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
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

    private StackStats stats(String stack) {
        return runtime.stats().stack(stack).orElseThrow();
    }

    private RoutedAsynchronousSocketChannel client() throws IOException {
        return (RoutedAsynchronousSocketChannel) provider.openAsynchronousSocketChannel(null);
    }

    @Test
    void routedAtConnectByThePolicyWithTheOpenersHints() throws Exception {
        TestPolicy policy = new TestPolicy().kernel("k1").kernel("k2")
                .rule(k -> "bulk".equals(k.qos()), "k2").defaults("k1");
        start(policy);
        RoutedAsynchronousSocketChannel c;
        try (RouteScope scope = DmmSockets.scope(RouteHints.qos("bulk"))) {
            c = client(); // hints are the opener's, captured at open
        }
        try (c) {
            assertNull(c.stackName(), "not routed at open");
            Future<AsynchronousSocketChannel> accept = server.accept();
            c.connect(server.getLocalAddress()).get(10, TimeUnit.SECONDS);
            assertEquals("k2", c.stackName());
            assertEquals(Role.CLIENT, policy.lastKey().role());
            assertEquals(((InetSocketAddress) server.getLocalAddress()).getPort(), policy.lastKey().port());
            assertEquals(1, stats("k2").connectsOk());
            assertEquals(1, stats("k2").socketsActive());
            try (AsynchronousSocketChannel a = accept.get(10, TimeUnit.SECONDS)) {
                c.write(ByteBuffer.wrap(new byte[5])).get(10, TimeUnit.SECONDS);
                a.write(ByteBuffer.wrap(new byte[3])).get(10, TimeUnit.SECONDS);
                ByteBuffer in = ByteBuffer.allocate(8);
                while (in.position() < 3) {
                    c.read(in).get(10, TimeUnit.SECONDS);
                }
            }
            assertEquals(5, stats("k2").bytesOut());
            assertEquals(3, stats("k2").bytesIn());
            assertTrue(runtime.routeOf(c).orElseThrow().stacks().contains("k2"));
        }
        assertEquals(0, stats("k2").socketsActive(), "close takes it off the stack");
        assertEquals(0, stats("k1").socketsOpened());
    }

    /**
     * Reads and writes are counted by a handler the channel reuses: a read refused because another
     * is pending leaves it to the pending one, which is still counted, and so are the reads and
     * writes after it (handlers that start the next operation included).
     */
    @Test
    void everyReadAndWriteIsCountedAroundARefusedOne() throws Exception {
        start(new TestPolicy().kernel("k1").defaults("k1"));
        try (RoutedAsynchronousSocketChannel c = client()) {
            Future<AsynchronousSocketChannel> accept = server.accept();
            c.connect(server.getLocalAddress()).get(10, TimeUnit.SECONDS);
            try (AsynchronousSocketChannel a = accept.get(10, TimeUnit.SECONDS)) {
                Future<Integer> pending = c.read(ByteBuffer.allocate(2));
                assertThrows(java.nio.channels.ReadPendingException.class, () -> c.read(ByteBuffer.allocate(1)));
                a.write(ByteBuffer.wrap(new byte[2])).get(10, TimeUnit.SECONDS);
                assertEquals(2, pending.get(10, TimeUnit.SECONDS));
                // a chain: each handler starts the next read until 6 more bytes came
                CompletableFuture<Long> chain = new CompletableFuture<>();
                ByteBuffer in = ByteBuffer.allocate(6);
                c.read(in, null, new CompletionHandler<Integer, Void>() {
                    @Override public void completed(Integer n, Void v) {
                        if (in.hasRemaining()) c.read(in, null, this);
                        else chain.complete((long) in.position());
                    }
                    @Override public void failed(Throwable e, Void v) { chain.completeExceptionally(e); }
                });
                for (int i = 0; i < 3; i++) {
                    a.write(ByteBuffer.wrap(new byte[2])).get(10, TimeUnit.SECONDS);
                    c.write(ByteBuffer.wrap(new byte[1])).get(10, TimeUnit.SECONDS);
                }
                assertEquals(6, chain.get(10, TimeUnit.SECONDS));
            }
            assertEquals(8, stats("k1").bytesIn());
            assertEquals(3, stats("k1").bytesOut());
        }
    }

    @Test
    void theStacksSourceAddressIsBoundBeforeConnect() throws Exception {
        start(new TestPolicy().stack("k1", "kernel", Map.of("source", "127.0.0.2")).defaults("k1"));
        try (RoutedAsynchronousSocketChannel c = client()) {
            c.connect(server.getLocalAddress()).get(10, TimeUnit.SECONDS);
            assertEquals(InetAddress.ofLiteral("127.0.0.2"), ((InetSocketAddress) c.getLocalAddress()).getAddress());
            server.accept().get(10, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void aStackDownIsSkipped() throws Exception {
        start(new TestPolicy().stack("gone", "down", Map.of()).kernel("k1").defaults("gone", "k1"));
        try (RoutedAsynchronousSocketChannel c = client()) {
            c.connect(server.getLocalAddress()).get(10, TimeUnit.SECONDS);
            assertEquals("k1", c.stackName());
            server.accept().get(10, TimeUnit.SECONDS).close();
        }
        assertEquals(0, stats("gone").socketsOpened());
    }

    @Test
    void refusedOnTheFirstStackFallsBackToTheNextWithAHandler() throws Exception {
        start(new TestPolicy().stack("bad", "refusing", Map.of()).kernel("k1").defaults("bad", "k1"));
        try (RoutedAsynchronousSocketChannel c = client()) {
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            CompletableFuture<Void> done = new CompletableFuture<>();
            c.connect(server.getLocalAddress(), null, AsyncChannelBehaviourSuite.into(done));
            done.get(10, TimeUnit.SECONDS);
            assertEquals("k1", c.stackName());
            assertTrue(c.getOption(StandardSocketOptions.TCP_NODELAY), "options follow to the next stack");
            assertEquals(1, stats("bad").connectsFailed());
            assertEquals(0, stats("bad").socketsActive());
            assertEquals(1, stats("k1").connectsOk());
            server.accept().get(10, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void refusedOnTheFirstStackFallsBackToTheNextWithAFuture() throws Exception {
        start(new TestPolicy().stack("bad", "refusing", Map.of()).kernel("k1").defaults("bad", "k1"));
        try (RoutedAsynchronousSocketChannel c = client()) {
            assertNull(c.connect(server.getLocalAddress()).get(10, TimeUnit.SECONDS));
            assertEquals("k1", c.stackName());
            assertEquals(server.getLocalAddress(), c.getRemoteAddress());
            server.accept().get(10, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void refusedEverywhereFailsWithTheLastRefusalAndClosesTheChannel() throws Exception {
        start(new TestPolicy().stack("bad1", "refusing", Map.of()).stack("bad2", "refusing", Map.of())
                .defaults("bad1", "bad2"));
        RoutedAsynchronousSocketChannel c = client();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> c.connect(server.getLocalAddress()).get(10, TimeUnit.SECONDS));
        assertInstanceOf(ConnectException.class, e.getCause());
        assertEquals(1, e.getCause().getSuppressed().length, "the first stack's refusal");
        assertFalse(c.isOpen());
        assertEquals(1, stats("bad1").connectsFailed());
        assertEquals(1, stats("bad2").connectsFailed());
    }

    @Test
    void acceptedChannelsAreRoutedChannelsOfTheAcceptingStack() throws Exception {
        TestPolicy policy = new TestPolicy().kernel("k1").kernel("srv")
                .rule(k -> k.role() == Role.SERVER, "srv").defaults("k1");
        start(policy);
        try (RoutedAsynchronousServerSocketChannel s =
                     (RoutedAsynchronousServerSocketChannel) provider.openAsynchronousServerSocketChannel(null)) {
            s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            s.bind(new InetSocketAddress(LOOPBACK, 0));
            assertEquals("srv", s.stackName());
            assertTrue(s.getOption(StandardSocketOptions.SO_REUSEADDR), "set before bind, applied");
            CompletableFuture<AsynchronousSocketChannel> accepted = new CompletableFuture<>();
            s.accept(null, AsyncChannelBehaviourSuite.into(accepted));
            try (AsynchronousSocketChannel c = AsynchronousSocketChannel.open()) {
                c.connect(s.getLocalAddress()).get(10, TimeUnit.SECONDS);
                RoutedAsynchronousSocketChannel a = assertInstanceOf(RoutedAsynchronousSocketChannel.class,
                        accepted.get(10, TimeUnit.SECONDS));
                try (a) {
                    assertEquals("srv", a.stackName());
                    assertSame(provider, a.provider());
                    c.write(ByteBuffer.wrap(new byte[4])).get(10, TimeUnit.SECONDS);
                    ByteBuffer in = ByteBuffer.allocate(8);
                    while (in.position() < 4) {
                        a.read(in).get(10, TimeUnit.SECONDS);
                    }
                    assertEquals(4, stats("srv").bytesIn());
                    assertEquals(2, stats("srv").socketsActive(), "listener and accepted");
                }
            }
        }
        assertEquals(0, stats("srv").socketsActive());
    }

    @Test
    void aWildcardServerOnTwoStacksAcceptsFromBothWithoutLosingConnections() throws Exception {
        start(new TestPolicy().kernel("k1").kernel("k2").rule(k -> k.role() == Role.SERVER, "k1", "k2")
                .defaults("k1"));
        int n = 40;
        try (RoutedAsynchronousServerSocketChannel s =
                     (RoutedAsynchronousServerSocketChannel) provider.openAsynchronousServerSocketChannel(null)) {
            s.bind(new InetSocketAddress(0));
            assertEquals(java.util.List.of("k1", "k2"), s.stacksInUse());
            InetSocketAddress to = AsyncChannelBehaviourSuite.reach(s);
            java.util.List<AsynchronousSocketChannel> clients = new java.util.ArrayList<>();
            java.util.List<AsynchronousSocketChannel> accepted = new java.util.ArrayList<>();
            try {
                // the first accept arms both members; the connections arrive on either (SO_REUSEPORT
                // spreads them), and those a member completes while nobody waits are queued
                Future<AsynchronousSocketChannel> first = s.accept();
                for (int i = 0; i < n; i++) {
                    AsynchronousSocketChannel c = AsynchronousSocketChannel.open();
                    clients.add(c);
                    c.connect(to).get(10, TimeUnit.SECONDS);
                }
                accepted.add(first.get(10, TimeUnit.SECONDS));
                for (int i = 1; i < n; i++) {
                    accepted.add(s.accept().get(10, TimeUnit.SECONDS));
                }
                java.util.Set<String> stacks = new java.util.HashSet<>();
                for (AsynchronousSocketChannel a : accepted) {
                    stacks.add(assertInstanceOf(RoutedAsynchronousSocketChannel.class, a).stackName());
                }
                // 40 connections from different ports: the kernel's SO_REUSEPORT hash spreads them
                assertEquals(java.util.Set.of("k1", "k2"), stacks, "accepted on both members");
                // every client's connection was accepted exactly once
                java.util.Set<Object> remotes = new java.util.HashSet<>();
                for (AsynchronousSocketChannel a : accepted) {
                    remotes.add(((InetSocketAddress) a.getRemoteAddress()).getPort());
                }
                assertEquals(n, remotes.size());
                assertEquals(n + 2, stats("k1").socketsOpened() + stats("k2").socketsOpened(),
                        "two listeners and n accepted (the clients are the JDK's)");
            } finally {
                for (AsynchronousSocketChannel c : clients) {
                    c.close();
                }
                for (AsynchronousSocketChannel a : accepted) {
                    a.close();
                }
            }
        }
    }

    @Test
    void handlersRunInTheProgramsGroup() throws Exception {
        start(new TestPolicy().kernel("k1").defaults("k1"));
        AsynchronousChannelGroup group = provider.openAsynchronousChannelGroup(1,
                r -> Thread.ofPlatform().name("dmm-test-group").unstarted(r));
        try {
            assertSame(provider, group.provider(), "so that open(group) comes back to DMM");
            AsynchronousSocketChannel c = AsynchronousSocketChannel.open(group);
            try (c) {
                assertInstanceOf(RoutedAsynchronousSocketChannel.class, c);
                assertSame(provider, c.provider());
                CompletableFuture<String> thread = new CompletableFuture<>();
                c.connect(server.getLocalAddress(), null, new CompletionHandler<Void, Void>() {
                    @Override public void completed(Void v, Void a) { thread.complete(Thread.currentThread().getName()); }
                    @Override public void failed(Throwable e, Void a) { thread.completeExceptionally(e); }
                });
                assertEquals("dmm-test-group", thread.get(10, TimeUnit.SECONDS));
                server.accept().get(10, TimeUnit.SECONDS).close();
            }
        } finally {
            group.shutdownNow();
        }
        assertTrue(group.awaitTermination(10, TimeUnit.SECONDS));
        assertThrows(java.nio.channels.ShutdownChannelGroupException.class,
                () -> AsynchronousSocketChannel.open(group));
        assertThrows(java.nio.channels.ShutdownChannelGroupException.class,
                () -> provider.openAsynchronousSocketChannel(group));
    }

    @Test
    void failuresKnownBeforeAnyIoReachTheHandlerInTheProgramsGroup() throws Exception {
        start(new TestPolicy().kernel("k1").defaults("k1"));
        AsynchronousChannelGroup group = provider.openAsynchronousChannelGroup(1,
                r -> Thread.ofPlatform().name("dmm-test-group").unstarted(r));
        try {
            AsynchronousSocketChannel c = AsynchronousSocketChannel.open(group);
            c.close();
            CompletableFuture<String> thread = new CompletableFuture<>();
            c.connect(server.getLocalAddress(), null, new CompletionHandler<Void, Void>() {
                @Override public void completed(Void v, Void a) { thread.complete("completed"); }
                @Override public void failed(Throwable e, Void a) {
                    thread.complete(e.getClass().getSimpleName() + " on " + Thread.currentThread().getName());
                }
            });
            assertEquals("ClosedChannelException on dmm-test-group", thread.get(10, TimeUnit.SECONDS));
        } finally {
            group.shutdownNow();
        }
    }

    @Test
    void aGroupOfAnotherProviderIsRejected() throws Exception {
        start(new TestPolicy().kernel("k1").defaults("k1"));
        java.nio.channels.spi.AsynchronousChannelProvider other = new java.nio.channels.spi.AsynchronousChannelProvider() {
            @Override public AsynchronousChannelGroup openAsynchronousChannelGroup(int n, java.util.concurrent.ThreadFactory f) { throw new UnsupportedOperationException(); }
            @Override public AsynchronousChannelGroup openAsynchronousChannelGroup(java.util.concurrent.ExecutorService e, int i) { throw new UnsupportedOperationException(); }
            @Override public AsynchronousServerSocketChannel openAsynchronousServerSocketChannel(AsynchronousChannelGroup g) { throw new UnsupportedOperationException(); }
            @Override public AsynchronousSocketChannel openAsynchronousSocketChannel(AsynchronousChannelGroup g) { throw new UnsupportedOperationException(); }
        };
        assertThrows(IllegalChannelGroupException.class, () -> provider.openAsynchronousSocketChannel(
                new AsynchronousChannelGroup(other) {
                    @Override public boolean isShutdown() { return false; }
                    @Override public boolean isTerminated() { return false; }
                    @Override public void shutdown() { }
                    @Override public void shutdownNow() { }
                    @Override public boolean awaitTermination(long t, TimeUnit u) { return true; }
                }));
    }

    @Test
    void aStackWithoutAsynchronousChannelsIsSkipped() throws Exception {
        start(new TestPolicy().stack("mem", "memory", Map.of()).kernel("k1").defaults("mem", "k1"));
        try (RoutedAsynchronousSocketChannel c = client()) {
            c.connect(server.getLocalAddress()).get(10, TimeUnit.SECONDS);
            assertEquals("k1", c.stackName());
            server.accept().get(10, TimeUnit.SECONDS).close();
        }
    }

    /** A server whose route has no stack with asynchronous channels fails its bind and says so. */
    @Test
    void aServerWhoseRouteHasNoAsynchronousStackSaysSo() throws Exception {
        start(new TestPolicy().stack("mem", "memory", Map.of()).defaults("mem"));
        try (AsynchronousServerSocketChannel s = provider.openAsynchronousServerSocketChannel(null)) {
            java.net.SocketException e = assertThrows(java.net.SocketException.class,
                    () -> s.bind(new InetSocketAddress(LOOPBACK, 0)));
            assertTrue(e.getMessage().startsWith("DMM: route ") && e.getMessage().endsWith(" has no stack with asynchronous channels"),
                    e.getMessage());
            assertEquals("stack mem has no asynchronous channels", e.getSuppressed()[0].getMessage());
        }
    }
}
