package io.dmm.core.testsupport;

import io.dmm.api.spi.BusyPoller;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The memory stack's {@link BusyPoller}, when its settings ask for one ({@code "busyPoll"}: the spin
 * in microseconds): it records who polled and how often, and runs a test's action at the next
 * poll, standing for a packet a polled device hands over to the thread that polls it.
 */
public final class MemoryBusyPoller implements BusyPoller {
    private final long spinNanos;
    private final AtomicInteger polls = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger();
    private final Set<Thread> pollers = ConcurrentHashMap.newKeySet();
    private volatile Runnable atNextPoll;
    private volatile boolean gone;

    MemoryBusyPoller(long spinNanos) {
        this.spinNanos = spinNanos;
    }

    @Override
    public boolean poll() {
        polls.incrementAndGet();
        if (gone) return false;
        pollers.add(Thread.currentThread());
        Runnable r = atNextPoll;
        if (r != null) {
            atNextPoll = null;
            r.run();
        }
        return true;
    }

    @Override public long spinNanos() { return spinNanos; }
    @Override public void ended() { ended.incrementAndGet(); }

    /** Runs {@code action} in the thread of the next poll. */
    public void atNextPoll(Runnable action) {
        atNextPoll = action;
    }

    /** From now on the stack is gone: poll answers false. */
    public void gone() {
        gone = true;
    }

    /** Calls of {@link #poll()}, also those that answered false. */
    public int polls() { return polls.get(); }
    /** Times a selecting thread stopped polling to sleep. */
    public int endings() { return ended.get(); }
    public Set<Thread> pollingThreads() { return Set.copyOf(pollers); }
}
