package io.dmm.core.selector;

import static java.nio.channels.SelectionKey.OP_ACCEPT;
import static java.nio.channels.SelectionKey.OP_CONNECT;
import static java.nio.channels.SelectionKey.OP_READ;
import static org.junit.jupiter.api.Assertions.*;

import io.dmm.api.Role;
import io.dmm.api.RouteHints;
import io.dmm.api.testing.BackgroundCall;
import io.dmm.core.channel.RoutedSocketChannel;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.core.testsupport.MemoryStackProvider;
import io.dmm.core.testsupport.TestPolicy;
import io.dmm.core.testsupport.TestStacks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What only DMM's selector has: lazy routing under a key, fallback, fd-less readiness, mixing, no fd leak. */
@Timeout(30)
class DmmSelectorTest {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private DmmRuntime runtime;
    private final List<AutoCloseable> open = new ArrayList<>();

    /** Kernel k1 and k2, memory "mem"; tag "fallback" routes clients to mem then k1; servers by hint. */
    private DmmRuntime start() {
        runtime = new DmmRuntime(new TestPolicy().kernel("k1").kernel("k2")
                .stack("mem", MemoryStackProvider.TYPE, Map.of())
                .rule(k -> "fallback".equals(k.tag()), "mem", "k1")
                .rule(k -> "both".equals(k.tag()) && k.role() == Role.SERVER, "k1", "k2")
                .defaults("k1"), TestStacks.providers());
        return runtime;
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : open.reversed()) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    private Selector selector() throws IOException {
        return track(start().provider().openSelector());
    }

    private SocketChannel client(RouteHints hints) throws IOException {
        return track(runtime.openSocketChannel(null, hints));
    }

    private ServerSocketChannel server(RouteHints hints, InetSocketAddress bind) throws IOException {
        ServerSocketChannel s = track(runtime.openServerSocketChannel(null, hints));
        s.bind(bind);
        return s;
    }

