package io.dmm.stack.userspace.time;

/**
 * The stack's notion of now, in nanoseconds on an arbitrary monotonic origin. Injected so that TCP
 * timers are tested at virtual time ({@link ManualClock}); {@link #SYSTEM} in production.
 */
@FunctionalInterface
public interface Clock {
    long nanos();

    Clock SYSTEM = System::nanoTime;
}
