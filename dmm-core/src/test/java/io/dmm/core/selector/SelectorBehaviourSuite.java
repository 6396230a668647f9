package io.dmm.core.selector;

import static java.nio.channels.SelectionKey.OP_ACCEPT;
import static java.nio.channels.SelectionKey.OP_CONNECT;
import static java.nio.channels.SelectionKey.OP_READ;
import static java.nio.channels.SelectionKey.OP_WRITE;
import static org.junit.jupiter.api.Assertions.*;

import io.dmm.api.testing.BackgroundCall;
import java.io.IOException;
import java.util.stream.Stream;
import java.util.Set;
import java.nio.file.Path;
import java.nio.file.Files;
import java.nio.channels.spi.SelectorProvider;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.IllegalSelectorException;
import java.net.UnixDomainSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.Pipe;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Selector behaviour, run against the JDK's selector with JDK channels and against DMM's selector
 * with routed channels (kernel, multi-listen, fd-less memory stack): the same code must pass on all,
 * so DMM's selector behaves as the JDK's where programs can tell.
 */
@Timeout(30)
abstract class SelectorBehaviourSuite {
    /** Slack for timers: a select(timeout) must not return earlier than timeout minus this. */
    static final long EARLY_TOLERANCE_MS = 5;

    /** Each task on a thread of its own: the common pool may have one thread on a small machine. */
    static final Executor OWN_THREAD = r -> Thread.ofPlatform().daemon().start(r);

    /** How long a call that should return at once may take on a loaded machine: far less than "never". */
    static final long AT_ONCE_MS = 5_000;

    /** Deadline for a woken or unblocked call to end: a bound against hanging, not a measurement. */
    static final Duration ENDS_WITHIN = Duration.ofSeconds(10);

    private final List<AutoCloseable> open = new ArrayList<>();

    protected abstract Selector newSelector() throws IOException;

    protected abstract SocketChannel newClient() throws IOException;

    protected abstract ServerSocketChannel newServer() throws IOException;

    /** A pipe as {@code Pipe.open()} makes it where this suite's selector is {@code Selector.open()}'s. */
    protected Pipe newPipe() throws IOException {
        return Pipe.open();
    }

    /** A UNIX-domain server as {@code ServerSocketChannel.open(UNIX)} makes it, likewise. */
    protected ServerSocketChannel newUnixServer() throws IOException {
        return ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    }

