package io.dmm.stack.userspace.channel;

import io.dmm.api.spi.ReadinessListener;
import io.dmm.api.spi.ReadinessSource;
import io.dmm.stack.userspace.Notification;
import io.dmm.stack.userspace.StackLock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;

/**
 * One channel's link between the engine and the threads that wait on it: the engine schedules it
 * when the socket's readiness may have changed; delivered after the stack lock is released, it
 * refreshes the lock-free readiness snapshot, unparks the blocked reader/writer and tells DMM's
 * selector.
 *
 * <p>Why a snapshot: {@link ReadinessSource#readyOps()} must not take the stack lock (DMM's selector
 * calls it while a stack thread may be calling the listener), so the engine's readiness is copied
 * into a volatile under the lock: by the channel after each of its own engine calls and here, on
 * delivery, which re-takes the lock briefly.
 *
 * <p>Why the per-thread deferral: re-taking the lock in {@link #deliver()} means its outermost
 * unlock delivers the next queued notifications, recursively; with thousands of sockets signalled in
 * one burst that would nest thousands of frames deep. Signals met while one is already being
 * delivered on this thread are chained (intrusively, no allocation) and run by the outer loop.
 */
abstract class ChannelSignal extends Notification {
    private static final VarHandle VERSION;

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(ChannelSignal.class, "version", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The signals deferred on one delivering thread. Per-thread queues, not links in the signals:
     * several threads may deliver the same signal at once. Their arrays grow to the largest burst
     * once, then adds and polls allocate nothing; a signal queued twice is delivered twice, harmlessly.
     */
    private static final class Deferred {
        boolean active;
        /** Signals met while delivering, not yet refreshed. */
        final ArrayDeque<ChannelSignal> pending = new ArrayDeque<>();
        /** Signals refreshed under one lock hold, to wake once the lock is released. */
        final ArrayDeque<ChannelSignal> refreshed = new ArrayDeque<>();
    }

    private static final ThreadLocal<Deferred> DELIVERING = ThreadLocal.withInitial(Deferred::new);

    /** The lock of the channel's shard: changes only when an unconnected channel moves (see moveTo). */
    private volatile StackLock lock;
    private final ReadinessSource source;
    private volatile int readyOps;
    @SuppressWarnings("unused") // through VERSION
    private volatile int version;
    /** The thread blocked reading, connecting, accepting or receiving; null if none. */
    volatile Thread reader;
    /** The thread blocked writing or sending; null if none. */
    volatile Thread writer;
    private volatile ReadinessListener listener;

    ChannelSignal(StackLock lock, ReadinessSource source) {
        this.lock = lock;
        this.source = source;
    }

    /** The channel's readiness now, from the engine; called holding the stack lock. 0 once closed. */
    abstract int computeReadyOps();

    /**
     * The channel moved to another shard before it had engine state there (a connect): its
     * notifications are refreshed under {@code newLock} from now on. Under the old lock.
     */
    final void moveTo(StackLock newLock) {
        lock = newLock;
    }

    /** Copies the engine's readiness into the snapshot. Under the stack lock. */
    final void refresh() {
        readyOps = computeReadyOps();
    }

    /** The snapshot, lock-free. */
    final int readyOps() {
        return readyOps;
    }

    final void setListener(ReadinessListener l) {
        listener = l;
    }

    /**
     * Moves on each delivery: a waiter reads it under the lock after finding the socket not ready
     * and spins until it moves, so a change between its check and its park is never missed.
     */
    final int version() {
        return (int) VERSION.getVolatile(this);
    }

    @Override
    protected final void deliver() {
        Deferred d = DELIVERING.get();
        if (d.active) {
            d.pending.add(this);
            return;
        }
        d.active = true;
        RuntimeException failure = null;
        try {
            d.pending.add(this);
            while (!d.pending.isEmpty()) {
                refreshPending(d);
                // the unlock above may have deferred more signals into pending: the loop takes them next
                for (ChannelSignal s; (s = d.refreshed.poll()) != null; ) {
                    try {
                        s.wake();
                    } catch (RuntimeException e) {
                        // a failing listener must not starve the other channels' waiters
                        if (failure == null) failure = e;
                        else failure.addSuppressed(e);
                    }
                }
            }
        } finally {
            d.pending.clear();
            d.refreshed.clear();
            d.active = false;
        }
        if (failure != null) throw failure;
    }

    /**
     * Refreshes the pending signals of the first one's stack under one hold of its lock (a burst
     * signals many channels: one lock cycle, not one each); signals of another stack, met only if a
     * listener did I/O on it, wait for a later round under their own lock.
     */
    private static void refreshPending(Deferred d) {
        StackLock held = d.pending.peek().lock;
        held.lock();
        try {
            for (int n = d.pending.size(); n > 0; n--) {
                ChannelSignal s = d.pending.poll();
                if (s.lock == held) {
                    s.refresh();
                    d.refreshed.add(s);
                } else {
                    d.pending.add(s);
                }
            }
        } finally {
            held.unlock();
        }
    }

    /** Unparks the waiters and tells the listener; outside the stack lock. Also used on close and shutdown. */
    final void wake() {
        VERSION.getAndAdd(this, 1);
        Thread t = reader;
        if (t != null) LockSupport.unpark(t);
        t = writer;
        if (t != null) LockSupport.unpark(t);
        ReadinessListener l = listener;
        if (l != null) l.readinessChanged(source);
    }

    /**
     * Waits (spinning first for {@code spinNanos}, then parking) until {@link #version()} moves away
     * from {@code observed}, the thread is unparked or interrupted, or {@code deadline}
     * ({@link System#nanoTime()}; ignored unless {@code timed}) passes. May return spuriously: callers
     * re-check readiness under the lock.
     */
    final void await(int observed, long spinNanos, boolean timed, long deadline) {
        awaitChange(this, null, observed, spinNanos, timed, deadline);
    }

    /** The sum of {@code signals}' versions: it moves when any of theirs does. */
    static int versions(ChannelSignal[] signals) {
        int sum = 0;
        for (ChannelSignal s : signals) sum += s.version();
        return sum;
    }

    /**
     * As {@link #await}, until any of {@code signals} is delivered: {@code observed} is their
     * {@link #versions} read before the caller found none of them ready. A listener on every shard.
     */
    static void awaitAny(ChannelSignal[] signals, int observed, long spinNanos, boolean timed, long deadline) {
        if (signals.length == 1) awaitChange(signals[0], null, observed, spinNanos, timed, deadline);
        else awaitChange(null, signals, observed, spinNanos, timed, deadline);
    }

    /** The version of {@code one}, or the sum of {@code many}'s. */
    private static int current(ChannelSignal one, ChannelSignal[] many) {
        return one != null ? one.version() : versions(many);
    }

    /** Polls the device of {@code one}'s shard, or of each of {@code many}'s (see StackLock.busyPoll). */
    private static void busyPoll(ChannelSignal one, ChannelSignal[] many) {
        if (one != null) {
            one.lock.busyPoll();
            return;
        }
        for (ChannelSignal s : many) s.lock.busyPoll();
    }

    private static void busyPollEnded(ChannelSignal one, ChannelSignal[] many) {
        if (one != null) {
            one.lock.busyPollEnded();
            return;
        }
        for (ChannelSignal s : many) s.lock.busyPollEnded();
    }

    private static void awaitChange(ChannelSignal one, ChannelSignal[] many, int observed, long spinNanos,
                                    boolean timed, long deadline) {
        Object blocker = one != null ? one : many;
        if (spinNanos > 0) {
            // Yield while spinning, not only onSpinWait: the thread this one is waiting for is often
            // queued behind it on the same CPU (the scheduler puts a woken thread where its waker
            // runs), and a pure spin would hold it off for the whole spin (measured: docs/benchmarks.md).
            // Every fourth turn polls the device (StackLock.busyPoll): the answer is received here.
            long end = System.nanoTime() + spinNanos;
            for (int i = 1; current(one, many) == observed && System.nanoTime() - end < 0; i++) {
                if (Thread.currentThread().isInterrupted()) return;
                if ((i & 15) == 0) Thread.yield();
                else if ((i & 3) == 0) busyPoll(one, many);
                else Thread.onSpinWait();
            }
            if (current(one, many) != observed) return;
            busyPollEnded(one, many);
        }
        if (current(one, many) != observed) return;
        if (!timed) {
            LockSupport.park(blocker);
        } else {
            long left = deadline - System.nanoTime();
            if (left > 0) LockSupport.parkNanos(blocker, left);
        }
    }
}
