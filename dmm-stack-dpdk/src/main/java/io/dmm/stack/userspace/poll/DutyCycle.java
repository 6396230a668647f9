package io.dmm.stack.userspace.poll;

/** One turn of a stack instance's work, run over and over by a {@link PollLoop}. */
public interface DutyCycle {
    /** Does whatever is due (receive, timers, transmit) at {@code nowNanos}; returns how much was done (0 = nothing). */
    int doWork(long nowNanos);

    /** When the next timer is due, in the loop clock's nanos; {@code Long.MAX_VALUE} when none is armed. */
    long nextDeadline();

    /**
     * Whether another thread does the receiving for now (a thread spinning on a socket or a
     * selector polls the device itself): after a turn with no work the loop then parks until its
     * next timer or a wakeup, at most {@link PollLoop#STAND_BY_MAX_NANOS}, instead of idling by its
     * strategy (a busy phase would only compete with that thread for the lock and the CPUs).
     */
    default boolean standingBy() {
        return false;
    }
}
