/**
 * The duty cycle of a stack instance: a {@link io.dmm.stack.userspace.poll.PollLoop} thread runs a
 * {@link io.dmm.stack.userspace.poll.DutyCycle} (receive, timers, transmit) and, when it found no
 * work, an {@link io.dmm.stack.userspace.poll.IdleStrategy} that spins, backs off or parks until the
 * next timer deadline or a {@link io.dmm.stack.userspace.poll.PollLoop#wakeup()} from a device's rx
 * notifier or an application thread.
 */
package io.dmm.stack.userspace.poll;
