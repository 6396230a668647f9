package io.dmm.api.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Waiting for a condition a test cannot be told about (bytes arriving, a handshake finishing, a
 * stack reporting a state): it is looked at every millisecond, and the wait fails, saying what it
 * waited for, once {@code within} has passed, so that no test loops forever.
 */
public final class Waits {
    /** What is waited for; it may do I/O to find out. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws IOException;
    }

    private Waits() {
    }

    /** Waits until {@code condition} holds; fails with "timed out after {@code within} waiting for {@code what}". */
    public static void until(String what, Duration within, Condition condition) throws IOException, InterruptedException {
        until(() -> what, within, condition);
    }

    /** As {@link #until(String, Duration, Condition)}; {@code what} is asked for only when the wait fails (to show the state then). */
    public static void until(Supplier<String> what, Duration within, Condition condition)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + within + " waiting for " + what.get());
            }
            Thread.sleep(1);
        }
    }
}
