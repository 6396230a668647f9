package io.dmm.stack.userspace;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one lock guarding all protocol state of a stack instance (interface, TCP, UDP): taken by the
 * poll loop for every burst and by application threads for every socket call, as a kernel's socket
 * lock is. A {@link ReentrantLock}, so virtual threads that wait for it unmount.
 *
 * <p>On the outermost {@link #unlock()} it first runs the instance's unlock hook while still
 * holding the lock (the loopback device uses it to deliver the frames a call just sent, run to
 * completion, as Linux's loopback does in the sender's context), then delivers the scheduled
 * {@link Notification}s without the lock.
 */
public final class StackLock {
    /**
     * How long a poll loop lets waiting threads go first at most, so that it is never starved: longer
     * than a waiter's park (20 µs, about 70 µs with Linux's default timer slack).
     */
    private static final long COURTESY_NANOS = 200_000L;

    private final ReentrantLock lock = new ReentrantLock();
    /** Platform threads barging for the lock now: the ReentrantLock's queue does not show them. */
    private final AtomicInteger barging = new AtomicInteger();
    private final long courtesyNanos;

    public StackLock() {
        this(COURTESY_NANOS);
    }

    /** With another bound on {@link #lockAfterWaiters()}'s wait (tests). */
    StackLock(long courtesyNanos) {
        this.courtesyNanos = courtesyNanos;
    }
    private Notification head;
    private Notification tail;
    private Runnable unlockHook;
    /** Run by a thread after its outermost release (the device's deferred transmit), or null. */
    private volatile Runnable afterRelease;
    /** Polls the instance's device (under the lock), or null when waiting threads must not (see busyPoll). */
    private volatile Runnable devicePoll;
    /** Tells the poll loop that a thread stopped busy polling and is about to park. */
    private volatile Runnable devicePollEnded;
    /** When a thread last busy polled the device ({@link System#nanoTime()}), 0 once it ended. */
    private volatile long busyPolledAt;
    /** How long after a busy poll the device is still taken to be in a spinning thread's hands. */
    static final long BUSY_POLL_GRACE_NANOS = 20_000;

    public void lock() {
        if (lock.tryLock()) return;
        if (Thread.currentThread().isVirtual()) {
            lock.lock();
            return;
        }
        // A platform thread (the poll loop, an application thread) never queues in the lock: it would
        // queue behind virtual threads, and a virtual thread handed the lock cannot run while every
        // carrier is pinned elsewhere — the whole stack would stall behind it. Barging with tryLock
        // takes the lock as soon as it is free, whoever waits.
        barging.incrementAndGet();
        try {
            for (int spins = 0; !lock.tryLock(); spins++) {
                if (spins < 200) Thread.onSpinWait();
                else LockSupport.parkNanos(20_000);
            }
        } finally {
            barging.decrementAndGet();
        }
    }

    /**
     * {@link #lock()} for a poll loop, which takes the lock again and again: threads already waiting
     * for it go first (for at most 200 µs). A busy loop re-taking the lock the moment it let go
     * would win nearly every race, and each thread that lost 200 spins parks for 20 µs (70 µs with
     * Linux's timer slack): a convoy that put a ping-pong's median at 120 µs (docs/benchmarks.md).
     */
    public void lockAfterWaiters() {
        if (hasWaiters()) {
            long end = System.nanoTime() + courtesyNanos;
            while (hasWaiters() && System.nanoTime() - end < 0) {
                // yield, not spin: on a machine with few cores the waiters may need this very CPU
                // (a spinning loop was a quarter of a busy HTTP server's samples, docs/benchmarks.md)
                Thread.yield();
            }
        }
        lock();
    }

    /** Whether any thread waits for the lock: platform threads barging, or threads queued in it. */
    private boolean hasWaiters() {
        return barging.get() > 0 || lock.hasQueuedThreads();
    }

    /** Platform threads waiting in {@link #lock()} now (tests). */
    int bargingThreads() {
        return barging.get();
    }

    public boolean tryLock() {
        return lock.tryLock();
    }

    public boolean isHeldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    /**
     * Lets threads that spin on a socket poll the device themselves ({@link #busyPoll()}): {@code poll}
     * receives a burst (run under the lock), {@code ended} tells the poll loop a spinner gave up.
     */
    public void setDevicePoll(Runnable poll, Runnable ended) {
        this.devicePollEnded = ended;
        this.devicePoll = poll;
    }

    /**
     * For a thread spinning on a socket: receives from the device now, if the lock is free (it never
     * waits for it), as Linux's {@code busy_poll} does in the waiting system call. The answer the
     * thread waits for is then processed on its own CPU, and signalled at this unlock, with no
     * hand-off from the poll loop: on 2 cores a spinning poll loop, a spinning application and the
     * peer are three threads for two CPUs (docs/benchmarks.md). A no-op without a device poll.
     */
    public void busyPoll() {
        Runnable p = devicePoll;
        if (p == null || !lock.tryLock()) return;
        try {
            p.run();
            busyPolledAt = System.nanoTime();
        } finally {
            unlock();
        }
    }

    /**
     * Whether a thread has busy polled the device in the last {@link #BUSY_POLL_GRACE_NANOS} and not
     * ended: the poll loop then leaves receiving to it rather than compete for the lock and the
     * CPUs (two threads polling one device on 2 cores took a third of a CPU for empty reads and
     * yields, docs/benchmarks.md). A spinner that ends wakes the loop ({@link #busyPollEnded()}).
     */
    public boolean deviceBusyPolled() {
        long at = busyPolledAt;
        return at != 0 && System.nanoTime() - at < BUSY_POLL_GRACE_NANOS;
    }

    /** A spinning thread is about to park: the poll loop takes over receiving (a no-op without a device poll). */
    public void busyPollEnded() {
        busyPolledAt = 0;
        Runnable e = devicePollEnded;
        if (e != null) e.run();
    }

    /**
     * Sets the work the releasing thread runs right after each outermost release, without the lock:
     * the device's writes of the frames queued under it ({@code Device.txFlushAfterRelease}).
     */
    public void setAfterRelease(Runnable work) {
        this.afterRelease = work;
    }

    private void runAfterRelease() {
        Runnable r = afterRelease;
        if (r != null) r.run();
    }

    /** Sets the work to run at each outermost unlock, before notifications (under the lock). */
    public void setUnlockHook(Runnable hook) {
        this.unlockHook = hook;
    }

    /** Queues {@code n} for delivery after the outermost unlock; a no-op if already queued. Under the lock. */
    public void schedule(Notification n) {
        assert lock.isHeldByCurrentThread();
        if (n.queued) return;
        n.queued = true;
        n.next = null;
        if (tail == null) head = n;
        else tail.next = n;
        tail = n;
    }

    public void unlock() {
        if (lock.getHoldCount() > 1) {
            lock.unlock();
            return;
        }
        Runnable hook = unlockHook;
        if (hook != null) hook.run();
        if (head == null) {
            lock.unlock();
            runAfterRelease();
            return;
        }
        Notification n = pop();
        lock.unlock();
        runAfterRelease();
        while (n != null) {
            n.deliver();
            lock(); // barging as every platform thread must (and no AQS node allocated per contended pop)
            n = pop();
            lock.unlock();
        }
    }

    private Notification pop() {
        Notification n = head;
        if (n != null) {
            head = n.next;
            if (head == null) tail = null;
            n.next = null;
            n.queued = false;
        }
        return n;
    }
}