    protected SocketAddress serverBindAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void closeAll() {
        for (AutoCloseable c : open.reversed()) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    Selector selector() throws IOException {
        return track(newSelector());
    }

    ServerSocketChannel listening() throws IOException {
        ServerSocketChannel s = track(newServer());
        s.bind(serverBindAddress());
        return s;
    }

    /** The server's address to connect to (a wildcard bind is reached on loopback). */
    static InetSocketAddress target(ServerSocketChannel s) throws IOException {
        InetSocketAddress a = (InetSocketAddress) s.getLocalAddress();
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), a.getPort());
    }

    /** A connected pair, both non-blocking: [client, accepted]. */
    SocketChannel[] pair() throws IOException {
        ServerSocketChannel s = listening();
        SocketChannel c = track(newClient());
        assertTrue(c.connect(target(s)), "a blocking connect returns connected");
        SocketChannel a = track(s.accept());
        assertNotNull(a);
        c.configureBlocking(false);
        a.configureBlocking(false);
        return new SocketChannel[] {c, a};
    }

    static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    static long elapsedMs(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /** Selects until {@code key} is selected with {@code ops} (at most 5 s). */
    static void awaitSelected(Selector sel, SelectionKey key, int ops) throws IOException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
            sel.select(100);
            if (sel.selectedKeys().contains(key) && (key.readyOps() & ops) == ops) {
                return;
            }
        }
        fail("not selected for " + ops + ": " + key);
    }

    // ---------------------------------------------------------------- an echo server driven by select

    @Test
    void anUnboundDatagramChannelIsWritableAtOnce() throws IOException {
        Selector sel = selector();
        DatagramChannel d = track(sel.provider().openDatagramChannel());
        d.configureBlocking(false);
        SelectionKey k = d.register(sel, SelectionKey.OP_READ);
        assertEquals(0, sel.selectNow(), "nothing to read");
        k.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        assertEquals(1, sel.select(AT_ONCE_MS));
        assertSame(k, sel.selectedKeys().iterator().next());
        assertEquals(SelectionKey.OP_WRITE, k.readyOps());
        sel.selectedKeys().clear();
        assertEquals(1, sel.selectNow(), "still writable: level-triggered");
    }

    /**
     * The JDK's unconnected TCP socket and unbound server socket poll as hung up (the kernel's TCP
     * CLOSE state), which its selector reports as ready for every operation of interest; a DMM
     * channel not routed yet must not show that it has no socket.
     */
    @Test
    void anUnconnectedSocketAndAnUnboundServerAreReadyAtOnceForTheirInterest() throws IOException {
        Selector sel = selector();
        SocketChannel c = track(newClient());
        c.configureBlocking(false);
        SelectionKey ck = c.register(sel, OP_READ | OP_WRITE);
        ServerSocketChannel s = track(newServer());
        s.configureBlocking(false);
        SelectionKey sk = s.register(sel, OP_ACCEPT);
        assertEquals(2, sel.select(AT_ONCE_MS));
        assertEquals(OP_READ | OP_WRITE, ck.readyOps());
        assertEquals(OP_ACCEPT, sk.readyOps());
        sel.selectedKeys().clear();
        ck.interestOps(OP_CONNECT);
        assertEquals(2, sel.selectNow(), "still ready: level-triggered");
        assertEquals(OP_CONNECT, ck.readyOps());
    }

    /** OpenJDK's KeySets: unbound datagram channels registered for OP_WRITE end an untimed select at once. */
    @Test
    void unboundDatagramChannelsRegisteredForWriteEndAnUntimedSelect() throws Exception {
        Selector sel = selector();
        List<SelectionKey> keys = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            DatagramChannel d = track(sel.provider().openDatagramChannel());
            d.configureBlocking(false);
            keys.add(d.register(sel, OP_WRITE));
        }
        int n = BackgroundCall.start("select", sel::select).result(ENDS_WITHIN); // untimed, as KeySets's
        assertEquals(3, n);
        assertEquals(Set.copyOf(keys), sel.selectedKeys());
    }

    @Test
    void echoDrivenBySelect() throws Exception {
        Selector sel = selector();
        ServerSocketChannel s = listening();
        s.configureBlocking(false);
        SelectionKey serverKey = s.register(sel, OP_ACCEPT, "server");
        SocketChannel c = track(newClient());
        c.configureBlocking(false);
        SelectionKey clientKey = c.register(sel, OP_CONNECT, "client");
        c.connect(target(s));
        ByteBuffer request = bytes("hello over select");
        ByteBuffer reply = ByteBuffer.allocate(request.remaining());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (reply.hasRemaining() && System.nanoTime() < end) {
            sel.select(1000);
            Iterator<SelectionKey> it = sel.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                if (k == serverKey && k.isAcceptable()) {
                    SocketChannel a = s.accept();
                    if (a != null) {
                        track(a).configureBlocking(false);
                        a.register(sel, OP_READ, "accepted");
                    }
                } else if (k == clientKey && k.isConnectable()) {
                    if (c.finishConnect()) {
                        k.interestOps(OP_WRITE);
                    }
                } else if (k == clientKey && k.isWritable()) {
                    c.write(request);
                    if (!request.hasRemaining()) {
                        k.interestOps(OP_READ);
                    }
                } else if (k == clientKey && k.isReadable()) {
                    assertTrue(c.read(reply) >= 0);
                } else if ("accepted".equals(k.attachment()) && k.isReadable()) {
                    SocketChannel a = (SocketChannel) k.channel();
                    ByteBuffer buf = ByteBuffer.allocate(64);
                    int n = a.read(buf);
                    if (n > 0) {
                        buf.flip();
                        a.write(buf);
                    }
                }
            }
        }
        assertEquals("hello over select", new String(reply.array(), StandardCharsets.US_ASCII));
        assertEquals("client", clientKey.attachment());
    }

    // ---------------------------------------------------------------- wakeup and timeouts

    @Test
    void wakeupBeforeSelectMakesTheNextSelectReturnAtOnce() throws Exception {
        Selector sel = selector();
        SocketChannel[] p = pair();
        p[0].register(sel, OP_READ);
        assertSame(sel, sel.wakeup());
        long t0 = System.nanoTime();
        assertEquals(0, sel.select());
        assertTrue(elapsedMs(t0) < AT_ONCE_MS, "a pending wakeup: returns at once, not after " + elapsedMs(t0) + " ms");
        // consumed: the next select waits its timeout
        t0 = System.nanoTime();
        assertEquals(0, sel.select(150));
        assertTrue(elapsedMs(t0) >= 150 - EARLY_TOLERANCE_MS, "waited " + elapsedMs(t0));
    }

    @Test
    void selectNowClearsAnEarlierWakeup() throws Exception {
        Selector sel = selector();
        sel.wakeup();
        assertEquals(0, sel.selectNow());
        long t0 = System.nanoTime();
        assertEquals(0, sel.select(100));
        assertTrue(elapsedMs(t0) >= 100 - EARLY_TOLERANCE_MS, "waited " + elapsedMs(t0));
    }

    @Test
    void wakeupDuringSelect() throws Exception {
        Selector sel = selector();
        SocketChannel[] p = pair();
        p[0].register(sel, OP_READ);
        BackgroundCall<Integer> selecting = BackgroundCall.start("select", sel::select);
        selecting.awaitBlockedIn("select"); // nothing ready: select must block
        sel.wakeup();
        assertEquals(0, selecting.result(ENDS_WITHIN));
    }

    @Test
    void selectTimeoutIsHonouredWhenNothingIsReady() throws Exception {
        Selector sel = selector();
        SocketChannel[] p = pair();
        p[0].register(sel, OP_READ);
        ServerSocketChannel idle = listening();
        idle.configureBlocking(false);
        idle.register(sel, OP_ACCEPT);
        long t0 = System.nanoTime();
        assertEquals(0, sel.select(300));
        long waited = elapsedMs(t0);
        assertTrue(waited >= 300 - EARLY_TOLERANCE_MS, "returned early after " + waited + " ms");
        assertTrue(waited < 10_000, "returned late after " + waited + " ms");
        assertTrue(sel.selectedKeys().isEmpty());
    }

    /** Netty's loop: many short select(timeout) with nothing ready; none may return early. */
    @Test
    void nettyLikeLoopSeesNoPrematureReturns() throws Exception {
        Selector sel = selector();
        SocketChannel[] p = pair();
        p[0].register(sel, OP_READ);
        int early = 0;
        for (int i = 0; i < 25; i++) {
            long t0 = System.nanoTime();
            int n = sel.select(20);
            if (n == 0 && elapsedMs(t0) < 20 - EARLY_TOLERANCE_MS) {
                early++;
            }
        }
        assertEquals(0, early, "premature empty returns");
    }

    @Test
    void hugeTimeoutWaitsUntilWokenUp() throws Exception {
        Selector sel = selector();
        SocketChannel[] p = pair();
        p[0].register(sel, OP_READ);
        BackgroundCall<Integer> selecting = BackgroundCall.start("select", () -> sel.select(Long.MAX_VALUE));
        selecting.awaitBlockedIn("select");
        sel.wakeup();
        assertEquals(0, selecting.result(ENDS_WITHIN));
    }

    @Test
    void negativeTimeoutIsRejected() throws Exception {
        Selector sel = selector();
        assertThrows(IllegalArgumentException.class, () -> sel.select(-1));
        assertThrows(IllegalArgumentException.class, () -> sel.select(k -> { }, -1));
    }

    @Test
    void interruptedThreadDoesNotBlock() throws Exception {
        Selector sel = selector();
        Thread.currentThread().interrupt();
        try {
            long t0 = System.nanoTime();
            assertEquals(0, sel.select());
            assertTrue(elapsedMs(t0) < AT_ONCE_MS, "interrupted: returns at once, not after " + elapsedMs(t0) + " ms");
            assertTrue(Thread.currentThread().isInterrupted(), "select keeps the interrupt status");
        } finally {
            Thread.interrupted();
        }
        assertTrue(sel.isOpen());
    }

    // ---------------------------------------------------------------- selected-key set

    @Test
    void iteratorRemoveAndLevelTriggering() throws Exception {
        Selector sel = selector();
        SocketChannel[] p = pair();
        SelectionKey k = p[0].register(sel, OP_READ, "att");
        p[1].write(bytes("x"));
        awaitSelected(sel, k, OP_READ);
        Iterator<SelectionKey> it = sel.selectedKeys().iterator();
        assertSame(k, it.next());
        it.remove();
        assertTrue(sel.selectedKeys().isEmpty());
        // still readable (nothing read): selected again
        assertEquals(1, sel.select(2000));
        assertTrue(sel.selectedKeys().contains(k));
        assertTrue(k.isReadable());
        sel.selectedKeys().clear();
        assertEquals(1, p[0].read(ByteBuffer.allocate(8)));
        assertEquals(0, sel.select(100), "drained: not ready any more");
        assertTrue(sel.selectedKeys().isEmpty());
    }

    @Test
    void selectedKeySetOnlyGrowsAndOrsReadyOps() throws Exception {
        Selector sel = selector();
        SocketChannel[] p = pair();
        SelectionKey k = p[0].register(sel, OP_READ);
        p[1].write(bytes("x"));
        awaitSelected(sel, k, OP_READ);
        assertEquals(OP_READ, k.readyOps());
        k.interestOps(OP_READ | OP_WRITE);
        assertEquals(1, sel.select(2000), "a new ready operation counts");
        assertEquals(OP_READ | OP_WRITE, k.readyOps(), "OR'ed into the selected key");
        assertEquals(0, sel.selectNow(), "nothing new");
        assertEquals(OP_READ | OP_WRITE, k.readyOps());
        assertEquals(1, sel.selectedKeys().size());
    }

    @Test
    void setsAreViewsWithTheJdkRestrictions() throws Exception {
        Selector sel = selector();
        SocketChannel[] p = pair();
        SelectionKey k = p[0].register(sel, OP_READ);
        assertEquals(1, sel.keys().size());
        assertTrue(sel.keys().contains(k));
        assertThrows(UnsupportedOperationException.class, () -> sel.keys().remove(k));
        assertThrows(UnsupportedOperationException.class, () -> sel.keys().add(k));
        assertThrows(UnsupportedOperationException.class, () -> sel.selectedKeys().add(k));
    }

    @Test
    void selectWithActionLeavesTheSelectedSetAlone() throws Exception {
        Selector sel = selector();
        SocketChannel[] p = pair();
        SelectionKey k = p[0].register(sel, OP_READ | OP_WRITE);
        p[1].write(bytes("x"));
        List<Integer> seen = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (seen.isEmpty() || (seen.getLast() & OP_READ) == 0) {
            assertTrue(System.nanoTime() < end);
            seen.clear();
            int n = sel.select(key -> {
                assertSame(k, key);
                seen.add(key.readyOps());
            }, 1000);
            assertEquals(seen.size(), n);
        }
        assertEquals(OP_READ | OP_WRITE, seen.getLast());
        assertTrue(sel.selectedKeys().isEmpty());
        assertEquals(1, sel.selectNow(key -> { }));
    }

    @Test
    void selectFromAnActionIsRejected() throws Exception {
        Selector sel = selector();
        SocketChannel[] p = pair();
        p[0].register(sel, OP_WRITE);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        sel.select(key -> {
            try {
                sel.selectNow();
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, 2000);
        assertInstanceOf(IllegalStateException.class, thrown.get());
    }

    /**
     * Selector's documentation: a select synchronizes on the selector, then on its selected-key set
     * (not on its key set), so a select(Consumer) action runs holding those two monitors.
     */
    @Test
    void anActionRunsHoldingTheSelectorAndItsSelectedKeySet() throws Exception {
        Selector sel = selector();
        SocketChannel[] p = pair();
        p[0].register(sel, OP_WRITE);
        List<Boolean> held = new ArrayList<>();
        int n = sel.select(key -> {
            held.add(Thread.holdsLock(sel));
            held.add(Thread.holdsLock(sel.selectedKeys()));
            held.add(Thread.holdsLock(sel.keys()));
        }, AT_ONCE_MS);
        assertEquals(1, n);
        assertEquals(List.of(true, true, false), held, "selector, selected-key set, key set");
    }

    /** As documented: a thread holding the selector's monitor keeps every select out until it lets go. */
    @Test
    void holdingTheSelectorsMonitorKeepsASelectOut() throws Exception {
        Selector sel = selector();
        SocketChannel[] p = pair();
        p[0].register(sel, OP_WRITE);
        BackgroundCall<Integer> selecting;
        synchronized (sel) {
            selecting = BackgroundCall.start("selectNow", sel::selectNow);
            selecting.awaitBlockedIn("selectNow");
        }
        assertEquals(1, selecting.result(ENDS_WITHIN));
    }

    // ---------------------------------------------------------------- registration and cancel

    @Test
    void registeringABlockingChannelFails() throws Exception {
        Selector sel = selector();
        SocketChannel c = track(newClient());
        assertThrows(IllegalBlockingModeException.class, () -> c.register(sel, OP_CONNECT));
        c.configureBlocking(false);
        assertThrows(IllegalArgumentException.class, () -> c.register(sel, OP_ACCEPT));
        SelectionKey k = c.register(sel, OP_CONNECT, "a");
        assertSame(k, c.register(sel, OP_READ, "b"), "registering again updates the key");
        assertEquals(OP_READ, k.interestOps());
        assertEquals("b", k.attachment());
        assertSame(k, c.keyFor(sel));
        assertThrows(IllegalBlockingModeException.class, () -> c.configureBlocking(true));
    }

    @Test
    void registerDuringSelectDoesNotDeadlockAndCountsNextTime() throws Exception {
        Selector sel = selector();
        SocketChannel[] p = pair();
        p[1].write(bytes("ready"));
        // untimed: a register that waited for the select to end would never return
        BackgroundCall<Integer> selecting = BackgroundCall.start("select", sel::select);
        selecting.awaitBlockedIn("select");
        SelectionKey k = BackgroundCall.start("register", () -> p[0].register(sel, OP_READ)).result(ENDS_WITHIN);
        sel.wakeup();
        selecting.result(ENDS_WITHIN);
        awaitSelected(sel, k, OP_READ);
    }

    @Test
    void cancelFromAnotherThreadWhileSelecting() throws Exception {
        Selector sel = selector();
        SocketChannel[] p = pair();
        SelectionKey k = p[0].register(sel, OP_READ);
        BackgroundCall<Integer> selecting = BackgroundCall.start("select", sel::select);
        selecting.awaitBlockedIn("select");
        BackgroundCall.run("cancel", k::cancel).result(ENDS_WITHIN);
        assertFalse(k.isValid());
        assertThrows(CancelledKeyException.class, k::interestOps);
        assertThrows(CancelledKeyException.class, k::readyOps);
        sel.wakeup(); // untimed: a cancel alone does not end it
        selecting.result(ENDS_WITHIN);
        sel.selectNow();
        assertFalse(sel.keys().contains(k), "deregistered by the next select");
        assertFalse(p[0].isRegistered());
        // data now: a cancelled key is never selected
        p[1].write(bytes("x"));
        assertEquals(0, sel.select(100));
        SelectionKey again = p[0].register(sel, OP_READ);
        assertNotSame(k, again);
        awaitSelected(sel, again, OP_READ);
    }

    /**
     * Jetty's pattern: a selector loop iterating its selected keys while other threads register and
     * cancel keys. No exception anywhere, every cancelled key deregistered, nothing left behind.
     */
    @Test
    void registerAndCancelFromOtherThreadsWhileSelectingInALoop() throws Exception {
        Selector sel = selector();
        int threads = 4;
        List<SocketChannel> channels = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            channels.add(pair()[0]);
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread loop = Thread.ofPlatform().start(() -> {
            try {
                while (running.get()) {
                    sel.select(5);
                    Iterator<SelectionKey> it = sel.selectedKeys().iterator();
                    while (it.hasNext()) {
                        SelectionKey k = it.next();
                        it.remove();
                        try {
                            k.readyOps();
                        } catch (CancelledKeyException ignored) {
                            // cancelled by a worker since this select: as on the JDK
                        }
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (SocketChannel ch : channels) {
            workers.add(CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        SelectionKey k = ch.register(sel, OP_WRITE, i);
                        Thread.yield();
                        k.cancel();
                        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                        while (ch.isRegistered()) { // deregistered by the loop's next select
                            assertTrue(System.nanoTime() < end, "never deregistered");
                            Thread.sleep(1);
                        }
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, OWN_THREAD));
        }
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        running.set(false);
        sel.wakeup();
        loop.join(ENDS_WITHIN);
        assertFalse(loop.isAlive(), "the selector loop did not stop");
        assertNull(failure.get());
        sel.selectNow();
        assertTrue(sel.keys().isEmpty());
    }

    /**
     * Closing a channel cancels its keys, from any thread and at any time (SelectableChannel's
     * documentation): a select running meanwhile over the ready channels must not throw, and the
     * next select deregisters them all (OpenJDK's RegAfterPreClose closes channels so). A race:
     * many rounds, so that some close lands inside a select.
     */
    @Test
    void channelsClosedByAnotherThreadWhileTheirKeysAreSelected() throws Exception {
        Selector sel = selector();
        ServerSocketChannel s = listening();
        for (int round = 0; round < 60; round++) {
            List<SocketChannel> clients = new ArrayList<>();
            List<SocketChannel> accepted = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                SocketChannel c = track(newClient());
                c.connect(target(s));
                accepted.add(track(s.accept()));
                c.configureBlocking(false);
                c.register(sel, OP_WRITE); // writable at once: every select finds them all ready
                clients.add(c);
            }
            BackgroundCall<Void> closing = BackgroundCall.run("close", () -> {
                for (SocketChannel c : clients) {
                    c.close();
                }
            });
            while (!closing.isDone()) {
                sel.selectNow();
                sel.selectedKeys().clear();
            }
            closing.result(ENDS_WITHIN);
            sel.selectNow();
            assertEquals(Set.of(), sel.keys(), "every closed channel deregistered");
            for (SocketChannel a : accepted) {
                a.close();
            }
        }
    }

    @Test
    void cancelAKeyThatIsSelected() throws Exception {
        Selector sel = selector();
        SocketChannel[] p = pair();
        SelectionKey k = p[0].register(sel, OP_WRITE);
        awaitSelected(sel, k, OP_WRITE);
        k.cancel();
        assertTrue(sel.selectedKeys().contains(k), "removed at the next select, not before");
        sel.selectNow();
        assertFalse(sel.selectedKeys().contains(k));
        assertFalse(sel.keys().contains(k));
    }

    /**
     * The JDK's HttpServer: on a readable key, {@code key.cancel(); chan.configureBlocking(true)} and
     * a blocking read, before any select deregistered the key; later, after a select, non-blocking
     * again and registered anew.
     */
    @Test
    void blockingModeRightAfterCancelBeforeTheNextSelect() throws Exception {
        Selector sel = selector();
        SocketChannel[] p = pair();
        SelectionKey k = p[1].register(sel, OP_READ);
        p[0].write(bytes("req"));
        awaitSelected(sel, k, OP_READ);
        k.cancel();
        p[1].configureBlocking(true);
        assertTrue(p[1].isBlocking());
        ByteBuffer in = ByteBuffer.allocate(3);
        while (in.hasRemaining()) {
            assertTrue(p[1].read(in) >= 0);
        }
        assertEquals("req", new String(in.array(), StandardCharsets.US_ASCII));
        sel.selectNow();
        p[1].configureBlocking(false);
        SelectionKey again = p[1].register(sel, OP_READ);
        assertNotSame(k, again);
        p[0].write(bytes("next"));
        awaitSelected(sel, again, OP_READ);
    }

    @Test
    void closingAChannelCancelsItsKey() throws Exception {
        Selector sel = selector();
        SocketChannel[] p = pair();
        SelectionKey k = p[0].register(sel, OP_READ);
        p[0].close();
        assertFalse(k.isValid());
        sel.selectNow();
        assertTrue(sel.keys().isEmpty());
        // the peer sees the close
        SelectionKey peer = p[1].register(sel, OP_READ);
        awaitSelected(sel, peer, OP_READ);
        assertEquals(-1, p[1].read(ByteBuffer.allocate(4)));
    }

    // ---------------------------------------------------------------- close

    @Test
    void closeSemantics() throws Exception {
        Selector sel = selector();
        SocketChannel[] p = pair();
        SelectionKey k = p[0].register(sel, OP_WRITE);
        awaitSelected(sel, k, OP_WRITE);
        sel.close();
        assertFalse(sel.isOpen());
        assertFalse(k.isValid());
        assertFalse(p[0].isRegistered());
        assertTrue(p[0].isOpen(), "closing a selector does not close its channels");
        assertThrows(ClosedSelectorException.class, sel::keys);
        assertThrows(ClosedSelectorException.class, sel::selectedKeys);
        assertThrows(ClosedSelectorException.class, sel::select);
        assertThrows(ClosedSelectorException.class, sel::selectNow);
        assertThrows(ClosedSelectorException.class, () -> sel.select(10));
        assertThrows(ClosedSelectorException.class, () -> sel.select(key -> { }));
        assertThrows(ClosedSelectorException.class, () -> p[1].register(sel, OP_READ));
        sel.wakeup();
        sel.close(); // again: nothing
        // the channel can go back to blocking mode now
        p[0].configureBlocking(true);
    }

    @Test
    void closeWakesABlockedSelect() throws Exception {
        Selector sel = selector();
        SocketChannel[] p = pair();
        p[0].register(sel, OP_READ);
        BackgroundCall<Integer> selecting = BackgroundCall.start("select", sel::select);
        selecting.awaitBlockedIn("select");
        sel.close();
        selecting.result(ENDS_WITHIN);
        assertFalse(sel.isOpen());
    }

    @Test
    void closeFromAnActionEndsTheSelect() throws Exception {
        Selector sel = selector();
        SocketChannel[] p = pair();
        p[0].register(sel, OP_WRITE);
        assertThrows(ClosedSelectorException.class, () -> sel.select(key -> {
            try {
                sel.close();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, 2000));
        assertFalse(sel.isOpen());
    }

    @Test
    void selectOnVirtualThreadsParksAndWakes() throws Exception {
        Selector sel = selector();
        SocketChannel[] p = pair();
        SelectionKey k = p[0].register(sel, OP_READ);
        // timed, as Netty's loop: a write that did not wake it would show as 0 after the timeout
        BackgroundCall<Integer> selecting = BackgroundCall.start("select", Thread.ofVirtual(), () -> sel.select(60_000));
        selecting.awaitBlockedIn("select");
        p[1].write(bytes("x"));
        assertEquals(1, selecting.result(ENDS_WITHIN));
        assertTrue(sel.selectedKeys().contains(k));
    }

    // ---------------------------------------------------------------- the JDK's own channels

    /** A pipe with both ends non-blocking. */
    Pipe pipe() throws IOException {
        Pipe p = newPipe();
        track(p.source()).configureBlocking(false);
        track(p.sink()).configureBlocking(false);
        return p;
    }

    /** The event-loop wakeup of many programs: a select blocked on sockets ends when a pipe gets a byte. */
    @Test
    void aPipeWakesASelectBlockedOnSockets() throws Exception {
        Selector sel = selector();
        SocketChannel[] p = pair();
        SelectionKey socketKey = p[0].register(sel, OP_READ, "socket");
        Pipe wake = pipe();
        SelectionKey wakeKey = wake.source().register(sel, OP_READ, "wake");
        assertSame(sel, wakeKey.selector());
        assertSame(wake.source(), wakeKey.channel());
        assertSame(wakeKey, wake.source().keyFor(sel));
        assertEquals(Set.of(socketKey, wakeKey), sel.keys());
        BackgroundCall<Integer> selecting = BackgroundCall.start("select", sel::select);
        selecting.awaitBlockedIn("select");
        assertEquals(1, wake.sink().write(bytes("w")));
        assertEquals(1, selecting.result(ENDS_WITHIN));
        assertEquals(Set.of(wakeKey), sel.selectedKeys());
        assertEquals(OP_READ, wakeKey.readyOps());
        assertEquals("wake", wakeKey.attachment());
        assertEquals(1, wake.source().read(ByteBuffer.allocate(8)));
        sel.selectedKeys().clear();
        assertEquals(0, sel.selectNow(), "drained");
    }

    @Test
    void pipeAndSocketReadyInOneSelect() throws Exception {
        Selector sel = selector();
        SocketChannel[] p = pair();
        SelectionKey socketKey = p[0].register(sel, OP_READ);
        Pipe pipe = pipe();
        SelectionKey sourceKey = pipe.source().register(sel, OP_READ);
        SelectionKey sinkKey = pipe.sink().register(sel, OP_WRITE);
        p[1].write(bytes("s"));
        pipe.sink().write(bytes("p"));
        awaitSelected(sel, socketKey, OP_READ);
        awaitSelected(sel, sourceKey, OP_READ);
        assertEquals(Set.of(socketKey, sourceKey, sinkKey), sel.selectedKeys());
        assertEquals(OP_WRITE, sinkKey.readyOps(), "an empty pipe's sink is writable");
        List<SelectionKey> acted = new ArrayList<>();
        assertEquals(3, sel.selectNow(acted::add), "the action sees each ready key");
        assertEquals(Set.of(socketKey, sourceKey, sinkKey), Set.copyOf(acted));
    }

    @Test
    void pipeInterestSetChangesAndTheJdkChecks() throws Exception {
        Selector sel = selector();
        Pipe pipe = pipe();
        assertThrows(IllegalArgumentException.class, () -> pipe.source().register(sel, OP_WRITE),
                "a source is never writable");
        SelectionKey k = pipe.sink().register(sel, 0);
        assertEquals(0, sel.selectNow(), "no interest: not selected");
        assertThrows(IllegalArgumentException.class, () -> k.interestOps(OP_READ));
        assertEquals(0, k.interestOpsOr(OP_WRITE));
        assertEquals(1, sel.selectNow());
        assertTrue(k.isWritable());
        SelectionKey again = pipe.sink().register(sel, 0, "att");
        assertSame(k, again, "registering again updates the key");
        assertEquals(0, k.interestOps());
        assertEquals("att", k.attachment());
    }

    @Test
    void cancelledPipeKeyIsGoneAfterTheNextSelectAndCanRegisterAgain() throws Exception {
        Selector sel = selector();
        Pipe pipe = pipe();
        SelectionKey k = pipe.sink().register(sel, OP_WRITE);
        assertEquals(1, sel.selectNow());
        k.cancel();
        assertFalse(k.isValid());
        assertTrue(pipe.sink().isRegistered(), "deregistered at the next select");
        assertThrows(CancelledKeyException.class, () -> pipe.sink().register(sel, OP_WRITE));
        assertEquals(0, sel.selectNow());
        assertFalse(pipe.sink().isRegistered());
        assertNull(pipe.sink().keyFor(sel));
        assertFalse(sel.keys().contains(k));
        assertFalse(sel.selectedKeys().contains(k));
        pipe.sink().configureBlocking(true);
        pipe.sink().configureBlocking(false);
        SelectionKey k2 = pipe.sink().register(sel, OP_WRITE);
        assertNotSame(k, k2);
        assertEquals(1, sel.selectNow());
        assertEquals(Set.of(k2), sel.selectedKeys());
    }

    @Test
    void closingAPipeCancelsItsKeyAndClosingTheSelectorDeregisters() throws Exception {
        Selector sel = selector();
        Pipe pipe = pipe();
        SelectionKey source = pipe.source().register(sel, OP_READ);
        SelectionKey sink = pipe.sink().register(sel, OP_WRITE);
        pipe.source().close();
        assertFalse(source.isValid());
        assertEquals(1, sel.selectNow(), "only the sink");
        assertEquals(Set.of(sink), sel.keys());
        assertFalse(pipe.source().isRegistered());
        sel.close();
        assertFalse(sink.isValid());
        assertFalse(pipe.sink().isRegistered());
        assertTrue(pipe.sink().isOpen());
        pipe.sink().configureBlocking(true);
        pipe.sink().configureBlocking(false);
        assertThrows(ClosedSelectorException.class, () -> pipe.sink().register(sel, 0));
    }

    /**
     * A registered channel's close is finished by its selector: the descriptor is freed once no
     * selector holds the channel, even when it is closed while a select is blocked.
     */
    @Test
    void pipesClosedWhileRegisteredFreeTheirDescriptors() throws Exception {
        Selector sel = selector();
        SocketChannel[] p = pair();
        p[0].register(sel, OP_READ);
        sel.selectNow();
        int baseline = openDescriptors();
        for (int i = 0; i < 20; i++) {
            Pipe pipe = newPipe();
            pipe.source().configureBlocking(false);
            pipe.source().register(sel, OP_READ);
            if (i % 2 == 0) {
                BackgroundCall<Integer> selecting = BackgroundCall.start("select", sel::select);
                selecting.awaitBlockedIn("select");
                pipe.source().close(); // closed during a select
                pipe.sink().close();
                sel.wakeup();
                selecting.result(ENDS_WITHIN);
                // the close may itself have ended that select, leaving the wakeup pending: clear it,
                // or the next round's select returns at once instead of blocking
                sel.selectNow();
            } else {
                pipe.source().close();
                pipe.sink().close();
            }
        }
        sel.selectNow();
        assertEquals(Set.of(p[0].keyFor(sel)), sel.keys());
        int after = openDescriptors();
        assertTrue(after <= baseline + 2, "descriptors: " + baseline + " before, " + after + " after");
    }

    static int openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        }
    }

    @Test
    void unixDomainChannelsAreSelected() throws Exception {
        Selector sel = selector();
        Path dir = Files.createTempDirectory("dmm-selector");
        Path socket = dir.resolve("s");
        try {
            ServerSocketChannel server = track(newUnixServer());
            server.bind(UnixDomainSocketAddress.of(socket));
            server.configureBlocking(false);
            SelectionKey acceptKey = server.register(sel, OP_ACCEPT);
            SocketChannel client = track(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
            awaitSelected(sel, acceptKey, OP_ACCEPT);
            SocketChannel accepted = track(server.accept());
            accepted.configureBlocking(false);
            SelectionKey readKey = accepted.register(sel, OP_READ);
            client.write(bytes("u"));
            awaitSelected(sel, readKey, OP_READ);
            assertEquals(1, accepted.read(ByteBuffer.allocate(4)));
        } finally {
            Files.deleteIfExists(socket);
            Files.delete(dir);
        }
    }

    /** Neither selector can select a channel that is not the JDK's (nor DMM's). */
    @Test
    void aForeignChannelIsRefused() throws Exception {
        Selector sel = selector();
        try (ForeignChannel foreign = new ForeignChannel()) {
            foreign.configureBlocking(false);
            assertThrows(IllegalSelectorException.class, () -> foreign.register(sel, OP_READ));
            assertFalse(foreign.isRegistered());
            assertTrue(sel.keys().isEmpty());
            assertEquals(0, sel.selectNow());
        }
    }

    /** A selectable channel of no provider's making. */
    private static final class ForeignChannel extends AbstractSelectableChannel {
        ForeignChannel() {
            super(SelectorProvider.provider());
        }

        @Override
        public int validOps() {
            return OP_READ;
        }

        @Override
        protected void implCloseSelectableChannel() {
        }

        @Override
        protected void implConfigureBlocking(boolean block) {
        }
    }
}
