package io.dmm.stack.userspace.poll;

/**
 * Never gives the CPU up: the lowest latency and a core at 100%. Deadlines need no handling since
 * the loop comes back at once. A {@link PollLoop#wakeup()} is noticed on the next cycle.
 */
public final class BusySpinIdle implements IdleStrategy {
    @Override
    public void idle(int workCount, long deadlineNanos, long nowNanos) {
        if (workCount <= 0) Thread.onSpinWait();
    }

    @Override
    public void reset() {}

    @Override
    public String toString() {
        return "busy-spin";
    }
}
