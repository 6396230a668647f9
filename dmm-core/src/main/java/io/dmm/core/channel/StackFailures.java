package io.dmm.core.channel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The failures of the stacks a routed channel tried, in order, and the one exception they make
 * when no stack is left: the last failure (the one nearest the caller's intent, the route's final
 * fallback), with the earlier ones attached as suppressed so none is lost. Not thread-safe: its
 * channel guards it.
 */
final class StackFailures {
    private final List<Throwable> failures = new ArrayList<>(1);

    void add(Throwable t) {
        failures.add(t);
    }

    boolean isEmpty() {
        return failures.isEmpty();
    }

    /** The last failure (there is one) with the others suppressed on it; forgets them all. */
    Throwable combined() {
        Throwable last = failures.getLast();
        for (Throwable t : failures) {
            if (t != last) {
                last.addSuppressed(t);
            }
        }
        failures.clear();
        return last;
    }

    /** {@link #combined()}, returned when an IOException for the caller to throw, thrown here when unchecked. */
    IOException toThrow() {
        Throwable last = combined();
        if (last instanceof RuntimeException re) {
            throw re;
        }
        if (last instanceof Error er) {
            throw er;
        }
        return (IOException) last;
    }
}
