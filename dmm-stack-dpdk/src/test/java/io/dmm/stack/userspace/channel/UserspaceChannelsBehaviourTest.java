package io.dmm.stack.userspace.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dmm.api.testing.BlockedThreads;
import io.dmm.api.testing.Waits;
import io.dmm.stack.userspace.wire.Ipv4Address;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The channels over the real TCP and UDP engines ({@link TestStacks}): connect, accept, reads and
 * writes in both modes, close and interrupt while blocked, timeouts, shutdown, reset, readiness and
 * the java.net adaptors, each checked against what the JDK's channels do. Run over each plumbing
 * below the transports by the nested subclasses.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
abstract class UserspaceChannelsBehaviourTest {
    private static final SelectorProvider PROVIDER = SelectorProvider.provider();
    private static final InetSocketAddress ANY_LOCAL = new InetSocketAddress(Ipv4Address.toInet(TestStacks.LOCAL), 0);

    private TestStacks.TestStack stack;

    /** Over the stack's own Ipv4Interface and LoopbackDevice. */
    static final class OverInterfaceTest extends UserspaceChannelsBehaviourTest {
        @Override TestStacks.TestStack newStack(long spinNanos) { return TestStacks.loopback(spinNanos); }
    }

    /** Over the in-test IPv4 loop (isolates the channels from the interface layer). */
    static final class OverDirectLoopTest extends UserspaceChannelsBehaviourTest {
        @Override TestStacks.TestStack newStack(long spinNanos) { return TestStacks.directLoop(spinNanos); }
        @Override boolean routesEverywhere() { return true; }
    }

    abstract TestStacks.TestStack newStack(long spinNanos);

    /** Whether the plumbing takes packets to any address (the direct loop) or only routable ones (the interface). */
    boolean routesEverywhere() {
        return false;
    }

    @BeforeEach
    void start() {
        stack = newStack(0L);
    }

    @AfterEach
    void stop() throws Exception {
        stack.close();
    }

    private UserspaceServerSocketChannel listen() throws IOException {
        UserspaceServerSocketChannel server = UserspaceServerSocketChannel.open(PROVIDER, stack);
        server.bind(ANY_LOCAL);
        return server;
    }

    private UserspaceSocketChannel client() throws IOException {
        return UserspaceSocketChannel.open(PROVIDER, stack);
    }

