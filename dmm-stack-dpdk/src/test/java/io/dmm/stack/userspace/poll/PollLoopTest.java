package io.dmm.stack.userspace.poll;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.api.testing.BlockedThreads;
import io.dmm.stack.userspace.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PollLoopTest {
    /**
     * Parks for up to 10 s when idle: a cycle within the tests' 5 s waits is a wakeup or a deadline,
     * not the cap (so no test needs a stopwatch to tell them apart).
     */
    private static IdleStrategy longPark() {
        return new ParkIdle(10_000_000_000L);
    }

    /** Counts cycles; releases a latch per call; deadline settable. */
    private static final class CountingCycle implements DutyCycle {
        final AtomicInteger calls = new AtomicInteger();
        volatile long deadline = Long.MAX_VALUE;
        volatile boolean standingBy;
        volatile CountDownLatch next = new CountDownLatch(1);

        @Override
        public int doWork(long nowNanos) {
            calls.incrementAndGet();
            next.countDown();
            return 0;
        }

        @Override
        public long nextDeadline() {
            return deadline;
        }

        @Override
        public boolean standingBy() {
            return standingBy;
        }
    }

    @Test
    void runsOnANamedDaemonThreadAndParksUntilWokenUp() throws Exception {
        CountingCycle cycle = new CountingCycle();
        try (PollLoop loop = new PollLoop("test7", cycle, longPark(), Clock.SYSTEM)) {
            loop.start();
            assertTrue(cycle.next.await(5, TimeUnit.SECONDS), "first duty cycle runs");
            assertEquals("dmm-userspace-test7", loop.thread().getName());
            assertTrue(loop.thread().isDaemon());
            // parked in its idle strategy, and not cycling while parked (a window, not a deadline:
            // however long it lasts, a parked loop runs no cycles; a spurious unpark or two is allowed)
            BlockedThreads.awaitBlockedIn(loop.thread(), "idle");
            int parked = cycle.calls.get();
            Thread.sleep(100);
            assertTrue(cycle.calls.get() - parked <= 2, "idle loop parks instead of spinning: " + (cycle.calls.get() - parked) + " cycles");
            for (int i = 0; i < 3; i++) {
                BlockedThreads.awaitBlockedIn(loop.thread(), "idle");
                cycle.next = new CountDownLatch(1);
                loop.wakeup();
                assertTrue(cycle.next.await(5, TimeUnit.SECONDS), "a wakeup ends the park (the cap is 10 s)");
            }
        }
    }

    /** Parks long like longPark(), and counts resets. */
    private static final class ResetCounting implements IdleStrategy {
        final IdleStrategy park = longPark();
        final AtomicInteger resets = new AtomicInteger();

        @Override
        public void idle(int workCount, long deadlineNanos, long nowNanos) {
            park.idle(workCount, deadlineNanos, nowNanos);
        }

        @Override
        public void reset() {
            resets.incrementAndGet();
        }
    }

    @Test
    void anEagerWakeupResetsTheIdleStrategyAPlainOneDoesNot() throws Exception {
        CountingCycle cycle = new CountingCycle();
        ResetCounting idle = new ResetCounting();
        try (PollLoop loop = new PollLoop("eager", cycle, idle, Clock.SYSTEM)) {
            loop.start();
            assertTrue(cycle.next.await(5, TimeUnit.SECONDS));
            BlockedThreads.awaitBlockedIn(loop.thread(), "idle");
            cycle.next = new CountDownLatch(1);
            loop.wakeup();
            assertTrue(cycle.next.await(5, TimeUnit.SECONDS));
            BlockedThreads.awaitBlockedIn(loop.thread(), "idle");
            assertEquals(0, idle.resets.get(), "a plain wakeup (a timer armed) keeps the strategy's state");
            cycle.next = new CountDownLatch(1);
            loop.wakeupEager();
            assertTrue(cycle.next.await(5, TimeUnit.SECONDS));
            BlockedThreads.awaitBlockedIn(loop.thread(), "idle");
            assertEquals(1, idle.resets.get(), "an eager wakeup (a busy-polling thread gave up) starts the strategy over");
        }
    }

    /**
     * While another thread polls the device (a spinning socket call or selector) the loop parks in
     * its own run() instead of idling by its strategy (here one that never sleeps: a loop idling by
     * it would spin), turns when woken, and idles by its strategy again once nobody polls.
     */
    @Test
    void standingByItParksInsteadOfIdlingByItsStrategy() throws Exception {
        CountingCycle cycle = new CountingCycle();
        cycle.standingBy = true;
        AtomicInteger idles = new AtomicInteger();
        IdleStrategy spinning = new IdleStrategy() {
            @Override public void idle(int workCount, long deadlineNanos, long nowNanos) { idles.incrementAndGet(); }
            @Override public void reset() { }
        };
        try (PollLoop loop = new PollLoop("standby", cycle, spinning, Clock.SYSTEM)) {
            loop.start();
            assertTrue(cycle.next.await(5, TimeUnit.SECONDS));
            BlockedThreads.awaitBlockedIn(loop.thread(), "run");
            assertEquals(0, idles.get(), "standing by, the loop does not idle by its strategy");
            assertTrue(cycle.calls.get() < 10_000, "it parks between turns (at most 200 µs each): " + cycle.calls.get());
            cycle.next = new CountDownLatch(1);
            loop.wakeupEager();  // the spinner gave up
            assertTrue(cycle.next.await(5, TimeUnit.SECONDS));
            cycle.standingBy = false;
            io.dmm.api.testing.Waits.until("the strategy idles again", java.time.Duration.ofSeconds(5), () -> idles.get() > 0);
        }
    }

    @Test
    void wakesForTheDeadlineWithoutAWakeup() throws Exception {
        CountingCycle cycle = new CountingCycle();
        try (PollLoop loop = new PollLoop("deadline", cycle, longPark(), Clock.SYSTEM)) {
            loop.start();
            assertTrue(cycle.next.await(5, TimeUnit.SECONDS));
            BlockedThreads.awaitBlockedIn(loop.thread(), "idle");
            cycle.next = new CountDownLatch(1);
            cycle.deadline = System.nanoTime() + 20_000_000;
            loop.wakeup();  // pick up the new deadline (an application thread armed a timer)
            assertTrue(cycle.next.await(5, TimeUnit.SECONDS));
            cycle.next = new CountDownLatch(1);
            assertTrue(cycle.next.await(5, TimeUnit.SECONDS), "the deadline ends the park (the cap is 10 s)");
            cycle.deadline = Long.MAX_VALUE;
        }
    }

    @Test
    void aThrowingDutyCycleIsCountedAndTheLoopGoesOn() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch tenCalls = new CountDownLatch(10);
        DutyCycle flaky = new DutyCycle() {
            @Override
            public int doWork(long nowNanos) {
                int n = calls.incrementAndGet();
                tenCalls.countDown();
                if (n <= 3) throw new IllegalStateException("boom " + n + " (expected by the test)");
                return 1;  // busy afterwards, so it keeps cycling
            }

            @Override
            public long nextDeadline() {
                return Long.MAX_VALUE;
            }
        };
        try (PollLoop loop = new PollLoop("flaky", flaky, new BusySpinIdle(), Clock.SYSTEM)) {
            loop.start();
            assertTrue(tenCalls.await(5, TimeUnit.SECONDS), "the loop survived the exceptions");
            assertEquals(3, loop.errors());
            assertTrue(loop.isRunning());
        }
    }

    @Test
    void closeStopsAndJoinsTheThreadAndIsIdempotent() throws Exception {
        CountingCycle cycle = new CountingCycle();
        PollLoop loop = new PollLoop("closing", cycle, IdleStrategy.parse("backoff"), Clock.SYSTEM);
        loop.start();
        assertTrue(cycle.next.await(5, TimeUnit.SECONDS));
        loop.close();
        assertFalse(loop.thread().isAlive(), "close joined the loop's thread: no cycle can follow");
        loop.close();
        assertThrows(IllegalStateException.class, loop::start);
    }

    @Test
    void aLoopClosedBeforeStartNeverRuns() {
        CountingCycle cycle = new CountingCycle();
        PollLoop loop = new PollLoop("never", cycle, longPark(), Clock.SYSTEM);
        loop.close();
        assertEquals(0, cycle.calls.get());
        assertFalse(loop.isRunning());
    }

    @Test
    void aDutyCycleMayCloseItsOwnLoop() throws Exception {
        AtomicLong calls = new AtomicLong();
        PollLoop[] self = new PollLoop[1];
        CountDownLatch closed = new CountDownLatch(1);
        self[0] = new PollLoop("self", new DutyCycle() {
            @Override
            public int doWork(long nowNanos) {
                calls.incrementAndGet();
                self[0].close();
                closed.countDown();
                return 0;
            }

            @Override
            public long nextDeadline() {
                return Long.MAX_VALUE;
            }
        }, longPark(), Clock.SYSTEM);
        self[0].start();
        assertTrue(closed.await(5, TimeUnit.SECONDS));
        self[0].thread().join(5_000);
        assertFalse(self[0].isRunning());
        assertEquals(1, calls.get());
    }
}
