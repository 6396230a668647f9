package io.dmm.core.selector;

import io.dmm.api.spi.BusyPoller;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * A selector's busy poll, as Linux's epoll busy poll: before a select sleeps, the selecting thread
 * polls the stacks of its fd-less channels that must be polled anyway ({@link BusyPoller}) for up
 * to their spin time, so a packet that arrives meanwhile is received, and its channel made ready,
 * on this thread: no hand-off from the stack's poll loop, no wake-up of a sleeping selector. Only
 * when the selector holds no platform channel: their readiness shows only in the inner JDK
 * select, which a spin would delay.
 *
 * <p>The pollers are the distinct ones of the channels registered so far (one per stack instance),
 * dropped when their stack is gone. Added to from registering threads, polled by the selecting one.
 */
final class SelectorBusyPoll {
    private static final BusyPoller[] NONE = {};
    private volatile BusyPoller[] pollers = NONE;

    /** Adds {@code poller} unless it is known already. */
    synchronized void add(BusyPoller poller) {
        for (BusyPoller p : pollers) {
            if (p == poller) return;
        }
        BusyPoller[] next = Arrays.copyOf(pollers, pollers.length + 1);
        next[pollers.length] = poller;
        pollers = next;
    }

    private synchronized void remove(BusyPoller poller) {
        BusyPoller[] now = pollers;
        int n = 0;
        BusyPoller[] next = new BusyPoller[now.length];
        for (BusyPoller p : now) {
            if (p != poller) next[n++] = p;
        }
        pollers = n == 0 ? NONE : Arrays.copyOf(next, n);
    }

    /**
     * Polls until {@code done} says there is something to report (or to stop for: a wakeup, an
     * interrupt), for at most the longest spin of the pollers and never past {@code deadline}
     * (a {@link System#nanoTime()}, 0 for none). Yields every 16 turns, as a spinning socket call
     * does: the thread that would make the selector ready may be queued behind this one on its CPU.
     * Returns {@code done}'s last answer.
     */
    boolean spin(BooleanSupplier done, long deadline) {
        BusyPoller[] ps = pollers;
        if (ps.length == 0) return false;
        long spin = 0;
        for (BusyPoller p : ps) spin = Math.max(spin, p.spinNanos());
        if (spin <= 0) return false;
        long end = System.nanoTime() + spin;
        if (deadline != 0 && deadline - end < 0) end = deadline;
        for (int i = 1; !done.getAsBoolean(); i++) {
            if (System.nanoTime() - end >= 0) {
                for (BusyPoller p : ps) p.ended();
                return done.getAsBoolean();
            }
            if ((i & 15) == 0) {
                Thread.yield();
            } else if ((i & 3) == 0) {
                for (BusyPoller p : ps) {
                    if (!p.poll()) remove(p);
                }
                if (ps != pollers) {  // one was dropped, or another added
                    ps = pollers;
                    if (ps.length == 0) return done.getAsBoolean();
                }
            } else {
                Thread.onSpinWait();
            }
        }
        return true;
    }
}
