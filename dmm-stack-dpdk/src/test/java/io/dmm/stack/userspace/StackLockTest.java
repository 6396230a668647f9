package io.dmm.stack.userspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.testing.Waits;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StackLockTest {
    @Test
    void aPollLoopTakingTheLockAgainLetsAThreadAlreadyWaitingForItGoFirst() throws Exception {
        StackLock lock = new StackLock(Duration.ofSeconds(30).toNanos());
        List<String> order = new CopyOnWriteArrayList<>();
        lock.lock();  // the loop's previous turn
        Thread app = Thread.ofPlatform().name("app").start(() -> {
            lock.lock();
            order.add("app");
            lock.unlock();
        });
        Waits.until("the application thread waits for the lock", Duration.ofSeconds(10), () -> lock.bargingThreads() == 1);
        // the loop lets go and comes straight back: with a plain lock() it would win the race
        lock.unlock();
        lock.lockAfterWaiters();
        order.add("loop");
        lock.unlock();
        app.join(10_000);
        assertEquals(List.of("app", "loop"), order);
        assertEquals(0, lock.bargingThreads(), "the waiter is no longer counted once it has the lock");
    }

    @Test
    void aBusyPollReceivesUnderTheLockWhenItIsFreeAndNeverWaitsForIt() throws Exception {
        StackLock lock = new StackLock();
        lock.busyPoll();  // no device poll set: nothing to do, and nothing fails
        lock.busyPollEnded();
        AtomicInteger polls = new AtomicInteger();
        AtomicInteger ended = new AtomicInteger();
        lock.setDevicePoll(() -> {
            assertTrue(lock.isHeldByCurrentThread(), "the device is polled under the lock");
            polls.incrementAndGet();
        }, ended::incrementAndGet);
        lock.busyPoll();
        assertEquals(1, polls.get());
        assertFalse(lock.isHeldByCurrentThread(), "released after the poll");
        lock.busyPollEnded();
        assertEquals(1, ended.get());

        lock.lock();  // another thread holds it: the spinner goes back to spinning at once
        try {
            Thread spinner = Thread.ofPlatform().start(lock::busyPoll);
            spinner.join(10_000);
            assertFalse(spinner.isAlive(), "busyPoll returned without the lock");
            assertEquals(1, polls.get());
        } finally {
            lock.unlock();
        }
    }

    @Test
    void aThreadThatBusyPollsHasTheDeviceUntilItEnds() {
        StackLock lock = new StackLock();
        lock.busyPoll();
        assertFalse(lock.deviceBusyPolled(), "no device poll set: nobody polls");
        lock.setDevicePoll(() -> { }, () -> { });
        assertFalse(lock.deviceBusyPolled());
        boolean held = false;
        for (int i = 0; i < 1_000 && !held; i++) {  // a thread preempted between poll and check may look stale
            lock.busyPoll();
            held = lock.deviceBusyPolled();
        }
        assertTrue(held, "a thread just polled: the loop leaves receiving to it");
        lock.busyPollEnded();
        assertFalse(lock.deviceBusyPolled(), "it ended: the loop receives again");
        lock.lock();
        try {
            Thread other = Thread.ofPlatform().start(lock::busyPoll);
            assertTrue(joined(other));
            assertFalse(lock.deviceBusyPolled(), "a poll that did not get the lock did not poll");
        } finally {
            lock.unlock();
        }
    }

    private static boolean joined(Thread t) {
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return !t.isAlive();
    }

    @Test
    void withNobodyWaitingAPollLoopTakesTheLockAtOnce() {
        StackLock lock = new StackLock(Duration.ofSeconds(30).toNanos());
        long start = System.nanoTime();
        lock.lockAfterWaiters();
        lock.unlock();
        assertEquals(true, System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "no courtesy wait without waiters");
    }

    @Test
    void theWorkAfterReleaseRunsOnceTheOutermostHoldIsGoneAndWithoutTheLock() {
        StackLock lock = new StackLock();
        List<String> seen = new CopyOnWriteArrayList<>();
        lock.setAfterRelease(() -> seen.add(lock.isHeldByCurrentThread() ? "held" : "released"));
        lock.lock();
        lock.lock();
        lock.unlock();
        assertEquals(List.of(), seen, "a nested release is no release");
        lock.unlock();
        assertEquals(List.of("released"), seen, "the device writes what was queued, without the lock");
        lock.busyPoll();  // no device poll: nothing taken, nothing released
        assertEquals(List.of("released"), seen);
    }
}
