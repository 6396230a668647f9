package io.dmm.jdk.async;

/**
 * A completion handler that does no more than complete the Future of an operation's Future form
 * (with perhaps some counting on the way). The JDK runs no handler for its Future forms: it
 * completes the Future on whichever thread learns the outcome, the initiating one included. A
 * channel may do the same with such a handler, sparing a hand-off to the group's threads.
 */
public interface FutureCompletion {
    /** Whether this handler only completes a Future, so it may run on any thread, at once. */
    boolean completesFutureOnly();

    /** Whether {@code handler} is one that only completes a Future. */
    static boolean isFutureOnly(Object handler) {
        return handler instanceof FutureCompletion f && f.completesFutureOnly();
    }
}
