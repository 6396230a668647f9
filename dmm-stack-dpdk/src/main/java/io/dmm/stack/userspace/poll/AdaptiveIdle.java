package io.dmm.stack.userspace.poll;

/**
 * Polls busily for a time budget after the last work, then backs off ({@link BackoffIdle}): a
 * device with traffic is polled at once, as Linux's {@code busy_poll} and Onload's spin do, while an
 * idle one costs little CPU. The budget is measured on the loop's clock from the last cycle that
 * did work, so a steady exchange whose gaps are shorter than the budget never parks.
 *
 * <p>The busy phase yields every {@value #YIELD_EVERY} turns: on a machine with few cores the
 * threads this loop waits for (the application answering, a peer process, the kernel's side of a
 * tap) often queue on the loop's CPU, and a pure spin would hold them off (docs/benchmarks.md).
 * A budget of 0 makes it a plain backoff.
 */
public final class AdaptiveIdle implements IdleStrategy {
    public static final long DEFAULT_BUDGET_NANOS = 50_000L;
    static final int YIELD_EVERY = 8;

    private final long budgetNanos;
    private final BackoffIdle backoff;
    /** Loop-clock time of the last cycle that did work (or of the first idle turn after a reset). */
    private long lastWork;
    /** Whether lastWork is set; false when the budget starts again at the next idle turn. */
    private boolean started;
    private int turns;

    public AdaptiveIdle() {
        this(DEFAULT_BUDGET_NANOS);
    }

    public AdaptiveIdle(long budgetNanos) {
        this(budgetNanos, new BackoffIdle());
    }

    /** With {@code after} as the backoff once the budget is spent (tests). */
    AdaptiveIdle(long budgetNanos, BackoffIdle after) {
        if (budgetNanos < 0) throw new IllegalArgumentException("busy-poll budget must not be negative: " + budgetNanos);
        this.budgetNanos = budgetNanos;
        this.backoff = after;
    }

    @Override
    public void idle(int workCount, long deadlineNanos, long nowNanos) {
        if (workCount > 0 || !started) {
            lastWork = nowNanos;
            started = true;
            backoff.reset();
            if (workCount > 0) return;
        }
        if (busy(nowNanos)) {
            if (++turns % YIELD_EVERY == 0) Thread.yield();
            else Thread.onSpinWait();
            return;
        }
        backoff.idle(0, deadlineNanos, nowNanos);
    }

    /** Whether the loop is still within the budget after its last work (for tests and diagnostics too). */
    boolean busy(long nowNanos) {
        return nowNanos - lastWork < budgetNanos;
    }

    public long budgetNanos() {
        return budgetNanos;
    }

    /** The budget starts again at the next idle turn. */
    @Override
    public void reset() {
        started = false;
        backoff.reset();
    }

    @Override
    public String toString() {
        return "adaptive(" + budgetNanos / 1_000 + "us)";
    }
}
