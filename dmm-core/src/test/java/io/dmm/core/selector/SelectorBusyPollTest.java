package io.dmm.core.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.RouteHints;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.core.testsupport.MemoryBusyPoller;
import io.dmm.core.testsupport.MemoryStackProvider;
import io.dmm.core.testsupport.TestPolicy;
import io.dmm.core.testsupport.TestStacks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A select about to sleep first polls the stacks of its fd-less channels that offer a
 * {@link io.dmm.api.spi.BusyPoller} (the userspace stack on a tap or a DPDK port), so what the poll
 * receives makes its channel ready on the selecting thread itself, with no wake-up. The memory
 * stack's poller stands for the device: a test action run at a poll is the packet that poll
 * receives. Nobody else writes, so a select that did not poll would sleep its whole timeout and
 * report nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SelectorBusyPollTest {
    DmmRuntime runtime;

    private MemoryBusyPoller start(long spinMicros) {
        runtime = new DmmRuntime(new TestPolicy().stack("mem", MemoryStackProvider.TYPE, Map.of("busyPoll", spinMicros))
                .defaults("mem"), TestStacks.providers());
        return MemoryStackProvider.busyPoller(runtime.registry().get("mem").instance());
    }

    @AfterEach
    void stop() {
        if (runtime != null) runtime.close();
    }

    @Test
    void whatAPollReceivesIsSelectedWithoutSleeping() throws Exception {
        MemoryBusyPoller poller = start(10_000_000);  // a spin longer than the select's timeout
        try (Connected c = connect(); Selector sel = runtime.provider().openSelector()) {
            SelectionKey key = watchForRead(c, sel);
            AtomicReference<Thread> writer = new AtomicReference<>();
            poller.atNextPoll(() -> {
                writer.set(Thread.currentThread());
                write(c.client, "ping");
            });
            assertEquals(1, sel.select(30_000));
            assertTrue(sel.selectedKeys().contains(key));
            assertSame(Thread.currentThread(), writer.get(), "the selecting thread polled and received");
            assertEquals(0, poller.endings(), "it found something before its spin ran out");
        }
    }

    @Test
    void aSpinThatFindsNothingEndsAndTheSelectSleepsItsTimeout() throws Exception {
        MemoryBusyPoller poller = start(1_000);
        try (Connected c = connect(); Selector sel = runtime.provider().openSelector()) {
            watchForRead(c, sel);
            assertEquals(0, sel.select(50));
            assertTrue(poller.polls() > 0, "it polled before it slept");
            assertTrue(poller.endings() > 0, "it told the stack it stopped polling");
            assertTrue(poller.pollingThreads().contains(Thread.currentThread()));
        }
    }

    @Test
    void aWakeupEndsTheSpin() throws Exception {
        start(60_000_000);  // a minute: only the wakeup can end it within the test's timeout
        try (Connected c = connect(); Selector sel = runtime.provider().openSelector()) {
            watchForRead(c, sel);
            Thread waker = Thread.ofVirtual().start(() -> {
                sleep(100);
                sel.wakeup();
            });
            assertEquals(0, sel.select());
            waker.join();
        }
    }

    @Test
    void selectNowAndSelectorsWithPlatformChannelsDoNotPoll() throws Exception {
        MemoryBusyPoller poller = start(1_000);
        try (Connected c = connect(); Selector sel = runtime.provider().openSelector()) {
            watchForRead(c, sel);
            assertEquals(0, sel.selectNow());
            assertEquals(0, poller.polls(), "selectNow does not wait, so it does not poll");
            Pipe pipe = Pipe.open();
            try {
                pipe.source().configureBlocking(false);
                pipe.source().register(sel, SelectionKey.OP_READ);
                assertEquals(0, sel.select(50));
                assertEquals(0, poller.polls(), "a platform channel's readiness shows only in the inner select");
            } finally {
                pipe.source().close();
                pipe.sink().close();
            }
        }
    }

    @Test
    void aStackThatIsGoneIsPolledNoMore() throws Exception {
        MemoryBusyPoller poller = start(1_000);
        try (Connected c = connect(); Selector sel = runtime.provider().openSelector()) {
            watchForRead(c, sel);
            poller.gone();
            assertEquals(0, sel.select(20));
            assertEquals(1, poller.polls(), "asked once, it answered that its stack is gone");
            assertEquals(0, sel.select(20));
            assertEquals(1, poller.polls(), "then it was dropped");
        }
    }

    /** A connected pair on the memory stack: the client and the server's accepted end. */
    private record Connected(SocketChannel client, SocketChannel server) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            client.close();
            server.close();
        }
    }

    private Connected connect() throws IOException {
        try (ServerSocketChannel listener = runtime.openServerSocketChannel(null, RouteHints.none())) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel client = runtime.openSocketChannel(null, RouteHints.none());
            client.connect(listener.getLocalAddress());
            client.finishConnect();
            return new Connected(client, listener.accept());
        }
    }

    /** Registers the server end, non-blocking, for OP_READ. */
    private static SelectionKey watchForRead(Connected c, Selector sel) throws IOException {
        c.server.configureBlocking(false);
        return c.server.register(sel, SelectionKey.OP_READ);
    }

    private static void write(SocketChannel ch, String s) {
        try {
            ch.write(ByteBuffer.wrap(s.getBytes()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
