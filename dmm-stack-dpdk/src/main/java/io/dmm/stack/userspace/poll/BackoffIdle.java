package io.dmm.stack.userspace.poll;

import java.util.concurrent.locks.LockSupport;

/**
 * Spins, then yields, then parks for growing times (doubling from a minimum to a maximum), never
 * past the deadline: low latency right after traffic, little CPU when idle for long. Work resets it.
 */
public final class BackoffIdle implements IdleStrategy {
    public static final int DEFAULT_SPINS = 100;
    public static final int DEFAULT_YIELDS = 10;
    public static final long DEFAULT_MIN_PARK_NANOS = 1_000L;
    public static final long DEFAULT_MAX_PARK_NANOS = 1_000_000L;

    private final int maxSpins;
    private final int maxYields;
    private final long minParkNanos;
    private final long maxParkNanos;
    private int spins;
    private int yields;
    private long parkNanos;

    public BackoffIdle() {
        this(DEFAULT_SPINS, DEFAULT_YIELDS, DEFAULT_MIN_PARK_NANOS, DEFAULT_MAX_PARK_NANOS);
    }

    public BackoffIdle(int maxSpins, int maxYields, long minParkNanos, long maxParkNanos) {
        if (maxSpins < 0 || maxYields < 0) throw new IllegalArgumentException("spins and yields must not be negative");
        if (minParkNanos < 1 || maxParkNanos < minParkNanos) {
            throw new IllegalArgumentException("need 1 <= minParkNanos <= maxParkNanos: " + minParkNanos + ", " + maxParkNanos);
        }
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
        reset();
    }

    @Override
    public void idle(int workCount, long deadlineNanos, long nowNanos) {
        if (workCount > 0) {
            reset();
            return;
        }
        if (spins < maxSpins) {
            spins++;
            Thread.onSpinWait();
        } else if (yields < maxYields) {
            yields++;
            Thread.yield();
        } else {
            long untilDeadline = IdleStrategy.nanosUntil(deadlineNanos, nowNanos);
            if (untilDeadline <= 0) return;  // a timer is due: back to the duty cycle
            LockSupport.parkNanos(Math.min(parkNanos, untilDeadline));
            parkNanos = Math.min(parkNanos << 1, maxParkNanos);
        }
    }

    /** The next park's length (for tests and diagnostics). */
    long currentParkNanos() {
        return parkNanos;
    }

    @Override
    public void reset() {
        spins = 0;
        yields = 0;
        parkNanos = minParkNanos;
    }

    @Override
    public String toString() {
        return "backoff";
    }
}
