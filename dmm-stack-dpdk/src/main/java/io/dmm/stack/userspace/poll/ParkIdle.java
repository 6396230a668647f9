package io.dmm.stack.userspace.poll;

import java.util.concurrent.locks.LockSupport;

/**
 * Parks straight away until the deadline (at most {@code maxParkNanos}, so a lost wakeup costs at
 * most that): the least CPU, relying on rx notifiers and {@link PollLoop#wakeup()} for latency.
 */
public final class ParkIdle implements IdleStrategy {
    public static final long DEFAULT_MAX_PARK_NANOS = 100_000_000L;

    private final long maxParkNanos;

    public ParkIdle() {
        this(DEFAULT_MAX_PARK_NANOS);
    }

    public ParkIdle(long maxParkNanos) {
        if (maxParkNanos < 1) throw new IllegalArgumentException("maxParkNanos must be positive: " + maxParkNanos);
        this.maxParkNanos = maxParkNanos;
    }

    @Override
    public void idle(int workCount, long deadlineNanos, long nowNanos) {
        if (workCount > 0) return;
        long untilDeadline = IdleStrategy.nanosUntil(deadlineNanos, nowNanos);
        if (untilDeadline <= 0) return;
        LockSupport.parkNanos(Math.min(untilDeadline, maxParkNanos));
    }

    @Override
    public void reset() {}

    @Override
    public String toString() {
        return "park";
    }
}
