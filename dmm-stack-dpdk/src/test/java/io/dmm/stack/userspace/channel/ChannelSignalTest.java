package io.dmm.stack.userspace.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.testing.BlockedThreads;
import io.dmm.stack.userspace.StackLock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ChannelSignalTest {
    /** A signal whose engine readiness is a plain field, checked to be read under the lock. */
    private static final class TestSignal extends ChannelSignal {
        private final StackLock lock;
        int engineOps;
        int computed;

        TestSignal(StackLock lock) {
            super(lock, null);
            this.lock = lock;
        }

        @Override
        int computeReadyOps() {
            assertTrue(lock.isHeldByCurrentThread(), "readiness is read under the stack lock");
            computed++;
            return engineOps;
        }
    }

    @Test
    void aSpinningWaiterPollsTheDeviceItselfAndWakesThePollLoopWhenItGivesUp() {
        StackLock lock = new StackLock();
        TestSignal s = new TestSignal(lock);
        AtomicInteger polls = new AtomicInteger();
        AtomicInteger gaveUp = new AtomicInteger();
        // the device poll "receives" the answer on its fifth call: the engine schedules the signal
        lock.setDevicePoll(() -> {
            if (polls.incrementAndGet() == 5) lock.schedule(s);
        }, gaveUp::incrementAndGet);
        long start = System.nanoTime();
        s.await(s.version(), Duration.ofSeconds(30).toNanos(), true, System.nanoTime() + Duration.ofSeconds(60).toNanos());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(20).toNanos(), "the waiter's own poll ended the 30 s spin");
        assertEquals(5, polls.get());
        assertEquals(0, gaveUp.get(), "it got its answer while spinning");

        lock.setDevicePoll(polls::incrementAndGet, gaveUp::incrementAndGet);  // nothing arrives
        s.await(s.version(), Duration.ofMillis(2).toNanos(), true, System.nanoTime() + Duration.ofMillis(5).toNanos());
        assertTrue(polls.get() > 5, "polled while spinning");
        assertEquals(1, gaveUp.get(), "the poll loop is told before the waiter parks");
    }

    @Test
    void deliveryRefreshesTheSnapshotThenTellsTheListenerOutsideTheLock() {
        StackLock lock = new StackLock();
        TestSignal s = new TestSignal(lock);
        AtomicInteger calls = new AtomicInteger();
        s.setListener(src -> {
            assertFalse(lock.isHeldByCurrentThread(), "listener runs without the stack lock");
            assertEquals(5, s.readyOps(), "snapshot refreshed before the listener runs");
            calls.incrementAndGet();
        });
        int before = s.version();
        lock.lock();
        try {
            s.engineOps = 5;
            lock.schedule(s);
            lock.schedule(s); // idempotent while queued
        } finally {
            lock.unlock();
        }
        assertEquals(1, calls.get());
        assertEquals(5, s.readyOps());
        assertTrue(s.version() != before, "a delivery moves the version waiters watch");
    }

    @Test
    void thousandsOfSignalsInOneBurstAreDeliveredWithoutNesting() {
        StackLock lock = new StackLock();
        int n = 20_000;
        TestSignal[] signals = new TestSignal[n];
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger maxDepth = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            signals[i] = new TestSignal(lock);
            signals[i].setListener(src -> {
                calls.incrementAndGet();
                maxDepth.accumulateAndGet(Thread.currentThread().getStackTrace().length, Math::max);
            });
        }
        AtomicInteger lockCycles = new AtomicInteger();
        lock.setUnlockHook(lockCycles::incrementAndGet);
        lock.lock();
        try {
            for (TestSignal s : signals) {
                s.engineOps = 1;
                lock.schedule(s);
            }
        } finally {
            lock.unlock();
        }
        assertEquals(n, calls.get());
        assertTrue(lockCycles.get() <= 4, "the burst is refreshed in a few lock holds, not one each: " + lockCycles.get());
        for (TestSignal s : signals) assertEquals(1, s.readyOps());
        int base = Thread.currentThread().getStackTrace().length;
        assertTrue(maxDepth.get() - base < 64, "delivery depth stays flat, was " + (maxDepth.get() - base));
    }

    @Test
    void signalsSharedByConcurrentlyDeliveringThreadsStayConsistent() throws Exception {
        StackLock lock = new StackLock();
        int n = 64;
        TestSignal[] signals = new TestSignal[n];
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            TestSignal s = signals[i] = new TestSignal(lock);
            // each delivery schedules a neighbour, so deliveries nest and overlap across threads
            TestSignal[] all = signals;
            int next = (i + 1) % n;
            s.setListener(src -> {
                if (calls.incrementAndGet() % 3 == 0) {
                    lock.lock();
                    lock.schedule(all[next]);
                    lock.unlock();
                }
            });
        }
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int seed = t;
            threads[t] = Thread.ofPlatform().start(() -> {
                java.util.Random random = new java.util.Random(seed);
                for (int k = 0; k < 5_000; k++) {
                    lock.lock();
                    try {
                        for (int j = 0; j < 4; j++) {
                            TestSignal s = signals[random.nextInt(n)];
                            s.engineOps = 1 + (k & 3);
                            lock.schedule(s);
                        }
                    } finally {
                        lock.unlock();
                    }
                }
            });
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(20));
            assertFalse(t.isAlive(), "delivery did not hang");
        }
        lock.lock();
        for (TestSignal s : signals) {
            s.engineOps = 9;
            lock.schedule(s);
        }
        lock.unlock();
        for (TestSignal s : signals) assertEquals(9, s.readyOps(), "the last delivery's readiness is the snapshot");
        assertTrue(calls.get() >= 5_000, "deliveries happened: " + calls.get()); // fewer than scheduled: queued ones are not queued twice
    }

    @Test
    void aFailingListenerDoesNotStarveTheOthers() {
        StackLock lock = new StackLock();
        TestSignal bad = new TestSignal(lock);
        TestSignal good = new TestSignal(lock);
        AtomicInteger calls = new AtomicInteger();
        bad.setListener(src -> { throw new IllegalStateException("listener bug"); });
        good.setListener(src -> calls.incrementAndGet());
        lock.lock();
        lock.schedule(bad);
        lock.schedule(good);
        assertThrows(IllegalStateException.class, lock::unlock);
        assertEquals(1, calls.get());
        assertFalse(lock.isHeldByCurrentThread());
    }

    @Test
    void awaitReturnsWhenADeliveryComesAndAtTheDeadline() throws Exception {
        StackLock lock = new StackLock();
        TestSignal s = new TestSignal(lock);
        CountDownLatch woke = new CountDownLatch(1);
        Thread waiter = Thread.ofVirtual().start(() -> {
            s.reader = Thread.currentThread();
            int v = s.version();
            while (s.version() == v) s.await(v, 0, false, 0L);
            woke.countDown();
        });
        BlockedThreads.awaitBlockedIn(waiter, "await"); // a delivery before the park would not test the unpark
        lock.lock();
        lock.schedule(s);
        lock.unlock();
        assertTrue(woke.await(5, TimeUnit.SECONDS), "the delivery unparked the waiter");
        assertTrue(waiter.join(Duration.ofSeconds(5)));

        long start = System.nanoTime();
        s.await(s.version(), 0, true, start + TimeUnit.MILLISECONDS.toNanos(20));
        // parkNanos may return early (spuriously) but never blocks far past the deadline
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void spinningSeesAChangeWithoutParking() throws Exception {
        StackLock lock = new StackLock();
        TestSignal s = new TestSignal(lock);
        int v = s.version();
        Thread t = Thread.ofPlatform().start(() -> s.wake());
        t.join();
        long start = System.nanoTime();
        s.await(v, TimeUnit.SECONDS.toNanos(5), false, 0L); // would park forever if the version were missed
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    }
}
