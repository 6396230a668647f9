package io.dmm.stack.userspace.poll;

import java.util.Locale;

/**
 * What the poll loop does between duty cycles that found nothing to do: trade latency (spinning)
 * against CPU (parking). A strategy parks at most until the duty cycle's next deadline, so timers
 * fire on time, and a {@link PollLoop#wakeup()} (an unpark) ends a park early.
 *
 * <p>One instance per loop; not thread-safe.
 */
public interface IdleStrategy {
    /**
     * Called after every duty cycle. {@code workCount > 0} means the cycle did something (the
     * strategy resets and returns at once); otherwise idle, but not past {@code deadlineNanos}
     * ({@code Long.MAX_VALUE} for none), with {@code nowNanos} read from the loop's clock.
     */
    void idle(int workCount, long deadlineNanos, long nowNanos);

    /** Back to the most eager state, as after work. */
    void reset();

    /**
     * Nanoseconds from {@code nowNanos} to {@code deadlineNanos}, without overflow: a clock such as
     * {@link System#nanoTime()} may be negative, and {@code Long.MAX_VALUE - negative} would wrap to
     * "already due" and turn a parking loop into a spinning one. {@code Long.MAX_VALUE} stays "never".
     */
    static long nanosUntil(long deadlineNanos, long nowNanos) {
        if (deadlineNanos == Long.MAX_VALUE) return Long.MAX_VALUE;
        long d = deadlineNanos - nowNanos;
        if (deadlineNanos > nowNanos && d < 0) return Long.MAX_VALUE;
        if (deadlineNanos < nowNanos && d > 0) return Long.MIN_VALUE;
        return d;
    }

    /** The strategy named {@code adaptive}, {@code busy-spin}, {@code backoff} or {@code park}, with default settings. */
    static IdleStrategy parse(String name) {
        return parse(name, AdaptiveIdle.DEFAULT_BUDGET_NANOS);
    }

    /** As {@link #parse(String)}; {@code adaptive} polls busily for {@code busyPollNanos} after work. */
    static IdleStrategy parse(String name, long busyPollNanos) {
        if (name == null) throw new IllegalArgumentException("idle strategy name is null; use adaptive, busy-spin, backoff or park");
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "adaptive" -> new AdaptiveIdle(busyPollNanos);
            case "busy-spin" -> new BusySpinIdle();
            case "backoff" -> new BackoffIdle();
            case "park" -> new ParkIdle();
            default -> throw new IllegalArgumentException(
                    "unknown idle strategy \"" + name + "\"; use adaptive, busy-spin, backoff or park");
        };
    }
}
