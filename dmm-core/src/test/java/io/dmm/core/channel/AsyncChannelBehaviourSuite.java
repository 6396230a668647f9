package io.dmm.core.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.ReadPendingException;
import java.nio.channels.ShutdownChannelGroupException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What an AsynchronousSocketChannel / AsynchronousServerSocketChannel does, written against the
 * JDK's channels ({@link JdkAsyncChannelBehaviourTest}) and run unchanged against DMM's routed ones
 * ({@link RoutedAsyncChannelBehaviourTest}): both must pass the same assertions.
 */
@Timeout(20)
abstract class AsyncChannelBehaviourSuite {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    protected abstract AsynchronousSocketChannel newClient() throws IOException;

    protected abstract AsynchronousServerSocketChannel newServer() throws IOException;

    /**
     * A group of one thread, made by the provider under test: {@code AsynchronousSocketChannel.open(group)}
     * asks the group's provider, so channels opened in it are that provider's.
     */
    protected abstract AsynchronousChannelGroup newGroup() throws IOException;

    /** Where servers bind; the multi-listen variant binds the wildcard address. */
    protected InetSocketAddress serverBindAddress() {
        return new InetSocketAddress(LOOPBACK, 0);
    }

    /** Where clients reach {@code server}: its port on loopback (its address may be the wildcard). */
    static InetSocketAddress reach(AsynchronousServerSocketChannel server) throws IOException {
        return new InetSocketAddress(LOOPBACK, ((InetSocketAddress) server.getLocalAddress()).getPort());
    }

    /** A handler that completes a future (so tests can wait for a handler's outcome). */
    static <V> CompletionHandler<V, Object> into(CompletableFuture<V> f) {
        return new CompletionHandler<>() {
            @Override public void completed(V v, Object a) { f.complete(v); }
            @Override public void failed(Throwable e, Object a) { f.completeExceptionally(e); }
        };
    }

