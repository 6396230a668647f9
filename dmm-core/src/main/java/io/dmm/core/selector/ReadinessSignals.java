package io.dmm.core.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The keys with fd-less delegates that a selector must look at: those signalled since the last
 * select (from any thread), and those found ready at the last select (selecting thread only).
 * Keeping ready keys watched makes fd-less channels level-triggered like the JDK's, at a cost per
 * select of the active fd-less keys only, not of every registered one.
 */
final class ReadinessSignals {
    private final ConcurrentLinkedQueue<DmmSelectionKey> queue = new ConcurrentLinkedQueue<>();
    private final List<DmmSelectionKey> watched = new ArrayList<>();

    /** Queues {@code key} once until the next select looks at it; true if it was not queued yet. */
    boolean offer(DmmSelectionKey key) {
        if (key.signalled.compareAndSet(false, true)) {
            queue.add(key);
            return true;
        }
        return false;
    }

    /** Whether the next select has something to look at (so it must not block). Selecting thread. */
    boolean pending() {
        return !watched.isEmpty() || !queue.isEmpty();
    }

    /**
     * Gathers the ready operations of the keys to look at into {@code round} (see
     * {@link DmmSelectionKey#roundOps}); keeps watching those that are ready, drops the others.
     * Returns whether any was ready. Selecting thread.
     */
    boolean collect(List<DmmSelectionKey> round) {
        DmmSelectionKey k;
        while ((k = queue.poll()) != null) {
            k.signalled.set(false); // before reading readiness: a later signal queues it again
            if (!k.watched) {
                k.watched = true;
                watched.add(k);
            }
        }
        boolean any = false;
        for (int i = watched.size() - 1; i >= 0; i--) {
            DmmSelectionKey w = watched.get(i);
            int r = w.isValid() ? w.fdlessReadyOps() : 0;
            if (r == 0) {
                w.watched = false;
                watched.set(i, watched.getLast()); // order does not matter: swap-remove
                watched.removeLast();
                continue;
            }
            any = true;
            if (w.roundOps == 0) {
                round.add(w);
            }
            w.roundOps |= r;
        }
        return any;
    }

    void clear() {
        queue.clear();
        for (DmmSelectionKey w : watched) {
            w.watched = false;
        }
        watched.clear();
    }
}
