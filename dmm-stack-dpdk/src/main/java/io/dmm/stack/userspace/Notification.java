package io.dmm.stack.userspace;

/**
 * Something to do once the stack's lock is released: wake a thread blocked on a socket, tell DMM's
 * selector that a channel's readiness changed. Scheduled with {@link StackLock#schedule} under the
 * lock (cheap, no allocation, idempotent while pending) and delivered after the lock is released,
 * because a readiness listener must not run under a lock its channel's {@code readyOps()} takes.
 */
public abstract class Notification {
    Notification next;
    boolean queued;

    /** Runs outside the stack's lock, on whichever thread released it. Quick, never blocks. */
    protected abstract void deliver();
}