    static Throwable failureOf(Future<?> f) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    /** A bound server, a connected client, and the server's side of the connection. */
    record Pair(AsynchronousServerSocketChannel server, AsynchronousSocketChannel client,
                AsynchronousSocketChannel accepted) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            client.close();
            accepted.close();
            server.close();
        }
    }

    Pair connectedPair() throws Exception {
        AsynchronousServerSocketChannel server = newServer().bind(serverBindAddress());
        Future<AsynchronousSocketChannel> accept = server.accept();
        AsynchronousSocketChannel client = newClient();
        client.connect(reach(server)).get(10, TimeUnit.SECONDS);
        return new Pair(server, client, accept.get(10, TimeUnit.SECONDS));
    }

    @Test
    void echoWithFutures() throws Exception {
        try (Pair p = connectedPair()) {
            byte[] msg = "hello async".getBytes(StandardCharsets.US_ASCII);
            assertEquals(msg.length, p.client().write(ByteBuffer.wrap(msg)).get(10, TimeUnit.SECONDS));
            ByteBuffer at = ByteBuffer.allocate(64);
            while (at.position() < msg.length) {
                assertTrue(p.accepted().read(at).get(10, TimeUnit.SECONDS) > 0);
            }
            at.flip();
            assertEquals(msg.length, p.accepted().write(at).get(10, TimeUnit.SECONDS));
            ByteBuffer back = ByteBuffer.allocate(64);
            while (back.position() < msg.length) {
                p.client().read(back).get(10, TimeUnit.SECONDS);
            }
            assertArrayEquals(msg, java.util.Arrays.copyOf(back.array(), back.position()));
            assertEquals(reach(p.server()), p.client().getRemoteAddress());
            assertEquals(p.client().getLocalAddress(), p.accepted().getRemoteAddress());
        }
    }

    @Test
    void echoWithHandlers() throws Exception {
        AsynchronousServerSocketChannel server = newServer().bind(serverBindAddress());
        try (server) {
            // an echo server written the way NIO2 servers are: accept, then read/write from handlers
            server.accept(null, new CompletionHandler<AsynchronousSocketChannel, Void>() {
                @Override
                public void completed(AsynchronousSocketChannel ch, Void a) {
                    ByteBuffer buf = ByteBuffer.allocate(256);
                    ch.read(buf, 5, TimeUnit.SECONDS, buf, new CompletionHandler<Integer, ByteBuffer>() {
                        @Override
                        public void completed(Integer n, ByteBuffer b) {
                            if (n < 0) {
                                close(ch);
                                return;
                            }
                            b.flip();
                            ch.write(b, b, new CompletionHandler<Integer, ByteBuffer>() {
                                @Override public void completed(Integer w, ByteBuffer bb) {
                                    bb.clear();
                                    ch.read(bb, 5, TimeUnit.SECONDS, bb, readAgain());
                                }
                                @Override public void failed(Throwable e, ByteBuffer bb) { close(ch); }
                            });
                        }

                        CompletionHandler<Integer, ByteBuffer> readAgain() {
                            return this;
                        }

                        @Override
                        public void failed(Throwable e, ByteBuffer b) {
                            close(ch);
                        }
                    });
                }

                @Override
                public void failed(Throwable e, Void a) {
                }
            });
            AsynchronousSocketChannel client = newClient();
            try (client) {
                CompletableFuture<Void> connected = new CompletableFuture<>();
                client.connect(reach(server), null, into(connected));
                connected.get(10, TimeUnit.SECONDS);
                byte[] msg = "ping through handlers".getBytes(StandardCharsets.US_ASCII);
                CompletableFuture<Integer> wrote = new CompletableFuture<>();
                client.write(ByteBuffer.wrap(msg), null, into(wrote));
                assertEquals(msg.length, wrote.get(10, TimeUnit.SECONDS));
                ByteBuffer back = ByteBuffer.allocate(64);
                while (back.position() < msg.length) {
                    CompletableFuture<Integer> read = new CompletableFuture<>();
                    client.read(back, null, into(read));
                    assertTrue(read.get(10, TimeUnit.SECONDS) > 0);
                }
                assertArrayEquals(msg, java.util.Arrays.copyOf(back.array(), back.position()));
                // scattering read and gathering write, handler forms
                CompletableFuture<Long> gathered = new CompletableFuture<>();
                client.write(new ByteBuffer[] {ByteBuffer.wrap(new byte[] {1, 2}), ByteBuffer.wrap(new byte[] {3})},
                        0, 2, 5, TimeUnit.SECONDS, null, into(gathered));
                assertEquals(3L, gathered.get(10, TimeUnit.SECONDS));
                ByteBuffer[] dsts = {ByteBuffer.allocate(1), ByteBuffer.allocate(8)};
                long got = 0;
                while (got < 3) {
                    CompletableFuture<Long> scattered = new CompletableFuture<>();
                    client.read(dsts, 0, 2, 5, TimeUnit.SECONDS, null, into(scattered));
                    got += scattered.get(10, TimeUnit.SECONDS);
                }
                assertEquals(1, dsts[0].get(0));
                assertEquals(3, dsts[1].get(1));
            }
        }
    }

    private static void close(AsynchronousSocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // test server: nothing to do
        }
    }

    @Test
    void readTimeoutFailsWithInterruptedByTimeout() throws Exception {
        try (Pair p = connectedPair()) {
            CompletableFuture<Integer> read = new CompletableFuture<>();
            p.client().read(ByteBuffer.allocate(8), 100, TimeUnit.MILLISECONDS, null, into(read));
            assertInstanceOf(InterruptedByTimeoutException.class, failureOf(read));
        }
    }

    @Test
    void aCancelledOrTimedOutReadForbidsFurtherReads() throws Exception {
        try (Pair p = connectedPair()) {
            Future<Integer> read = p.client().read(ByteBuffer.allocate(8));
            assertTrue(read.cancel(false));
            assertTrue(read.isCancelled());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> p.client().read(ByteBuffer.allocate(8)));
            assertEquals("Reading not allowed due to timeout or cancellation", e.getMessage());
            assertTrue(p.client().isOpen(), "cancel(false) does not close");
            p.client().write(ByteBuffer.wrap(new byte[1])).get(10, TimeUnit.SECONDS); // writing still works
        }
        try (Pair p = connectedPair()) {
            CompletableFuture<Integer> timedOut = new CompletableFuture<>();
            p.client().read(ByteBuffer.allocate(8), 50, TimeUnit.MILLISECONDS, null, into(timedOut));
            assertInstanceOf(InterruptedByTimeoutException.class, failureOf(timedOut));
            assertThrows(IllegalStateException.class, () -> p.client().read(ByteBuffer.allocate(8)));
        }
    }

    @Test
    void cancelTrueClosesTheChannel() throws Exception {
        try (Pair p = connectedPair()) {
            Future<Integer> read = p.client().read(ByteBuffer.allocate(8));
            assertTrue(read.cancel(true));
            assertFalse(p.client().isOpen());
        }
    }

    @Test
    void aCancelledAcceptForbidsFurtherAccepts() throws Exception {
        try (AsynchronousServerSocketChannel server = newServer().bind(serverBindAddress())) {
            Future<AsynchronousSocketChannel> accept = server.accept();
            assertTrue(accept.cancel(false));
            RuntimeException e = assertThrows(RuntimeException.class, server::accept);
            assertTrue(e.getMessage().contains("cancel"), e.toString());
        }
    }

    @Test
    void readsWithNoRoomCompleteAtOnceWithZeroAndAfterShutdownInputWithEndOfStream() throws Exception {
        try (Pair p = connectedPair()) {
            CompletableFuture<Long> scattering = new CompletableFuture<>();
            ByteBuffer[] full = {ByteBuffer.allocate(0), ByteBuffer.allocate(2).position(2)};
            p.client().read(full, 0, 2, 0, TimeUnit.SECONDS, null, into(scattering));
            assertEquals(0L, scattering.get(10, TimeUnit.SECONDS), "nothing read, nothing sent");
            assertEquals(0, p.client().read(ByteBuffer.allocate(0)).get(10, TimeUnit.SECONDS));
            p.client().shutdownInput();
            assertEquals(-1, p.client().read(ByteBuffer.allocate(8)).get(10, TimeUnit.SECONDS));
            CompletableFuture<Long> afterShutdown = new CompletableFuture<>();
            p.client().read(new ByteBuffer[] {ByteBuffer.allocate(4)}, 0, 1, 0, TimeUnit.SECONDS, null,
                    into(afterShutdown));
            assertEquals(-1L, afterShutdown.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void secondReadWhilePendingIsReadPending() throws Exception {
        try (Pair p = connectedPair()) {
            Future<Integer> first = p.client().read(ByteBuffer.allocate(8));
            assertThrows(ReadPendingException.class, () -> p.client().read(ByteBuffer.allocate(8)));
            p.accepted().write(ByteBuffer.wrap(new byte[] {7})).get(10, TimeUnit.SECONDS);
            assertEquals(1, first.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void secondWriteWhilePendingIsWritePending() throws Exception {
        try (Pair p = connectedPair()) {
            // a write completes with what fitted; the peer does not read, so once the socket
            // buffers are full a write stays pending (a second of no progress: a write that fits
            // completes in far less even on a loaded machine; the buffers hold a few MB)
            ByteBuffer big = ByteBuffer.allocate(1024 * 1024);
            Future<Integer> first = null;
            for (int mb = 0; first == null; mb++) {
                assertTrue(mb < 256, "256 MB written to a peer that reads nothing, and no write stayed pending");
                Future<Integer> write = p.client().write(big.clear());
                try {
                    assertTrue(write.get(1, TimeUnit.SECONDS) > 0);
                } catch (java.util.concurrent.TimeoutException pending) {
                    first = write;
                }
            }
            assertThrows(java.nio.channels.WritePendingException.class,
                    () -> p.client().write(ByteBuffer.allocate(1)));
            p.client().close();
            assertInstanceOf(AsynchronousCloseException.class, failureOf(first));
        }
    }

    @Test
    void connectStateErrors() throws Exception {
        try (Pair p = connectedPair()) {
            assertThrows(java.nio.channels.AlreadyConnectedException.class,
                    () -> p.client().connect(reach(p.server())));
        }
        AsynchronousSocketChannel closed = newClient();
        closed.close();
        assertInstanceOf(ClosedChannelException.class,
                failureOf(closed.connect(new InetSocketAddress(LOOPBACK, 9))));
        assertInstanceOf(ClosedChannelException.class, failureOf(closed.connect(
                InetSocketAddress.createUnresolved("nowhere.invalid", 80))), "closed is checked first");
        try (AsynchronousSocketChannel c = newClient()) {
            assertThrows(java.nio.channels.UnresolvedAddressException.class,
                    () -> c.connect(InetSocketAddress.createUnresolved("nowhere.invalid", 80)));
            assertThrows(java.nio.channels.UnsupportedAddressTypeException.class,
                    () -> c.connect(new java.net.SocketAddress() { }));
        }
    }

    @Test
    void closeFailsPendingReadWithAsynchronousClose() throws Exception {
        try (Pair p = connectedPair()) {
            CompletableFuture<Integer> read = new CompletableFuture<>();
            p.client().read(ByteBuffer.allocate(8), null, into(read));
            p.client().close();
            assertInstanceOf(AsynchronousCloseException.class, failureOf(read));
            assertFalse(p.client().isOpen());
            // after close: ClosedChannelException through the handler, and from the address getters
            CompletableFuture<Integer> again = new CompletableFuture<>();
            p.client().read(ByteBuffer.allocate(8), null, into(again));
            assertInstanceOf(ClosedChannelException.class, failureOf(again));
            assertThrows(ClosedChannelException.class, () -> p.client().getLocalAddress());
        }
    }

    @Test
    void secondAcceptWhilePendingIsAcceptPending() throws Exception {
        try (AsynchronousServerSocketChannel server = newServer().bind(serverBindAddress())) {
            Future<AsynchronousSocketChannel> first = server.accept();
            assertThrows(java.nio.channels.AcceptPendingException.class, server::accept);
            try (AsynchronousSocketChannel c = newClient()) {
                c.connect(reach(server)).get(10, TimeUnit.SECONDS);
                first.get(10, TimeUnit.SECONDS).close();
            }
        }
    }

    @Test
    void closeFailsPendingAcceptWithAsynchronousClose() throws Exception {
        AsynchronousServerSocketChannel server = newServer().bind(serverBindAddress());
        Future<AsynchronousSocketChannel> accept = server.accept();
        server.close();
        assertInstanceOf(AsynchronousCloseException.class, failureOf(accept));
    }

    @Test
    void refusedConnectFailsWithConnectExceptionAndClosesTheChannel() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0, 1, LOOPBACK)) {
            port = ss.getLocalPort();
        }
        AsynchronousSocketChannel c = newClient();
        assertInstanceOf(ConnectException.class, failureOf(c.connect(new InetSocketAddress(LOOPBACK, port))));
        assertFalse(c.isOpen(), "a failed connect closes the channel");

        AsynchronousSocketChannel h = newClient();
        CompletableFuture<Void> connected = new CompletableFuture<>();
        h.connect(new InetSocketAddress(LOOPBACK, port), null, into(connected));
        assertInstanceOf(ConnectException.class, failureOf(connected));
        assertFalse(h.isOpen());
    }

    @Test
    void stateErrorsBeforeConnectAndBind() throws Exception {
        try (AsynchronousSocketChannel c = newClient(); AsynchronousServerSocketChannel s = newServer()) {
            assertThrows(NotYetConnectedException.class, () -> c.read(ByteBuffer.allocate(1)));
            assertThrows(NotYetConnectedException.class, () -> c.write(ByteBuffer.allocate(1)));
            assertThrows(NotYetConnectedException.class, c::shutdownOutput);
            assertNull(c.getRemoteAddress());
            assertThrows(NotYetBoundException.class, s::accept);
            assertNull(s.getLocalAddress());
        }
    }

    @Test
    void aClientBindHasARealPortAtOnceAndConnectsFromIt() throws Exception {
        try (AsynchronousServerSocketChannel server = newServer().bind(serverBindAddress());
             AsynchronousSocketChannel c = newClient()) {
            c.bind(new InetSocketAddress(0));
            InetSocketAddress bound = (InetSocketAddress) c.getLocalAddress();
            assertTrue(bound.getAddress().isAnyLocalAddress(), bound.toString());
            assertNotEquals(0, bound.getPort(), "a real port, as the JDK's bind gives");
            assertThrows(AlreadyBoundException.class, () -> c.bind(new InetSocketAddress(0)));
            Future<AsynchronousSocketChannel> accept = server.accept();
            c.connect(reach(server)).get(10, TimeUnit.SECONDS);
            try (AsynchronousSocketChannel a = accept.get(10, TimeUnit.SECONDS)) {
                assertEquals(bound.getPort(), ((InetSocketAddress) a.getRemoteAddress()).getPort(),
                        "connects from that port");
            }
        }
    }

    @Test
    void aClientBindToAPortAnotherClientHoldsFailsAtBind() throws Exception {
        try (AsynchronousSocketChannel first = newClient(); AsynchronousSocketChannel second = newClient()) {
            first.bind(new InetSocketAddress(0));
            InetSocketAddress taken = new InetSocketAddress(((InetSocketAddress) first.getLocalAddress()).getPort());
            if (clientBindsAtOnce()) {
                assertThrows(BindException.class, () -> second.bind(taken));
                assertNull(second.getLocalAddress(), "a failed bind leaves the channel unbound");
            } else {
                second.bind(taken);
                assertEquals(taken, second.getLocalAddress(), "deferred: the requested address until connect");
            }
        }
    }

    /**
     * Whether a client's bind to a specific port binds at once, as the JDK's (a port in use fails
     * the bind); false where routing may pick a stack with ports of its own, where it waits for connect.
     */
    protected boolean clientBindsAtOnce() {
        return true;
    }

    @Test
    void optionsAndBindBeforeConnectAreApplied() throws Exception {
        AsynchronousServerSocketChannel server = newServer();
        server.setOption(StandardSocketOptions.SO_RCVBUF, 32 * 1024);
        server.bind(serverBindAddress());
        try (server; AsynchronousSocketChannel c = newClient()) {
            assertTrue(server.getOption(StandardSocketOptions.SO_RCVBUF) > 0);
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            assertTrue(c.getOption(StandardSocketOptions.TCP_NODELAY), "remembered before connect");
            c.bind(new InetSocketAddress(LOOPBACK, 0));
            Future<AsynchronousSocketChannel> accept = server.accept();
            c.connect(reach(server)).get(10, TimeUnit.SECONDS);
            try (AsynchronousSocketChannel a = accept.get(10, TimeUnit.SECONDS)) {
                assertTrue(c.getOption(StandardSocketOptions.TCP_NODELAY));
                assertTrue(c.getOption(StandardSocketOptions.SO_KEEPALIVE));
                InetSocketAddress local = (InetSocketAddress) c.getLocalAddress();
                assertEquals(LOOPBACK, local.getAddress());
                assertEquals(local, a.getRemoteAddress());
            }
        }
    }

    @Test
    void shutdownOutputIsEndOfStreamForThePeer() throws Exception {
        try (Pair p = connectedPair()) {
            p.client().shutdownOutput();
            assertEquals(-1, p.accepted().read(ByteBuffer.allocate(8)).get(10, TimeUnit.SECONDS));
            p.accepted().write(ByteBuffer.wrap(new byte[] {1})).get(10, TimeUnit.SECONDS);
            assertEquals(1, p.client().read(ByteBuffer.allocate(8)).get(10, TimeUnit.SECONDS));
            p.client().shutdownInput();
        }
    }

    // ---------------------------------------------------------------- groups

    /**
     * {@code shutdownNow()} closes every channel of the group, connected, accepted, listening or not
     * yet connected, failing pending operations; the group then terminates. (The pending read is on
     * a connection whose peer is outside the group: the close of a peer in the group could complete
     * it with end-of-stream first, on the JDK too.)
     */
    @Test
    void shutdownNowClosesEveryChannelOfTheGroup() throws Exception {
        AsynchronousChannelGroup group = newGroup();
        try (AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open(group);
             AsynchronousSocketChannel client = AsynchronousSocketChannel.open(group);
             AsynchronousSocketChannel outside = newClient();
             AsynchronousSocketChannel idle = AsynchronousSocketChannel.open(group)) {
            server.bind(serverBindAddress());
            Future<AsynchronousSocketChannel> accept = server.accept();
            client.connect(reach(server)).get(10, TimeUnit.SECONDS);
            AsynchronousSocketChannel accepted = accept.get(10, TimeUnit.SECONDS);
            accept = server.accept();
            outside.connect(reach(server)).get(10, TimeUnit.SECONDS);
            AsynchronousSocketChannel acceptedFromOutside = accept.get(10, TimeUnit.SECONDS);
            Future<Integer> pendingRead = acceptedFromOutside.read(ByteBuffer.allocate(8));
            Future<AsynchronousSocketChannel> pendingAccept = server.accept();
            group.shutdownNow();
            assertTrue(group.isShutdown());
            assertFalse(server.isOpen(), "listening");
            assertFalse(client.isOpen(), "connected");
            assertFalse(accepted.isOpen(), "accepted");
            assertFalse(acceptedFromOutside.isOpen(), "accepted from outside the group");
            assertFalse(idle.isOpen(), "never connected");
            assertTrue(outside.isOpen(), "not in the group");
            assertInstanceOf(AsynchronousCloseException.class, failureOf(pendingRead));
            assertInstanceOf(AsynchronousCloseException.class, failureOf(pendingAccept));
            assertTrue(group.awaitTermination(10, TimeUnit.SECONDS));
            assertTrue(group.isTerminated());
            assertThrows(ShutdownChannelGroupException.class, () -> AsynchronousSocketChannel.open(group));
        }
    }

    /**
     * {@code shutdown()} refuses new channels but leaves the open ones working; the group terminates
     * only once the last one is closed.
     */
    @Test
    void shutdownTerminatesOnceTheLastChannelIsClosed() throws Exception {
        AsynchronousChannelGroup group = newGroup();
        try (AsynchronousServerSocketChannel server = newServer().bind(serverBindAddress())) {
            AsynchronousSocketChannel client = AsynchronousSocketChannel.open(group);
            group.shutdown();
            assertTrue(group.isShutdown());
            assertThrows(ShutdownChannelGroupException.class, () -> AsynchronousSocketChannel.open(group));
            assertThrows(ShutdownChannelGroupException.class, () -> AsynchronousServerSocketChannel.open(group));
            assertFalse(group.awaitTermination(200, TimeUnit.MILLISECONDS), "a channel is open");
            assertFalse(group.isTerminated());
            Future<AsynchronousSocketChannel> accept = server.accept();
            client.connect(reach(server)).get(10, TimeUnit.SECONDS);
            try (AsynchronousSocketChannel accepted = accept.get(10, TimeUnit.SECONDS)) {
                assertEquals(1, client.write(ByteBuffer.wrap(new byte[] {7})).get(10, TimeUnit.SECONDS));
                assertEquals(1, accepted.read(ByteBuffer.allocate(8)).get(10, TimeUnit.SECONDS));
            }
            assertFalse(group.isTerminated());
            client.close();
            assertTrue(group.awaitTermination(10, TimeUnit.SECONDS));
            assertTrue(group.isTerminated());
        }
    }

    /**
     * A listener's pending accept in a group shut down fails when a connection arrives, as no new
     * channel may be made in the group: an IOException whose cause is ShutdownChannelGroupException.
     */
    @Test
    void anAcceptCompletingInAGroupShutDownFails() throws Exception {
        AsynchronousChannelGroup group = newGroup();
        try (AsynchronousServerSocketChannel listener = AsynchronousServerSocketChannel.open(group);
             AsynchronousSocketChannel client = newClient()) {
            listener.bind(serverBindAddress());
            Future<AsynchronousSocketChannel> accept = listener.accept();
            group.shutdown();
            client.connect(reach(listener)).get(10, TimeUnit.SECONDS);
            Throwable failure = failureOf(accept);
            assertInstanceOf(IOException.class, failure);
            assertInstanceOf(ShutdownChannelGroupException.class, failure.getCause());
            assertEquals(-1, client.read(ByteBuffer.allocate(8)).get(10, TimeUnit.SECONDS),
                    "the connection is closed");
        }
        assertTrue(group.awaitTermination(10, TimeUnit.SECONDS), "its last channel closed");
    }

    @Test
    void shutdownOfAGroupWithNoChannelTerminates() throws Exception {
        AsynchronousChannelGroup group = newGroup();
        AsynchronousSocketChannel.open(group).close();
        assertFalse(group.isShutdown());
        group.shutdown();
        assertTrue(group.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(group.isShutdown());
    }
}
