package io.dmm.stack.userspace.time;

/** A clock that moves only when told to: virtual time for tests and simulations. */
public final class ManualClock implements Clock {
    private volatile long now;

    public ManualClock(long startNanos) {
        this.now = startNanos;
    }

    public ManualClock() {
        this(1_000_000_000L);
    }

    @Override
    public long nanos() {
        return now;
    }

    public void advanceNanos(long nanos) {
        if (nanos < 0) throw new IllegalArgumentException("time cannot go back: " + nanos);
        now += nanos;
    }

    public void advanceMillis(long millis) {
        advanceNanos(millis * 1_000_000L);
    }

    /** Moves to {@code nanos} if that is later than now. */
    public void advanceTo(long nanos) {
        if (nanos > now) now = nanos;
    }
}
