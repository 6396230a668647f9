package io.dmm.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What BlockedThreads takes for blocked, and what it does not. */
class BlockedThreadsTest {
    private static final Duration SHORT = Duration.ofMillis(300);

    /** A JDK channel read: RUNNABLE in a system call on a platform thread, parked on a virtual one. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aJdkReadIsBlockedOnPlatformAndVirtualThreads(boolean virtual) throws Exception {
        try (ServerSocketChannel s = ServerSocketChannel.open()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel c = SocketChannel.open(s.getLocalAddress()); SocketChannel a = s.accept()) {
                Thread.Builder b = virtual ? Thread.ofVirtual() : Thread.ofPlatform().daemon(true);
                BackgroundCall<Integer> read = BackgroundCall.start("read", b, () -> c.read(ByteBuffer.allocate(1)));
                read.awaitBlockedIn("read");
                assertFalse(read.isDone());
                AssertionError elsewhere = assertThrows(AssertionError.class,
                        () -> BlockedThreads.awaitBlockedIn(read.thread(), "accept", SHORT));
                assertTrue(elsewhere.getMessage().contains("did not block in accept()"), elsewhere.getMessage());
                c.close();
                assertInstanceOf(AsynchronousCloseException.class, read.thrown(Duration.ofSeconds(10)));
            }
        }
    }

    @Test
    void aParkedThreadIsBlockedInTheMethodsBelowThePark() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BackgroundCall<Void> call = BackgroundCall.run("holdStill", () -> holdStill(release));
        call.awaitBlockedIn("holdStill");
        release.countDown();
        call.result(Duration.ofSeconds(10));
    }

    @Test
    void aBusyThreadIsNotBlockedAndTheFailureShowsWhereItIs() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        BackgroundCall<Void> call = BackgroundCall.run("spinInRead", () -> spinInRead(stop));
        try {
            AssertionError e = assertThrows(AssertionError.class,
                    () -> BlockedThreads.awaitBlockedIn(call.thread(), "spinInRead", SHORT));
            assertTrue(e.getMessage().contains("did not block in spinInRead() within"), e.getMessage());
            assertTrue(e.getMessage().contains("BlockedThreadsTest.spinInRead"), "prints the stack: " + e.getMessage());
        } finally {
            stop.set(true);
        }
        call.result(Duration.ofSeconds(10));
    }

    @Test
    void aCallThatEndsWithoutBlockingFailsSayingHowItEnded() throws Exception {
        BackgroundCall<String> call = BackgroundCall.start("quick", () -> "done");
        AssertionError e = assertThrows(AssertionError.class, () -> call.awaitBlockedIn("quick"));
        assertEquals("quick did not block in quick(): it returned done", e.getMessage());
    }

    @Test
    void oneLookTellsWaitingAndSystemCallsFromRunning() {
        StackTraceElement poll = new StackTraceElement("sun.nio.ch.Net", "poll", null, -2);
        StackTraceElement otherNative = new StackTraceElement("jdk.internal.misc.Unsafe", "allocateMemory0", null, -2);
        StackTraceElement park = new StackTraceElement("jdk.internal.misc.Unsafe", "park", null, -2);
        StackTraceElement java = new StackTraceElement("x.Y", "loop", "Y.java", 3);
        StackTraceElement read = new StackTraceElement("x.Channel", "read", "Channel.java", 7);
        assertTrue(BlockedThreads.isBlockedIn(Thread.State.RUNNABLE, new StackTraceElement[] {poll, read}, "read"));
        assertFalse(BlockedThreads.isBlockedIn(Thread.State.RUNNABLE, new StackTraceElement[] {otherNative, read}, "read"));
        assertFalse(BlockedThreads.isBlockedIn(Thread.State.RUNNABLE, new StackTraceElement[] {java, read}, "read"));
        assertTrue(BlockedThreads.isBlockedIn(Thread.State.WAITING, new StackTraceElement[] {park, read}, "read"));
        assertTrue(BlockedThreads.isBlockedIn(Thread.State.TIMED_WAITING, new StackTraceElement[] {park, read}, "read"));
        assertTrue(BlockedThreads.isBlockedIn(Thread.State.BLOCKED, new StackTraceElement[] {java, read}, "read"));
        assertFalse(BlockedThreads.isBlockedIn(Thread.State.WAITING, new StackTraceElement[] {park, read}, "accept"));
        assertFalse(BlockedThreads.isBlockedIn(Thread.State.WAITING, new StackTraceElement[] {read}, "read"),
                "the named call must be below the frame that waits");
        assertFalse(BlockedThreads.isBlockedIn(Thread.State.NEW, new StackTraceElement[0], "read"));
    }

    private static void holdStill(CountDownLatch release) throws InterruptedException {
        release.await();
    }

    private static void spinInRead(AtomicBoolean stop) {
        while (!stop.get()) {
            Thread.onSpinWait();
        }
    }
}