    private static InetSocketAddress target(ServerSocketChannel s) throws IOException {
        return new InetSocketAddress(LOOPBACK, ((InetSocketAddress) s.getLocalAddress()).getPort());
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Selects until {@code key} is selected with {@code ops}; removes it from the selected set. */
    private static void awaitSelected(Selector sel, SelectionKey key, int ops) throws IOException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
            sel.select(100);
            if (sel.selectedKeys().remove(key) && (key.readyOps() & ops) == ops) {
                return;
            }
        }
        fail("not selected for " + ops + ": " + key);
    }

    /** Registers an unrouted client, then connects: the same key fires OP_CONNECT on the routed stack. */
    private void registerBeforeRoutingThenConnect(RouteHints hints, String expectedStack) throws Exception {
        Selector sel = selector();
        ServerSocketChannel s = server(hints, new InetSocketAddress(LOOPBACK, 0));
        SocketChannel c = client(hints);
        c.configureBlocking(false);
        SelectionKey k = c.register(sel, OP_CONNECT, "my attachment");
        // unrouted, it is ready at once as the JDK's unconnected socket is (it polls as hung up)
        assertEquals(1, sel.select(50));
        assertEquals(OP_CONNECT, k.readyOps());
        sel.selectedKeys().clear();
        c.connect(target(s));
        awaitSelected(sel, k, OP_CONNECT);
        assertTrue(c.finishConnect());
        assertSame(k, c.keyFor(sel));
        assertEquals("my attachment", k.attachment());
        assertEquals(OP_CONNECT, k.interestOps());
        assertEquals(expectedStack, ((RoutedSocketChannel) c).stackName());
        k.interestOps(OP_READ);
        SocketChannel a = track(s.accept());
        a.write(bytes("hi"));
        awaitSelected(sel, k, OP_READ);
        ByteBuffer in = ByteBuffer.allocate(2);
        assertEquals(2, c.read(in));
        assertEquals(1, sel.keys().size());
    }

    @Test
    void registerBeforeRoutingKernel() throws Exception {
        registerBeforeRoutingThenConnect(RouteHints.none(), "k1");
    }

    @Test
    void registerBeforeRoutingFdLess() throws Exception {
        registerBeforeRoutingThenConnect(RouteHints.stack("mem"), "mem");
    }

    /**
     * The memory stack refuses asynchronously (finishConnect fails), DMM falls back to the kernel
     * under the same key: the fd-less delegate is dropped, an inner JDK key takes its place.
     */
    @Test
    void finishConnectFallbackFromFdLessToKernelKeepsTheKey() throws Exception {
        Selector sel = selector();
        ServerSocketChannel s = server(RouteHints.none(), new InetSocketAddress(LOOPBACK, 0));
        SocketChannel c = client(RouteHints.tag("fallback"));
        c.configureBlocking(false);
        SelectionKey k = c.register(sel, OP_CONNECT, "att");
        assertFalse(c.connect(target(s)), "memory stack: pending");
        assertEquals("mem", ((RoutedSocketChannel) c).stackName());
        boolean connected = false;
        for (int i = 0; i < 10 && !connected; i++) {
            awaitSelected(sel, k, OP_CONNECT);
            connected = c.finishConnect();
        }
        assertTrue(connected);
        assertEquals("k1", ((RoutedSocketChannel) c).stackName(), "fell back to the kernel");
        assertSame(k, c.keyFor(sel));
        assertEquals("att", k.attachment());
        k.interestOps(OP_READ);
        SocketChannel a = track(s.accept());
        a.write(bytes("k"));
        awaitSelected(sel, k, OP_READ);
        assertEquals(1, c.read(ByteBuffer.allocate(1)));
    }

    /** A stack whose channels cannot be selected is skipped like a failing one while registered. */
    @Test
    void unselectableStackIsSkippedWhileRegistered() throws Exception {
        runtime = new DmmRuntime(new TestPolicy().stack("r", "refusing", Map.of()).kernel("k1")
                .rule(k -> k.role() == Role.CLIENT, "r", "k1").defaults("k1"), TestStacks.providers());
        Selector sel = track(runtime.provider().openSelector());
        ServerSocketChannel s = server(RouteHints.none(), new InetSocketAddress(LOOPBACK, 0));
        SocketChannel c = client(RouteHints.none());
        c.configureBlocking(false);
        SelectionKey k = c.register(sel, OP_CONNECT);
        if (!c.connect(target(s))) {
            awaitSelected(sel, k, OP_CONNECT);
            assertTrue(c.finishConnect());
        }
        assertEquals("k1", ((RoutedSocketChannel) c).stackName());
    }

    @Test
    void multiListenServerAcceptsFromBothMembers() throws Exception {
        Selector sel = selector();
        ServerSocketChannel s = server(RouteHints.tag("both"), new InetSocketAddress(0));
        s.configureBlocking(false);
        SelectionKey k = s.register(sel, OP_ACCEPT);
        Set<String> stacks = new HashSet<>();
        for (int i = 0; i < 200 && stacks.size() < 2; i++) {
            track(client(RouteHints.none())).connect(target(s));
            awaitSelected(sel, k, OP_ACCEPT);
            SocketChannel a;
            while ((a = s.accept()) != null) {
                stacks.add(((RoutedSocketChannel) track(a)).stackName());
            }
        }
        assertEquals(Set.of("k1", "k2"), stacks);
    }

    /** Kernel and fd-less channels in one selector; an fd-less event wakes a blocked select. */
    @Test
    void mixedSelectorAndFdLessReadinessWakesSelect() throws Exception {
        Selector sel = selector();
        SocketChannel[] kernel = pair(RouteHints.none());
        SocketChannel[] mem = pair(RouteHints.stack("mem"));
        SelectionKey kk = kernel[0].register(sel, OP_READ, "kernel");
        SelectionKey mk = mem[0].register(sel, OP_READ, "mem");
        // untimed: only the fd-less event can end it
        BackgroundCall<Integer> selecting = BackgroundCall.start("select", sel::select);
        selecting.awaitBlockedIn("select");
        mem[1].write(bytes("m"));
        assertEquals(1, selecting.result(SelectorBehaviourSuite.ENDS_WITHIN));
        assertEquals(Set.of(mk), sel.selectedKeys());
        kernel[1].write(bytes("k"));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!sel.selectedKeys().contains(kk) && System.nanoTime() < end) {
            sel.select(100);
        }
        assertEquals(Set.of(mk, kk), sel.selectedKeys());
        assertEquals(OP_READ, kk.readyOps());
        assertEquals(OP_READ, mk.readyOps());
    }

    /**
     * A readiness signal for a key that turns out not ready wakes the inner select, but
     * select(timeout) must go back to sleep for the time left: Netty rebuilds a selector that
     * returns 0 early 512 times in a row.
     */
    @Test
    void signalsForKeysThatAreNotReadyDoNotEndATimedSelectEarly() throws Exception {
        Selector sel = selector();
        SocketChannel[] mem = pair(RouteHints.stack("mem"));
        mem[0].register(sel, OP_READ);
        long timeout = 1000; // room for the select to block before its timeout, even on a loaded machine
        long t0 = System.nanoTime();
        BackgroundCall<Integer> selecting = BackgroundCall.start("select", () -> sel.select(timeout));
        selecting.awaitBlockedIn("select");
        mem[0].shutdownOutput(); // fires mem[0]'s listener: readiness changed, but not readable
        assertEquals(0, selecting.result(SelectorBehaviourSuite.ENDS_WITHIN));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(waited >= timeout - SelectorBehaviourSuite.EARLY_TOLERANCE_MS, "returned early after " + waited + " ms");
    }

    /** One routed channel (kernel and fd-less) in two DMM selectors: both see it, each with its own key. */
    @Test
    void oneChannelInTwoSelectors() throws Exception {
        Selector first = selector();
        Selector second = track(runtime.provider().openSelector());
        for (RouteHints hints : List.of(RouteHints.none(), RouteHints.stack("mem"))) {
            SocketChannel[] p = pair(hints);
            SelectionKey k1 = p[0].register(first, OP_READ, "first");
            SelectionKey k2 = p[0].register(second, OP_READ, "second");
            assertNotSame(k1, k2);
            p[1].write(bytes("x"));
            awaitSelected(first, k1, OP_READ);
            awaitSelected(second, k2, OP_READ);
            k1.cancel();
            first.selectNow();
            assertTrue(p[0].isRegistered(), "still in the second selector");
            awaitSelected(second, k2, OP_READ);
            k2.cancel();
            second.selectNow();
            assertFalse(p[0].isRegistered());
        }
    }

    /**
     * A wildcard server over a kernel and an fd-less stack: a blocking accept waits on both (the
     * fd-less member wakes the server's private selector), and under one DmmSelector key OP_ACCEPT
     * fires for a connection on either member.
     */
    @Test
    void wildcardServerMixingKernelAndFdLessStacks() throws Exception {
        runtime = new DmmRuntime(new TestPolicy().kernel("k1").stack("mem", MemoryStackProvider.TYPE, Map.of())
                .rule(k -> k.role() == Role.SERVER, "k1", "mem").defaults("k1"), TestStacks.providers());
        ServerSocketChannel s = track(runtime.openServerSocketChannel(java.net.StandardProtocolFamily.INET,
                RouteHints.none()));
        s.bind(new InetSocketAddress(0));
        assertEquals(List.of("k1", "mem"), ((io.dmm.core.routing.RoutedChannel) s).stacksInUse());
        // blocking accept: woken by a connection on the fd-less member
        BackgroundCall<SocketChannel> accepting = BackgroundCall.start("accept", s::accept);
        accepting.awaitBlockedIn("accept");
        client(RouteHints.stack("mem")).connect(target(s));
        SocketChannel accepted = track(accepting.result(SelectorBehaviourSuite.ENDS_WITHIN));
        assertEquals("mem", ((RoutedSocketChannel) accepted).stackName());
        // non-blocking, in a DmmSelector: one key for both members
        Selector sel = track(runtime.provider().openSelector());
        s.configureBlocking(false);
        SelectionKey k = s.register(sel, OP_ACCEPT);
        client(RouteHints.none()).connect(target(s));
        client(RouteHints.stack("mem")).connect(target(s));
        Set<String> stacks = new HashSet<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (stacks.size() < 2 && System.nanoTime() < end) {
            if (sel.select(100) > 0) {
                assertTrue(sel.selectedKeys().remove(k));
                SocketChannel a;
                while ((a = s.accept()) != null) {
                    stacks.add(((RoutedSocketChannel) track(a)).stackName());
                }
            }
        }
        assertEquals(Set.of("k1", "mem"), stacks);
    }

    /** A storm of readiness signals from another thread (extra calls are allowed by the SPI) ends no select early. */
    @Test
    void signalStormDoesNotEndATimedSelectEarly() throws Exception {
        Selector sel = selector();
        SocketChannel[] mem = pair(RouteHints.stack("mem"));
        mem[0].register(sel, OP_READ);
        ChannelKeys hook = ((DelegatingChannel) mem[0]).channelKeys();
        java.util.concurrent.atomic.AtomicBoolean storming = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread storm = Thread.ofPlatform().start(() -> {
            while (storming.get()) {
                hook.readinessChanged(null);
            }
        });
        try {
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                assertEquals(0, sel.select(60));
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertTrue(waited >= 60 - SelectorBehaviourSuite.EARLY_TOLERANCE_MS, "returned early after " + waited);
            }
        } finally {
            storming.set(false);
            storm.join();
        }
        mem[1].write(bytes("x"));
        SelectionKey k = mem[0].keyFor(sel);
        awaitSelected(sel, k, OP_READ);
    }

    private SocketChannel[] pair(RouteHints hints) throws IOException {
        ServerSocketChannel s = server(hints, new InetSocketAddress(LOOPBACK, 0));
        SocketChannel c = client(hints);
        c.connect(target(s));
        SocketChannel a = track(s.accept());
        c.configureBlocking(false);
        a.configureBlocking(false);
        return new SocketChannel[] {c, a};
    }

    @Test
    void datagramRegisteredBeforeRouting() throws Exception {
        Selector sel = selector();
        DatagramChannel d = track(runtime.openDatagramChannel(null, RouteHints.none()));
        d.configureBlocking(false);
        SelectionKey k = d.register(sel, OP_READ, "udp");
        d.bind(new InetSocketAddress(LOOPBACK, 0));
        try (DatagramChannel sender = DatagramChannel.open()) {
            sender.send(bytes("dgram"), d.getLocalAddress());
        }
        awaitSelected(sel, k, OP_READ);
        assertNotNull(d.receive(ByteBuffer.allocate(16)));
        assertEquals("udp", k.attachment());
    }

    /** A JDK channel the program made itself (not through DMM's provider) is selected as by the JDK's selector. */
    @Test
    void jdkChannelsAreSelectedWithRoutedOnes() throws Exception {
        Selector sel = selector();
        ServerSocketChannel s = server(RouteHints.none(), new InetSocketAddress(LOOPBACK, 0));
        s.configureBlocking(false);
        SelectionKey acceptKey = s.register(sel, OP_ACCEPT);
        try (SocketChannel raw = SocketChannel.open()) {
            raw.configureBlocking(false);
            SelectionKey connectKey = raw.register(sel, OP_CONNECT);
            raw.connect(target(s));
            awaitSelected(sel, connectKey, OP_CONNECT);
            assertTrue(raw.finishConnect());
            awaitSelected(sel, acceptKey, OP_ACCEPT);
            assertNotNull(s.accept());
        }
    }

    /**
     * The JDK frees a closed, registered channel's descriptor only from its own selector: DMM's
     * inner-selector nesting must free every one (a raw JDK channel in a foreign selector leaks each).
     */
    @Test
    void noDescriptorLeakWhenRegisteredChannelsAreClosed() throws Exception {
        Selector sel = selector();
        ServerSocketChannel s = server(RouteHints.none(), new InetSocketAddress(LOOPBACK, 0));
        sel.selectNow();
        int baseline = openDescriptors();
        for (int i = 0; i < 200; i++) {
            SocketChannel c = runtime.openSocketChannel(null, RouteHints.none());
            c.connect(target(s));
            c.configureBlocking(false);
            c.register(sel, OP_READ);
            SocketChannel a = s.accept();
            a.configureBlocking(false);
            a.register(sel, OP_READ);
            if (i % 2 == 0) {
                sel.selectNow(); // half of them registered with the inner selector for a while
            }
            c.close();
            a.close();
        }
        sel.selectNow();
        assertTrue(sel.keys().isEmpty());
        int after = openDescriptors();
        assertTrue(after <= baseline + 2, "descriptors: " + baseline + " before, " + after + " after");
    }

    private static int openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        }
    }
}
