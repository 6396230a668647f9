package io.dmm.stack.userspace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.api.testing.Waits;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
    void withNobodyWaitingAPollLoopTakesTheLockAtOnce() {
        StackLock lock = new StackLock(Duration.ofSeconds(30).toNanos());
        long start = System.nanoTime();
        lock.lockAfterWaiters();
        lock.unlock();
        assertEquals(true, System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "no courtesy wait without waiters");
    }
}
