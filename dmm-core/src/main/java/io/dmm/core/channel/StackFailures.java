package io.dmm.core.channel;

import java.io.IOException;
import java.util.List;

/**
 * The one exception a routed channel throws when every stack it tried failed: the last failure
 * (the one nearest the caller's intent, the route's final fallback), with the earlier ones attached
 * as suppressed so none is lost.
 */
final class StackFailures {
    private StackFailures() {
    }

    /**
     * The last of {@code failures} (not empty) with the others suppressed on it, returned when it is
     * an IOException for the caller to throw, thrown here when it is unchecked.
     */
    static IOException combine(List<Throwable> failures) {
        Throwable last = failures.getLast();
        for (Throwable t : failures) {
            if (t != last) {
                last.addSuppressed(t);
            }
        }
        if (last instanceof RuntimeException re) {
            throw re;
        }
        if (last instanceof Error er) {
            throw er;
        }
        return (IOException) last;
    }
}
