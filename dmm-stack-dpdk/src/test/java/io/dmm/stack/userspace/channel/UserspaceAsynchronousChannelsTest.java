package io.dmm.stack.userspace.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.spi.AsynchronousGroup;
import io.dmm.jdk.async.HandlerThreads;
import io.dmm.stack.userspace.wire.Ipv4Address;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AcceptPendingException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.ReadPendingException;
import java.nio.channels.WritePendingException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The userspace stack's asynchronous channels at the stack level: a real loopback stack, a group of
 * two handler threads. What the JDK's behaviour suite in dmm-core cannot see from outside: which
 * thread runs a handler (the group's, never the initiator's unless it is a group thread, never the
 * stack's), the JDK's bound on handlers run directly, and readiness from the stack's notifications.
 */
class UserspaceAsynchronousChannelsTest {
    private static final String THREAD_PREFIX = "async-test-group-";

    private TestStacks.TestStack stack;
    private HandlerThreads threads;
    private AsynchronousGroup group;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() {
        stack = TestStacks.loopback();
        threads = HandlerThreads.fixed(2, Thread.ofPlatform().daemon().name(THREAD_PREFIX, 0).factory());
        group = new AsynchronousGroup() {
            @Override
            public AsynchronousChannelGroup platform() {
                return null;
            }

            @Override
            public boolean mayInvokeDirectly() {
                return threads.mayInvokeDirectly();
            }

            @Override
            public void execute(Runnable task) {
                threads.execute(task);
            }
        };
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) c.close();
        threads.shutdown();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
        stack.close();
    }

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    private UserspaceAsynchronousServerSocketChannel server() throws IOException {
        UserspaceAsynchronousServerSocketChannel s = track(UserspaceAsynchronousServerSocketChannel.open(null, stack, group));
        s.bind(new InetSocketAddress(Ipv4Address.toInet(TestStacks.LOCAL), 0));
        return s;
    }

    /** A connected pair: [client, accepted]. */
    private AsynchronousSocketChannel[] pair() throws Exception {
        UserspaceAsynchronousServerSocketChannel s = server();
        Future<AsynchronousSocketChannel> accepted = s.accept();
        UserspaceAsynchronousSocketChannel c = track(UserspaceAsynchronousSocketChannel.open(null, stack, group));
        c.connect(s.getLocalAddress()).get(10, TimeUnit.SECONDS);
        AsynchronousSocketChannel a = track(accepted.get(10, TimeUnit.SECONDS));
        return new AsynchronousSocketChannel[] {c, a};
    }

    /** Completes with the handler's outcome and the thread that ran it. */
    private static final class Outcome<V> extends CompletableFuture<V> implements CompletionHandler<V, Void> {
        volatile Thread thread;

        @Override
        public void completed(V result, Void a) {
            thread = Thread.currentThread();
            complete(result);
        }

        @Override
        public void failed(Throwable exc, Void a) {
            thread = Thread.currentThread();
            completeExceptionally(exc);
        }

        Throwable failure() throws Exception {
            ExecutionException e = assertThrows(ExecutionException.class, () -> get(10, TimeUnit.SECONDS));
            return e.getCause();
        }
    }

    private static void assertGroupThread(Thread t) {
        assertTrue(t.getName().startsWith(THREAD_PREFIX), "ran on " + t.getName() + ", not a group thread");
    }

    @Test
    void aReadPendingUntilTheStackDeliversCompletesOnAGroupThread() throws Exception {
        AsynchronousSocketChannel[] p = pair();
        ByteBuffer dst = ByteBuffer.allocate(16);
        Outcome<Integer> read = new Outcome<>();
        p[1].read(dst, null, read);
        assertFalse(read.isDone(), "nothing sent yet");
        assertEquals(5, p[0].write(ByteBuffer.wrap("hello".getBytes())).get(10, TimeUnit.SECONDS));
        assertEquals(5, read.get(10, TimeUnit.SECONDS));
        assertEquals("hello", new String(dst.array(), 0, 5));
        // the data arrived in the writer's (this test thread's) call: the handler still runs on the group
        assertGroupThread(read.thread);
    }

    @Test
    void anOutcomeKnownAtOnceOnAnotherThreadGoesToTheGroup() throws Exception {
        AsynchronousSocketChannel[] p = pair();
        p[0].write(ByteBuffer.wrap(new byte[3])).get(10, TimeUnit.SECONDS);
        Outcome<Integer> read = new Outcome<>();
        p[1].read(ByteBuffer.allocate(8), null, read); // data there: completes in this call's attempt
        assertEquals(3, read.get(10, TimeUnit.SECONDS));
        assertGroupThread(read.thread);
    }

    @Test
    void aFutureWhoseOutcomeIsKnownAtOnceIsDoneWhenTheCallReturns() throws Exception {
        AsynchronousSocketChannel[] p = pair();
        p[0].setOption(StandardSocketOptions.TCP_NODELAY, true); // each write sent at once, Nagle or not
        // as the JDK's: no handler runs for a Future, so no hand-off to the group either
        for (int i = 0; i < 200; i++) {
            Future<Integer> wrote = p[0].write(ByteBuffer.wrap(new byte[3]));
            assertTrue(wrote.isDone(), "the send buffer took it at once");
            Future<Integer> read = p[1].read(ByteBuffer.allocate(8)); // the loopback delivered in the write
            assertTrue(read.isDone(), "round " + i);
            assertEquals(3, read.get());
        }
    }

    @Test
    void aGroupThreadRunsAtMostSixteenHandlersDirectlyThenHandsTheNextToThePool() throws Exception {
        AsynchronousSocketChannel[] p = pair();
        p[0].write(ByteBuffer.wrap(new byte[64])).get(10, TimeUnit.SECONDS);
        // each handler reads one more byte from inside its read: available at once, so run directly
        List<Boolean> insideRead = new ArrayList<>();
        ThreadLocal<Boolean> reading = ThreadLocal.withInitial(() -> false);
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletionHandler<Integer, Void> h = new CompletionHandler<>() {
            @Override
            public void completed(Integer n, Void a) {
                synchronized (insideRead) {
                    insideRead.add(reading.get());
                    if (insideRead.size() == 20) {
                        done.complete(null);
                        return;
                    }
                }
                reading.set(true);
                try {
                    p[1].read(ByteBuffer.allocate(1), null, this);
                } finally {
                    reading.set(false);
                }
            }

            @Override
            public void failed(Throwable exc, Void a) {
                done.completeExceptionally(exc);
            }
        };
        group.execute(() -> p[1].read(ByteBuffer.allocate(1), null, h));
        done.get(10, TimeUnit.SECONDS);
        synchronized (insideRead) {
            // the first is run directly by the task that started it (not inside a handler's read)
            assertFalse(insideRead.get(0));
            for (int i = 1; i < 16; i++) assertTrue(insideRead.get(i), "handler " + i + " ran inside its read");
            assertFalse(insideRead.get(16), "the seventeenth went to the pool: sixteen direct ones are the bound");
            assertTrue(insideRead.get(17), "a task of the pool starts counting again");
        }
    }

    @Test
    void scatteringReadAndGatheringWrite() throws Exception {
        AsynchronousSocketChannel[] p = pair();
        Outcome<Long> wrote = new Outcome<>();
        ByteBuffer[] srcs = {ByteBuffer.wrap("ab".getBytes()), ByteBuffer.wrap("cdef".getBytes())};
        p[0].write(srcs, 0, 2, 0, TimeUnit.SECONDS, null, wrote);
        assertEquals(6L, wrote.get(10, TimeUnit.SECONDS));
        ByteBuffer[] dsts = {ByteBuffer.allocate(3), ByteBuffer.allocate(3)};
        long total = 0;
        while (total < 6) {
            Outcome<Long> read = new Outcome<>();
            p[1].read(dsts, 0, 2, 0, TimeUnit.SECONDS, null, read);
            total += read.get(10, TimeUnit.SECONDS);
        }
        assertEquals("abc", new String(dsts[0].array()));
        assertEquals("def", new String(dsts[1].array()));
        Outcome<Long> full = new Outcome<>(); // no room: 0 at once, as the JDK's readv of nothing
        p[1].read(dsts, 0, 2, 0, TimeUnit.SECONDS, null, full);
        assertEquals(0L, full.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aTimedOutReadFailsWithInterruptedByTimeoutAndForbidsFurtherReads() throws Exception {
        AsynchronousSocketChannel[] p = pair();
        Outcome<Integer> read = new Outcome<>();
        p[1].read(ByteBuffer.allocate(8), 100, TimeUnit.MILLISECONDS, null, read);
        assertInstanceOf(InterruptedByTimeoutException.class, read.failure());
        assertGroupThread(read.thread);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> p[1].read(ByteBuffer.allocate(8), null, new Outcome<>()));
        assertEquals("Reading not allowed due to timeout or cancellation", e.getMessage());
        // writing is still allowed, and data sent later is not taken by the dead read
        assertEquals(2, p[1].write(ByteBuffer.wrap(new byte[2])).get(10, TimeUnit.SECONDS));
    }

    @Test
    void aReadThatCompletesBeforeItsTimeoutIsNotFailedByTheTimerLater() throws Exception {
        AsynchronousSocketChannel[] p = pair();
        Outcome<Integer> first = new Outcome<>();
        p[1].read(ByteBuffer.allocate(8), 200, TimeUnit.MILLISECONDS, null, first);
        p[0].write(ByteBuffer.wrap(new byte[1])).get(10, TimeUnit.SECONDS);
        assertEquals(1, first.get(10, TimeUnit.SECONDS));
        Outcome<Integer> second = new Outcome<>(); // untimed, pending past the first one's deadline
        p[1].read(ByteBuffer.allocate(8), null, second);
        Thread.sleep(400);
        assertFalse(second.isDone(), "the first read's timer must not fail the next read");
        p[0].write(ByteBuffer.wrap(new byte[2])).get(10, TimeUnit.SECONDS);
        assertEquals(2, second.get(10, TimeUnit.SECONDS));
    }

    @Test
    void closeFailsPendingReadAndAcceptWithAsynchronousCloseOnTheGroup() throws Exception {
        AsynchronousSocketChannel[] p = pair();
        Outcome<Integer> read = new Outcome<>();
        p[1].read(ByteBuffer.allocate(8), null, read);
        p[1].close();
        assertInstanceOf(AsynchronousCloseException.class, read.failure());
        assertGroupThread(read.thread);

        UserspaceAsynchronousServerSocketChannel s = server();
        Outcome<AsynchronousSocketChannel> accept = new Outcome<>();
        s.accept(null, accept);
        assertThrows(AcceptPendingException.class, () -> s.accept(null, new Outcome<>()));
        s.close();
        assertInstanceOf(AsynchronousCloseException.class, accept.failure());
        assertGroupThread(accept.thread);

        Outcome<Integer> closed = new Outcome<>();
        p[1].read(ByteBuffer.allocate(8), null, closed);
        assertInstanceOf(ClosedChannelException.class, closed.failure());
    }

    @Test
    void aSecondReadOrWriteWhileOneIsPendingIsRefused() throws Exception {
        AsynchronousSocketChannel[] p = pair();
        p[1].read(ByteBuffer.allocate(8), null, new Outcome<>());
        assertThrows(ReadPendingException.class, () -> p[1].read(ByteBuffer.allocate(8), null, new Outcome<>()));
        // fill the peer's window and the send buffer until a write stays pending
        ByteBuffer big = ByteBuffer.allocate(1 << 20);
        Outcome<Integer> w;
        do {
            w = new Outcome<>();
            big.clear();
            p[0].write(big, null, w);
            try {
                w.get(500, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException pending) {
                break;
            }
        } while (true);
        assertThrows(WritePendingException.class, () -> p[0].write(ByteBuffer.allocate(1), null, new Outcome<>()));
        p[0].shutdownOutput();
        assertInstanceOf(IOException.class, w.failure(), "the pending write cannot complete any more");
        assertGroupThread(w.thread);
    }

    @Test
    void shutdownInputCompletesAPendingReadWithEndOfStream() throws Exception {
        AsynchronousSocketChannel[] p = pair();
        Outcome<Integer> read = new Outcome<>();
        p[1].read(ByteBuffer.allocate(8), null, read);
        p[1].shutdownInput();
        assertEquals(-1, read.get(10, TimeUnit.SECONDS));
        assertEquals(-1, p[1].read(ByteBuffer.allocate(8)).get(10, TimeUnit.SECONDS), "and every read after it");
    }

    @Test
    void optionsAreTheJdksAsynchronousOnesAndReachTheSocket() throws Exception {
        AsynchronousSocketChannel[] p = pair();
        try (AsynchronousSocketChannel jdk = AsynchronousSocketChannel.open()) { // the platform's
            java.util.Set<java.net.SocketOption<?>> expected = new java.util.HashSet<>(jdk.supportedOptions());
            expected.retainAll(UserspaceSocketChannel.OPTIONS);
            assertEquals(expected, p[0].supportedOptions(), "the JDK's asynchronous options the socket core has");
        }
        assertFalse(p[0].supportedOptions().contains(StandardSocketOptions.SO_LINGER), "not an asynchronous option");
        assertTrue(p[0].supportedOptions().contains(StandardSocketOptions.TCP_NODELAY));
        p[0].setOption(StandardSocketOptions.TCP_NODELAY, true);
        assertTrue(p[0].getOption(StandardSocketOptions.TCP_NODELAY));
        assertThrows(UnsupportedOperationException.class, () -> p[0].setOption(StandardSocketOptions.SO_LINGER, 1));
        assertNull(track(UserspaceAsynchronousSocketChannel.open(null, stack, group)).getRemoteAddress(),
                "unconnected");
    }
}
