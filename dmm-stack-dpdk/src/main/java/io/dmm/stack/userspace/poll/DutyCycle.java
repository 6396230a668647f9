package io.dmm.stack.userspace.poll;

/** One turn of a stack instance's work, run over and over by a {@link PollLoop}. */
public interface DutyCycle {
    /** Does whatever is due (receive, timers, transmit) at {@code nowNanos}; returns how much was done (0 = nothing). */
    int doWork(long nowNanos);

    /** When the next timer is due, in the loop clock's nanos; {@code Long.MAX_VALUE} when none is armed. */
    long nextDeadline();
}