    /** A connected pair: [client, accepted]. */
    private UserspaceSocketChannel[] pair(UserspaceServerSocketChannel server) throws IOException {
        UserspaceSocketChannel c = client();
        assertTrue(c.connect(server.getLocalAddress()));
        UserspaceSocketChannel a = (UserspaceSocketChannel) server.accept();
        assertNotNull(a);
        return new UserspaceSocketChannel[] {c, a};
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes());
    }

    private static String readString(SocketChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) break;
        }
        return new String(b.array(), 0, b.position());
    }

    // ------------------------------------------------------------------ TCP: connect and accept

    @Test
    void blockingConnectAcceptAndEchoBothWays() throws Exception {
        try (UserspaceServerSocketChannel server = listen()) {
            InetSocketAddress serverAddress = (InetSocketAddress) server.getLocalAddress();
            assertTrue(serverAddress.getPort() > 0, "ephemeral port assigned");
            UserspaceSocketChannel[] p = pair(server);
            try (UserspaceSocketChannel c = p[0]; UserspaceSocketChannel a = p[1]) {
                assertTrue(c.isConnected());
                assertTrue(a.isConnected());
                assertTrue(a.isBlocking(), "accepted channels are blocking");
                assertEquals(serverAddress, c.getRemoteAddress());
                assertEquals(c.getLocalAddress(), a.getRemoteAddress());
                assertEquals(a.getLocalAddress(), serverAddress);
                assertEquals(5, c.write(bytes("hello")));
                assertEquals("hello", readString(a, 5));
                assertEquals(3, a.write(bytes("hey")));
                assertEquals("hey", readString(c, 3));
            }
        }
    }

    @Test
    void nonBlockingConnectCompletesThroughFinishConnectAndReadiness() throws Exception {
        try (UserspaceServerSocketChannel server = listen(); UserspaceSocketChannel c = client()) {
            c.configureBlocking(false);
            AtomicInteger notified = new AtomicInteger();
            c.setReadinessListener(src -> notified.incrementAndGet());
            boolean connected = c.connect(server.getLocalAddress());
            if (!connected) {
                assertTrue(c.isConnectionPending());
                assertThrows(ConnectionPendingException.class, () -> c.connect(server.getLocalAddress()));
                Waits.until("OP_CONNECT", Duration.ofSeconds(10), () -> (c.readyOps() & SelectionKey.OP_CONNECT) != 0);
                assertTrue(notified.get() > 0, "the listener was told");
                assertTrue(c.finishConnect());
            }
            assertTrue(c.isConnected());
            assertTrue(c.finishConnect(), "finishConnect on a connected channel is true");
            assertEquals(0, c.readyOps() & SelectionKey.OP_CONNECT, "no OP_CONNECT once connected");
            Waits.until("OP_WRITE", Duration.ofSeconds(10), () -> (c.readyOps() & SelectionKey.OP_WRITE) != 0);
            assertThrows(AlreadyConnectedException.class, () -> c.connect(server.getLocalAddress()));
            assertNotNull(server.accept());
        }
    }

    @Test
    void aRefusedConnectThrowsConnectExceptionAndClosesTheChannel() throws Exception {
        int unused;
        try (UserspaceServerSocketChannel s = listen()) {
            unused = ((InetSocketAddress) s.getLocalAddress()).getPort();
        }
        InetSocketAddress nobody = new InetSocketAddress(Ipv4Address.toInet(TestStacks.LOCAL), unused);
        UserspaceSocketChannel blocking = client();
        ConnectException e = assertThrows(ConnectException.class, () -> blocking.connect(nobody));
        assertEquals("Connection refused", e.getMessage());
        assertTrue(java.util.Arrays.stream(e.getStackTrace()).anyMatch(f -> f.getMethodName().contains("aRefusedConnect")),
                "the exception shows the caller's stack");
        assertFalse(blocking.isOpen());

        UserspaceSocketChannel nonBlocking = client();
        nonBlocking.configureBlocking(false);
        // on loopback the RST may be processed before connect returns (run to completion): then
        // connect itself reports the refusal, otherwise finishConnect does
        assertThrows(ConnectException.class, () -> {
            if (!nonBlocking.connect(nobody)) {
                Waits.until("the refusal", Duration.ofSeconds(10), () -> (nonBlocking.readyOps() & SelectionKey.OP_CONNECT) != 0);
                nonBlocking.finishConnect();
            }
        });
        assertFalse(nonBlocking.isOpen());
    }

    @Test
    void aTimedConnectToNowhereTimesOutAndClosesAsTheJdksAdaptor() throws Exception {
        UserspaceSocketChannel c = client();
        Socket s = c.socket();
        long start = System.nanoTime();
        SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                () -> s.connect(new InetSocketAddress(Ipv4Address.toInet(TestStacks.BLACK_HOLE), 80), 100));
        assertEquals("Connect timed out", e.getMessage());
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(100));
        assertFalse(c.isOpen());
    }

    @Test
    void connectingToTheWildcardAddressReachesThisHost() throws Exception {
        try (UserspaceServerSocketChannel server = listen(); UserspaceSocketChannel c = client()) {
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            assertTrue(c.connect(new InetSocketAddress(SocketAddresses.IPV4.anyAddress(), port)));
            assertEquals(new InetSocketAddress(Ipv4Address.toInet(TestStacks.LOCAL), port), c.getRemoteAddress());
            assertNotNull(server.accept());
        }
    }

    @Test
    void bindReservesAPortAndRefusesASecondBind() throws Exception {
        try (UserspaceSocketChannel c = client(); UserspaceServerSocketChannel server = listen()) {
            c.bind(ANY_LOCAL);
            InetSocketAddress local = (InetSocketAddress) c.getLocalAddress();
            assertTrue(local.getPort() > 0);
            assertThrows(AlreadyBoundException.class, () -> c.bind(ANY_LOCAL));
            assertThrows(AlreadyBoundException.class, () -> server.bind(ANY_LOCAL));
            try (UserspaceServerSocketChannel clash = UserspaceServerSocketChannel.open(PROVIDER, stack)) {
                assertThrows(BindException.class, () -> clash.bind(server.getLocalAddress()));
            }
            assertTrue(c.connect(server.getLocalAddress()));
            assertEquals(local.getPort(), ((InetSocketAddress) c.getLocalAddress()).getPort(), "connect uses the bound port");
            assertEquals(local.getPort(), ((InetSocketAddress) server.accept().getRemoteAddress()).getPort());
        }
    }

    @Test
    void closingReleasesBoundPorts() throws Exception {
        UserspaceSocketChannel c = client();
        c.bind(ANY_LOCAL);
        InetSocketAddress reserved = (InetSocketAddress) c.getLocalAddress();
        try (UserspaceSocketChannel clash = client()) {
            assertThrows(BindException.class, () -> clash.bind(reserved), "the reservation holds while open");
        }
        c.close();
        try (UserspaceSocketChannel again = client()) {
            again.bind(reserved);
            assertEquals(reserved, again.getLocalAddress());
        }
        UserspaceServerSocketChannel server = listen();
        SocketAddress listening = server.getLocalAddress();
        server.close();
        try (UserspaceServerSocketChannel again = UserspaceServerSocketChannel.open(PROVIDER, stack)) {
            again.bind(listening);
            assertEquals(listening, again.getLocalAddress());
        }
        UserspaceDatagramChannel d = udp();
        SocketAddress udpPort = d.getLocalAddress();
        d.close();
        try (UserspaceDatagramChannel again = UserspaceDatagramChannel.open(PROVIDER, stack)) {
            again.bind(udpPort);
            assertEquals(udpPort, again.getLocalAddress());
        }
    }

    @Test
    void nonBlockingAcceptReturnsNullThenTheConnection() throws Exception {
        try (UserspaceServerSocketChannel server = listen(); UserspaceSocketChannel c = client()) {
            server.configureBlocking(false);
            assertNull(server.accept());
            assertEquals(0, server.readyOps());
            AtomicInteger notified = new AtomicInteger();
            server.setReadinessListener(src -> notified.incrementAndGet());
            c.connect(server.getLocalAddress());
            Waits.until("OP_ACCEPT", Duration.ofSeconds(10), () -> (server.readyOps() & SelectionKey.OP_ACCEPT) != 0);
            assertTrue(notified.get() > 0);
            assertNotNull(server.accept());
            assertEquals(0, server.readyOps() & SelectionKey.OP_ACCEPT, "queue drained");
        }
    }

    @Test
    void theServerAdaptorAcceptTimesOutThenAcceptsASocketOverAUserspaceChannel() throws Exception {
        try (UserspaceServerSocketChannel server = listen(); UserspaceSocketChannel c = client()) {
            ServerSocket ss = server.socket();
            ss.setSoTimeout(50);
            SocketTimeoutException e = assertThrows(SocketTimeoutException.class, ss::accept);
            assertEquals("Accept timed out", e.getMessage());
            assertTrue(server.isOpen());
            c.connect(server.getLocalAddress());
            Socket accepted = ss.accept();
            assertInstanceOf(UserspaceSocketChannel.class, accepted.getChannel());
            assertTrue(accepted.isConnected());
            assertEquals(c.socket().getLocalPort(), accepted.getPort());
        }
    }

    // ------------------------------------------------------------------ TCP: reads and writes

    @Test
    void aBlockedReadWakesForDataThenSeesEndOfStream() throws Exception {
        try (UserspaceServerSocketChannel server = listen()) {
            UserspaceSocketChannel[] p = pair(server);
            try (UserspaceSocketChannel c = p[0]; UserspaceSocketChannel a = p[1]) {
                CompletableFuture<Integer> read = new CompletableFuture<>();
                ByteBuffer dst = ByteBuffer.allocate(16);
                Thread reader = Thread.ofPlatform().start(() -> {
                    try {
                        read.complete(a.read(dst));
                    } catch (Throwable t) {
                        read.completeExceptionally(t);
                    }
                });
                BlockedThreads.awaitBlockedIn(reader, "read");
                c.write(bytes("ping"));
                assertEquals(4, read.get(5, TimeUnit.SECONDS));
                c.shutdownOutput();
                assertTrue(c.socket().isOutputShutdown());
                assertEquals(-1, a.read(ByteBuffer.allocate(4)));
                assertEquals(-1, a.read(ByteBuffer.allocate(4)), "end of stream stays");
                Waits.until("OP_READ at end of stream", Duration.ofSeconds(10), () -> (a.readyOps() & SelectionKey.OP_READ) != 0);
                assertThrows(AsynchronousCloseException.class, () -> c.write(bytes("x")), "the JDK's answer to a write after shutdownOutput");
                c.configureBlocking(false);
                assertThrows(AsynchronousCloseException.class, () -> c.write(bytes("x")), "in both modes");
            }
        }
    }

    @Test
    void nonBlockingReadsReturnZeroAndReadinessFollowsTheData() throws Exception {
        try (UserspaceServerSocketChannel server = listen()) {
            UserspaceSocketChannel[] p = pair(server);
            try (UserspaceSocketChannel c = p[0]; UserspaceSocketChannel a = p[1]) {
                a.configureBlocking(false);
                AtomicInteger notified = new AtomicInteger();
                a.setReadinessListener(src -> notified.incrementAndGet());
                assertEquals(0, a.read(ByteBuffer.allocate(8)));
                assertEquals(0, a.readyOps() & SelectionKey.OP_READ);
                c.write(bytes("abc"));
                Waits.until("OP_READ", Duration.ofSeconds(10), () -> (a.readyOps() & SelectionKey.OP_READ) != 0);
                assertTrue(notified.get() > 0, "the listener was told of the data");
                assertEquals("abc", readString(a, 3));
                assertEquals(0, a.readyOps() & SelectionKey.OP_READ, "read everything: not readable");
                assertEquals(0, a.read(ByteBuffer.allocate(0)), "an empty buffer reads nothing");
            }
        }
    }

    @Test
    void scatteringAndGatheringMoveBytesInOrder() throws Exception {
        try (UserspaceServerSocketChannel server = listen()) {
            UserspaceSocketChannel[] p = pair(server);
            try (UserspaceSocketChannel c = p[0]; UserspaceSocketChannel a = p[1]) {
                ByteBuffer[] srcs = {bytes("ab"), ByteBuffer.allocate(0), bytes("cde"), bytes("fgh")};
                assertEquals(8, c.write(srcs, 0, 4));
                ByteBuffer[] dsts = {ByteBuffer.allocate(3), ByteBuffer.allocate(5)};
                long got = 0;
                while (got < 8) got += a.read(dsts, 0, 2);
                assertEquals("abc", new String(dsts[0].array()));
                assertEquals("defgh", new String(dsts[1].array()));
            }
        }
    }

    @Test
    void aBlockingWriteLargerThanTheBuffersCompletesWhileThePeerReads() throws Exception {
        try (UserspaceServerSocketChannel server = listen()) {
            UserspaceSocketChannel[] p = pair(server);
            try (UserspaceSocketChannel c = p[0]; UserspaceSocketChannel a = p[1]) {
                byte[] data = new byte[1 << 20];
                new Random(42).nextBytes(data);
                Future<Integer> writer = CompletableFuture.supplyAsync(() -> {
                    try {
                        return c.write(ByteBuffer.wrap(data));
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                ByteBuffer received = ByteBuffer.allocate(data.length);
                while (received.hasRemaining()) assertTrue(a.read(received) > 0);
                assertEquals(data.length, writer.get(10, TimeUnit.SECONDS), "a blocking write takes everything");
                assertArrayEquals(data, received.array());
            }
        }
    }

    @Test
    void aResetMakesReadsThrowConnectionReset() throws Exception {
        try (UserspaceServerSocketChannel server = listen()) {
            UserspaceSocketChannel[] p = pair(server);
            try (UserspaceSocketChannel c = p[0]; UserspaceSocketChannel a = p[1]) {
                c.setOption(StandardSocketOptions.SO_LINGER, 0);
                c.close(); // RST
                SocketException e = assertThrows(SocketException.class, () -> a.read(ByteBuffer.allocate(8)));
                assertEquals("Connection reset", e.getMessage());
                SocketException again = assertThrows(SocketException.class, () -> a.read(ByteBuffer.allocate(8)));
                assertEquals("Connection reset", again.getMessage());
            }
        }
    }

    @Test
    void shutdownInputMakesReadsReturnEndOfStream() throws Exception {
        try (UserspaceServerSocketChannel server = listen()) {
            UserspaceSocketChannel[] p = pair(server);
            try (UserspaceSocketChannel c = p[0]; UserspaceSocketChannel a = p[1]) {
                CompletableFuture<Integer> read = new CompletableFuture<>();
                Thread reader = Thread.ofPlatform().start(() -> {
                    try {
                        read.complete(a.read(ByteBuffer.allocate(8)));
                    } catch (Throwable t) {
                        read.completeExceptionally(t);
                    }
                });
                BlockedThreads.awaitBlockedIn(reader, "read");
                a.shutdownInput();
                assertEquals(-1, read.get(5, TimeUnit.SECONDS), "the blocked reader sees end of stream");
                assertTrue(a.socket().isInputShutdown());
                assertEquals(-1, a.read(ByteBuffer.allocate(8)));
                assertThrows(SocketException.class, () -> a.socket().getInputStream());
                c.write(bytes("ignored"));
            }
        }
    }

    // ------------------------------------------------------------------ TCP: close and interrupt while blocked

    @Test
    void closingFromAnotherThreadWakesABlockedReaderWithAsynchronousClose() throws Exception {
        try (UserspaceServerSocketChannel server = listen()) {
            UserspaceSocketChannel[] p = pair(server);
            try (UserspaceSocketChannel c = p[0]; UserspaceSocketChannel a = p[1]) {
                CompletableFuture<Integer> read = new CompletableFuture<>();
                Thread reader = Thread.ofVirtual().start(() -> {
                    try {
                        read.complete(a.read(ByteBuffer.allocate(8)));
                    } catch (Throwable t) {
                        read.completeExceptionally(t);
                    }
                });
                BlockedThreads.awaitBlockedIn(reader, "read");
                a.close();
                ExecutionException e = assertThrows(ExecutionException.class, () -> read.get(5, TimeUnit.SECONDS));
                assertInstanceOf(AsynchronousCloseException.class, e.getCause());
                assertEquals(-1, c.read(ByteBuffer.allocate(8)), "the peer sees the FIN of the close");
            }
        }
    }

    /**
     * A write that completes at once is not closed by an interrupt that comes while it returns: here
     * the peer's readiness listener, which the writer's own call runs as it delivers the bytes (run
     * to completion), interrupts it, as a peer thread woken by the bytes could (jtreg's
     * AdaptServerSocket). The JDK's write is one system call, done before the peer can react; the
     * interrupt stays pending, the channel open.
     */
    @Test
    void anInterruptWhileAWriteThatDidNotWaitReturnsLeavesTheChannelOpen() throws Exception {
        try (UserspaceServerSocketChannel server = listen()) {
            UserspaceSocketChannel[] p = pair(server);
            try (UserspaceSocketChannel c = p[0]; UserspaceSocketChannel a = p[1]) {
                Thread writer = Thread.currentThread();
                AtomicInteger interrupts = new AtomicInteger();
                a.setReadinessListener(src -> {
                    if ((a.readyOps() & SelectionKey.OP_READ) != 0 && interrupts.getAndIncrement() == 0) {
                        // another thread's interrupt (a thread's own does not close its channel), waited for
                        // without join, which would consume the interrupt
                        Thread peer = Thread.ofPlatform().start(writer::interrupt);
                        while (peer.isAlive()) Thread.onSpinWait();
                    }
                });
                try {
                    assertEquals(1, c.write(ByteBuffer.wrap(new byte[] {42})));
                    assertEquals(1, interrupts.get(), "the peer interrupted the writer during its write");
                    assertTrue(Thread.interrupted(), "the interrupt is pending");
                    assertTrue(c.isOpen());
                    assertEquals(42, a.socket().getInputStream().read());
                } finally {
                    Thread.interrupted();
                }
            }
        }
    }

    @Test
    void interruptingABlockedReaderClosesTheChannel() throws Exception {
        try (UserspaceServerSocketChannel server = listen()) {
            UserspaceSocketChannel[] p = pair(server);
            try (UserspaceSocketChannel c = p[0]; UserspaceSocketChannel a = p[1]) {
                CompletableFuture<Throwable> outcome = new CompletableFuture<>();
                Thread reader = Thread.ofPlatform().start(() -> {
                    try {
                        a.read(ByteBuffer.allocate(8));
                        outcome.complete(null);
                    } catch (Throwable t) {
                        outcome.complete(Thread.currentThread().isInterrupted() ? t
                                : new AssertionError("the interrupt status was cleared", t));
                    }
                });
                BlockedThreads.awaitBlockedIn(reader, "read");
                reader.interrupt();
                assertInstanceOf(ClosedByInterruptException.class, outcome.get(5, TimeUnit.SECONDS));
                assertFalse(a.isOpen());
                assertEquals(0, a.readyOps());
            }
        }
    }

    @Test
    void closingTheServerWakesABlockedAccept() throws Exception {
        UserspaceServerSocketChannel server = listen();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread acceptor = Thread.ofVirtual().start(() -> {
            try {
                server.accept();
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        BlockedThreads.awaitBlockedIn(acceptor, "accept");
        server.close();
        assertInstanceOf(AsynchronousCloseException.class, outcome.get(5, TimeUnit.SECONDS));
    }

    // ------------------------------------------------------------------ TCP: the Socket adaptor

    @Test
    void theSocketAdaptorStreamsHonourSoTimeout() throws Exception {
        try (UserspaceServerSocketChannel server = listen()) {
            Socket s = client().socket();
            s.connect(server.getLocalAddress(), 1000);
            assertTrue(s.isConnected());
            assertTrue(s.isBound());
            try (Socket peer = server.socket().accept()) {
                InputStream in = s.getInputStream();
                s.setSoTimeout(50);
                SocketTimeoutException e = assertThrows(SocketTimeoutException.class, in::read);
                assertEquals("Read timed out", e.getMessage());
                assertFalse(s.isClosed(), "a read timeout leaves the socket open");
                OutputStream out = peer.getOutputStream();
                out.write("data".getBytes());
                out.write('!');
                byte[] b = new byte[5];
                int n = 0;
                while (n < 5) n += in.read(b, n, 5 - n);
                assertEquals("data!", new String(b));
                assertEquals(0, in.available());
                peer.shutdownOutput();
                assertEquals(-1, in.read());
                s.getChannel().configureBlocking(false);
                assertThrows(IllegalBlockingModeException.class, () -> in.read(new byte[1]));
                s.close();
                assertTrue(s.isClosed());
                assertThrows(SocketException.class, s::getInputStream);
            }
        }
    }

    @Test
    void spinningWaitersWorkToo() throws Exception {
        stack.close();
        stack = newStack(TimeUnit.MICROSECONDS.toNanos(50));
        try (UserspaceServerSocketChannel server = listen()) {
            UserspaceSocketChannel[] p = pair(server);
            try (UserspaceSocketChannel c = p[0]; UserspaceSocketChannel a = p[1]) {
                // without it each small write after the first waits for the peer's delayed ACK (Nagle)
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                for (int i = 0; i < 100; i++) {
                    c.write(bytes("x" + (i % 10)));
                    assertEquals("x" + (i % 10), readString(a, 2));
                }
            }
        }
    }

    @Test
    void fullDuplexTrafficOnVirtualThreadsArrivesIntact() throws Exception {
        try (UserspaceServerSocketChannel server = listen()) {
            UserspaceSocketChannel[] p = pair(server);
            try (UserspaceSocketChannel c = p[0]; UserspaceSocketChannel a = p[1]) {
                byte[] one = new byte[300_000];
                byte[] two = new byte[200_000];
                Random random = new Random(7);
                random.nextBytes(one);
                random.nextBytes(two);
                CompletableFuture<byte[]> atA = new CompletableFuture<>();
                CompletableFuture<byte[]> atC = new CompletableFuture<>();
                Thread.ofVirtual().start(() -> copyIn(a, one.length, atA));
                Thread.ofVirtual().start(() -> copyIn(c, two.length, atC));
                Thread w1 = Thread.ofVirtual().start(() -> writeAll(c, one));
                Thread w2 = Thread.ofVirtual().start(() -> writeAll(a, two));
                assertArrayEquals(one, atA.get(10, TimeUnit.SECONDS));
                assertArrayEquals(two, atC.get(10, TimeUnit.SECONDS));
                assertTrue(w1.join(Duration.ofSeconds(10)), "the writer did not end after its bytes arrived");
                assertTrue(w2.join(Duration.ofSeconds(10)), "the writer did not end after its bytes arrived");
            }
        }
    }

    private static void copyIn(SocketChannel ch, int n, CompletableFuture<byte[]> result) {
        try {
            ByteBuffer b = ByteBuffer.allocate(n);
            ByteBuffer chunk = ByteBuffer.allocateDirect(7_001); // odd size: reads end mid-segment
            while (b.hasRemaining()) {
                chunk.clear().limit(Math.min(chunk.capacity(), b.remaining()));
                if (ch.read(chunk) < 0) throw new IOException("early end of stream");
                b.put(chunk.flip());
            }
            result.complete(b.array());
        } catch (Throwable t) {
            result.completeExceptionally(t);
        }
    }

    private static void writeAll(SocketChannel ch, byte[] data) {
        try {
            for (int off = 0; off < data.length; off += 10_000) {
                ch.write(ByteBuffer.wrap(data, off, Math.min(10_000, data.length - off)));
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void aTimedReadThroughTheChannelApiTimesOutAndStaysOpen() throws Exception {
        try (UserspaceServerSocketChannel server = listen()) {
            UserspaceSocketChannel[] p = pair(server);
            try (UserspaceSocketChannel c = p[0]; UserspaceSocketChannel a = p[1]) {
                SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                        () -> a.read(ByteBuffer.allocate(4), TimeUnit.MILLISECONDS.toNanos(30)));
                assertEquals("Read timed out", e.getMessage());
                assertTrue(a.isOpen());
                c.write(bytes("late"));
                ByteBuffer dst = ByteBuffer.allocate(4);
                assertTrue(a.read(dst, TimeUnit.SECONDS.toNanos(5)) > 0);
                a.configureBlocking(false);
                assertThrows(IllegalBlockingModeException.class, () -> a.read(ByteBuffer.allocate(4), 1_000_000L));
            }
        }
    }

    @Test
    void interruptingABlockedConnectClosesTheChannel() throws Exception {
        UserspaceSocketChannel c = client();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread connector = Thread.ofVirtual().start(() -> {
            try {
                c.connect(new InetSocketAddress(Ipv4Address.toInet(TestStacks.BLACK_HOLE), 80));
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        BlockedThreads.awaitBlockedIn(connector, "connect");
        assertTrue(c.isConnectionPending());
        connector.interrupt();
        assertInstanceOf(ClosedByInterruptException.class, outcome.get(5, TimeUnit.SECONDS));
        assertFalse(c.isOpen());
    }

    @Test
    void closingWakesAWriterBlockedOnAFullSendBuffer() throws Exception {
        try (UserspaceServerSocketChannel server = listen()) {
            UserspaceSocketChannel[] p = pair(server);
            try (UserspaceSocketChannel c = p[0]; UserspaceSocketChannel a = p[1]) {
                CompletableFuture<Throwable> outcome = new CompletableFuture<>();
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        c.write(ByteBuffer.allocate(64 << 20)); // far more than both buffers hold: the peer never reads
                        outcome.complete(null);
                    } catch (Throwable t) {
                        outcome.complete(t);
                    }
                });
                BlockedThreads.awaitBlockedIn(writer, "write");
                assertEquals(0, c.readyOps() & SelectionKey.OP_WRITE, "a full send buffer is not writable");
                c.close();
                Throwable t = outcome.get(5, TimeUnit.SECONDS);
                // a blocking write that took some bytes reports them; one that took none was closed under it
                assertTrue(t == null || t instanceof AsynchronousCloseException, String.valueOf(t));
            }
        }
    }

    @Test
    void manyVirtualThreadsBlockedInReadsAllWake() throws Exception {
        int n = 100;
        try (UserspaceServerSocketChannel server = listen()) {
            UserspaceSocketChannel[] clients = new UserspaceSocketChannel[n];
            UserspaceSocketChannel[] accepted = new UserspaceSocketChannel[n];
            for (int i = 0; i < n; i++) {
                UserspaceSocketChannel[] p = pair(server);
                clients[i] = p[0];
                accepted[i] = p[1];
            }
            @SuppressWarnings("unchecked")
            CompletableFuture<Integer>[] reads = new CompletableFuture[n];
            for (int i = 0; i < n; i++) {
                CompletableFuture<Integer> f = reads[i] = new CompletableFuture<>();
                UserspaceSocketChannel a = accepted[i];
                Thread.ofVirtual().start(() -> {
                    try {
                        f.complete(a.read(ByteBuffer.allocate(8)));
                    } catch (Throwable t) {
                        f.completeExceptionally(t);
                    }
                });
            }
            for (int i = 0; i < n; i++) clients[i].write(bytes("n" + i));
            for (int i = 0; i < n; i++) assertEquals(("n" + i).length(), reads[i].get(10, TimeUnit.SECONDS));
            for (int i = 0; i < n; i++) {
                clients[i].close();
                accepted[i].close();
            }
        }
    }

    @Test
    void acceptedChannelsInheritTheListenersOptionsAndTakeTheirOwn() throws Exception {
        try (UserspaceServerSocketChannel server = UserspaceServerSocketChannel.open(PROVIDER, stack)) {
            server.setOption(StandardSocketOptions.SO_RCVBUF, 32 * 1024);
            server.bind(ANY_LOCAL);
            UserspaceSocketChannel[] p = pair(server);
            try (UserspaceSocketChannel c = p[0]; UserspaceSocketChannel a = p[1]) {
                assertEquals(32 * 1024, a.getOption(StandardSocketOptions.SO_RCVBUF));
                a.setOption(StandardSocketOptions.TCP_NODELAY, true);
                a.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                assertTrue(a.getOption(StandardSocketOptions.TCP_NODELAY));
                assertTrue(a.getOption(StandardSocketOptions.SO_KEEPALIVE));
                assertFalse(c.getOption(StandardSocketOptions.TCP_NODELAY));
            }
        }
    }

    @Test
    void closingTheStackWakesBlockedThreadsAndRefusesNewChannels() throws Exception {
        UserspaceServerSocketChannel server = listen();
        UserspaceSocketChannel[] p = pair(server);
        UserspaceDatagramChannel d = udp();
        CompletableFuture<Object> read = new CompletableFuture<>();
        CompletableFuture<Throwable> accept = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                read.complete(p[1].read(ByteBuffer.allocate(8)));
            } catch (Throwable t) {
                read.complete(t);
            }
        });
        Thread acceptor = Thread.ofVirtual().start(() -> {
            try {
                server.accept();
                accept.complete(null);
            } catch (Throwable t) {
                accept.complete(t);
            }
        });
        BlockedThreads.awaitBlockedIn(reader, "read");
        BlockedThreads.awaitBlockedIn(acceptor, "accept");
        stack.close();
        Object r = read.get(5, TimeUnit.SECONDS);
        assertTrue(Integer.valueOf(-1).equals(r) || r instanceof SocketException,
                "the blocked read ends with the aborted connection (end of stream or reset): " + r);
        server.close();
        assertInstanceOf(AsynchronousCloseException.class, accept.get(5, TimeUnit.SECONDS));
        IOException e = assertThrows(IOException.class, () -> UserspaceSocketChannel.open(PROVIDER, stack));
        assertEquals("stack test0 is closed", e.getMessage());
        assertThrows(IOException.class, () -> UserspaceSocketChannel.open(PROVIDER, stack));
        // closing the channels after their stack is a quiet no-op
        p[0].close();
        p[1].close();
        d.close();
        assertFalse(d.isOpen());
    }

    @Test
    void writeReadinessReturnsWhenThePeerDrainsAFullBuffer() throws Exception {
        try (UserspaceServerSocketChannel server = listen()) {
            UserspaceSocketChannel[] p = pair(server);
            try (UserspaceSocketChannel c = p[0]; UserspaceSocketChannel a = p[1]) {
                c.configureBlocking(false);
                AtomicInteger notified = new AtomicInteger();
                c.setReadinessListener(src -> notified.incrementAndGet());
                ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
                long sent = 0;
                while (true) {
                    chunk.clear();
                    int w = c.write(chunk);
                    if (w == 0) break;
                    sent += w;
                }
                assertEquals(0, c.readyOps() & SelectionKey.OP_WRITE, "full: not writable");
                int before = notified.get();
                ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
                long drained = 0;
                while (drained < sent) {
                    sink.clear();
                    drained += a.read(sink);
                }
                Waits.until("OP_WRITE once the peer read", Duration.ofSeconds(10), () -> (c.readyOps() & SelectionKey.OP_WRITE) != 0);
                assertTrue(notified.get() > before, "the listener was told the channel became writable");
            }
        }
    }

    // ------------------------------------------------------------------ UDP

    private UserspaceDatagramChannel udp() throws IOException {
        UserspaceDatagramChannel ch = UserspaceDatagramChannel.open(PROVIDER, stack);
        ch.bind(ANY_LOCAL);
        return ch;
    }

    @Test
    void datagramsCarryTheirSource() throws Exception {
        try (UserspaceDatagramChannel a = udp(); UserspaceDatagramChannel b = udp()) {
            assertEquals(5, a.send(bytes("hello"), b.getLocalAddress()));
            ByteBuffer dst = ByteBuffer.allocate(16);
            SocketAddress from = b.receive(dst);
            assertEquals(a.getLocalAddress(), from);
            assertEquals("hello", new String(dst.array(), 0, dst.position()));
            b.configureBlocking(false);
            assertNull(b.receive(ByteBuffer.allocate(16)), "nothing queued: null in non-blocking mode");
            assertEquals(0, b.readyOps() & SelectionKey.OP_READ);
            assertEquals(SelectionKey.OP_WRITE, b.readyOps() & SelectionKey.OP_WRITE);
            AtomicInteger notified = new AtomicInteger();
            b.setReadinessListener(src -> notified.incrementAndGet());
            a.send(bytes("again"), b.getLocalAddress());
            Waits.until("OP_READ for a queued datagram", Duration.ofSeconds(10), () -> (b.readyOps() & SelectionKey.OP_READ) != 0);
            assertTrue(notified.get() > 0);
            assertNotNull(b.receive(ByteBuffer.allocate(16)));
            assertEquals(0, b.readyOps() & SelectionKey.OP_READ, "drained: not readable");
        }
    }

    @Test
    void sendChecksItsTargetAfterBindingAsTheJdk() throws Exception {
        try (UserspaceDatagramChannel a = UserspaceDatagramChannel.open(PROVIDER, stack)) {
            SocketException noPort = assertThrows(SocketException.class,
                    () -> a.send(bytes("x"), new InetSocketAddress(Ipv4Address.toInet(TestStacks.LOCAL), 0)));
            assertEquals("Can't send to port 0", noPort.getMessage());
            assertNotNull(a.getLocalAddress(), "bound before the check, as the JDK's");
            SocketException eacces = assertThrows(SocketException.class,
                    () -> a.send(bytes("x"), new InetSocketAddress(Ipv4Address.toInet(Ipv4Address.BROADCAST), 9)));
            assertEquals("Permission denied", eacces.getMessage(), "broadcast needs SO_BROADCAST, as on Linux");
        }
    }

    @Test
    void aBlockingSendThatCannotGoOutGivesUpInsteadOfBlockingForever() throws Exception {
        // off the subnet: the interface (no gateway) has no route and never takes the datagram;
        // the direct loop sends everything (and loses what is not local)
        InetSocketAddress unroutable = new InetSocketAddress(Ipv4Address.toInet(Ipv4Address.of(192, 0, 2, 1)), 9);
        try (UserspaceDatagramChannel a = udp()) {
            if (routesEverywhere()) {
                assertEquals(1, a.send(bytes("x"), unroutable));
            } else {
                SocketException e = assertThrows(SocketException.class, () -> a.send(bytes("x"), unroutable));
                assertEquals("Datagram not sent: no route to 192.0.2.1:9 or no transmit buffer", e.getMessage());
            }
            assertTrue(a.isOpen());
        }
    }

    @Test
    void anUnboundChannelBindsOnItsFirstSend() throws Exception {
        try (UserspaceDatagramChannel b = udp(); UserspaceDatagramChannel a = UserspaceDatagramChannel.open(PROVIDER, stack)) {
            assertNull(a.getLocalAddress());
            a.send(bytes("x"), b.getLocalAddress());
            assertNotNull(a.getLocalAddress());
            assertEquals(((InetSocketAddress) a.getLocalAddress()).getPort(),
                    ((InetSocketAddress) b.receive(ByteBuffer.allocate(4))).getPort());
        }
    }

    @Test
    void aConnectedChannelReadsOnlyFromItsPeer() throws Exception {
        try (UserspaceDatagramChannel a = udp(); UserspaceDatagramChannel b = udp(); UserspaceDatagramChannel other = udp()) {
            b.connect(a.getLocalAddress());
            assertTrue(b.isConnected());
            assertEquals(a.getLocalAddress(), b.getRemoteAddress());
            assertThrows(AlreadyConnectedException.class, () -> b.send(bytes("x"), other.getLocalAddress()));
            other.send(bytes("noise"), b.getLocalAddress());
            a.send(bytes("signal"), b.getLocalAddress());
            ByteBuffer dst = ByteBuffer.allocate(16);
            assertEquals(6, b.read(dst));
            assertEquals("signal", new String(dst.array(), 0, 6));
            assertEquals(2, b.write(bytes("ok")));
            ByteBuffer back = ByteBuffer.allocate(4);
            assertEquals(b.getLocalAddress(), a.receive(back));
            b.disconnect();
            assertFalse(b.isConnected());
            assertNull(b.getRemoteAddress());
        }
    }

    @Test
    void aConnectedChannelSeesPortUnreachable() throws Exception {
        int closedPort;
        try (UserspaceDatagramChannel gone = udp()) {
            closedPort = ((InetSocketAddress) gone.getLocalAddress()).getPort();
        }
        try (UserspaceDatagramChannel c = udp()) {
            c.connect(new InetSocketAddress(Ipv4Address.toInet(TestStacks.LOCAL), closedPort));
            c.write(bytes("anyone?"));
            assertThrows(PortUnreachableException.class, () -> c.read(ByteBuffer.allocate(8)));
        }
    }

    @Test
    void scatteringReadAndGatheringWriteMoveOneDatagram() throws Exception {
        try (UserspaceDatagramChannel a = udp(); UserspaceDatagramChannel b = udp()) {
            a.connect(b.getLocalAddress());
            b.connect(a.getLocalAddress());
            assertEquals(6, a.write(new ByteBuffer[] {bytes("ab"), bytes("cdef")}, 0, 2));
            ByteBuffer[] dsts = {ByteBuffer.allocate(4), ByteBuffer.allocate(4)};
            assertEquals(6, b.read(dsts, 0, 2));
            assertEquals("abcd", new String(dsts[0].array()));
            assertEquals("ef", new String(dsts[1].array(), 0, dsts[1].position()));
        }
    }

    @Test
    void theDatagramAdaptorTimesOutAndKeepsAReusedPacketsCapacity() throws Exception {
        try (UserspaceDatagramChannel a = udp(); UserspaceDatagramChannel b = udp()) {
            DatagramSocket ds = b.socket();
            ds.setSoTimeout(50);
            DatagramPacket p = new DatagramPacket(new byte[64], 64);
            SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> ds.receive(p));
            assertEquals("Receive timed out", e.getMessage());
            a.send(bytes("abc"), b.getLocalAddress());
            ds.receive(p);
            assertEquals(3, p.getLength());
            assertEquals(a.getLocalAddress(), p.getSocketAddress());
            a.send(bytes("a longer one"), b.getLocalAddress());
            ds.receive(p);
            assertEquals("a longer one", new String(p.getData(), 0, p.getLength()), "the reused packet kept its capacity");
            DatagramSocket as = a.socket();
            as.send(new DatagramPacket("pkt".getBytes(), 3, b.getLocalAddress()));
            ds.receive(p);
            assertEquals("pkt", new String(p.getData(), 0, p.getLength()));

            // java.net lets a connected socket connect elsewhere (the channel itself refuses)
            ds.connect(a.getLocalAddress());
            try (UserspaceDatagramChannel other = udp()) {
                ds.connect(other.getLocalAddress());
                assertEquals(other.getLocalAddress(), ds.getRemoteSocketAddress());
                assertThrows(AlreadyConnectedException.class, () -> b.connect(a.getLocalAddress()));
                IllegalArgumentException differ = assertThrows(IllegalArgumentException.class,
                        () -> ds.send(new DatagramPacket(new byte[1], 1, a.getLocalAddress())));
                assertEquals("Connected and packet address differ", differ.getMessage());
            }
            ds.disconnect();
            assertFalse(ds.isConnected());
        }
    }

    @Test
    void closingWakesABlockedReceive() throws Exception {
        UserspaceDatagramChannel b = udp();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread receiver = Thread.ofVirtual().start(() -> {
            try {
                b.receive(ByteBuffer.allocate(8));
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        BlockedThreads.awaitBlockedIn(receiver, "receive");
        b.close();
        assertInstanceOf(AsynchronousCloseException.class, outcome.get(5, TimeUnit.SECONDS));
        assertNull(b.socket().getLocalSocketAddress(), "a closed socket reports no local address");
    }
}
