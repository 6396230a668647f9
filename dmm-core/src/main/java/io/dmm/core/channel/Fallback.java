package io.dmm.core.channel;

import io.dmm.core.routing.StackHandle;
import java.io.IOException;
import java.util.List;

/**
 * One walk over a route's usable stacks in fallback order, for one connect (or first send or
 * bind): hands out the next stack to try, records each stack's failure, and gives the one exception to throw when none is left. Not thread-safe: its
 * channel guards it.
 */
final class Fallback {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Fallback.class);

    private final List<StackHandle> stacks;
    private final StackFailures failures = new StackFailures();
    private int next;

    Fallback(Candidates candidates) {
        this.stacks = candidates.stacks();
    }

    /** The next stack to try, or null when every one was tried. */
    StackHandle next() {
        return next < stacks.size() ? stacks.get(next++) : null;
    }

    /** {@code stack} failed with {@code e} (to open, set up or connect its channel for {@code target}): remembered. */
    void failed(StackHandle stack, Throwable e, Object target) {
        failures.add(e);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} failed on stack {} ({}); {}", target, stack.name(), e.toString(),
                    next < stacks.size() ? "falling back to " + stacks.get(next).name() : "no stack left");
        }
    }

    /** A failure that is no stack's fault (a timeout over all stacks): only remembered. */
    void failed(Throwable e) {
        failures.add(e);
    }

    /** The last failure, the earlier ones suppressed; thrown when unchecked. Only after every stack failed. */
    IOException exhausted() {
        return failures.toThrow();
    }

    /** As {@link #exhausted()}, as it is (for a completion handler). */
    Throwable exhaustedAsIs() {
        return failures.combined();
    }
}
