package io.dmm.stack.userspace.poll;

import io.dmm.stack.userspace.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that drives one stack instance: a daemon named {@code dmm-userspace-<instance>} that
 * runs the {@link DutyCycle} and then the {@link IdleStrategy}, until closed.
 *
 * <p>A duty cycle that throws does not end the loop: the stack must keep serving its other sockets,
 * so the exception is logged at error, counted in {@link #errors()}, and the loop goes on after an
 * idle turn of at most 1 ms (a cycle that keeps throwing then does not spin a core on it). Only a
 * {@link VirtualMachineError} other than stack overflow ends the loop, logged.
 */
public final class PollLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PollLoop.class);
    private static final long JOIN_TIMEOUT_MILLIS = 5_000;

    private final DutyCycle duty;
    private final IdleStrategy idle;
    private final Clock clock;
    private final Thread thread;
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong cycles = new AtomicLong();
    private volatile boolean running;
    private volatile boolean started;
    private volatile boolean closed;
    /**
     * The longest a loop standing by ({@link DutyCycle#standingBy()}) parks: a spinning thread that
     * stops wakes it at once, one preempted in mid-spin leaves it this long at worst.
     */
    public static final long STAND_BY_MAX_NANOS = 200_000L;
    /** Set by wakeupEager(): the idle strategy starts eager again (an adaptive budget anew). */
    private volatile boolean woken;

    public PollLoop(String instance, DutyCycle duty, IdleStrategy idle, Clock clock) {
        this.duty = duty;
        this.idle = idle;
        this.clock = clock;
        this.thread = Thread.ofPlatform().name("dmm-userspace-" + instance).daemon(true).unstarted(this::run);
    }

    public synchronized void start() {
        if (closed) throw new IllegalStateException(thread.getName() + " is closed");
        if (started) throw new IllegalStateException(thread.getName() + " is already started");
        started = true;
        running = true;
        thread.start();
    }

    /**
     * Ends an idle park now, e.g. because frames arrived or an application thread armed a timer
     * earlier than the deadline the loop is parked for. Any thread, cheap.
     */
    public void wakeup() {
        LockSupport.unpark(thread);
    }

    /**
     * As {@link #wakeup()}, and the idle strategy starts eager again ({@link IdleStrategy#reset()}:
     * an adaptive loop polls busily for a new budget): a thread that was polling the device itself
     * stopped, and the loop takes over at once.
     */
    public void wakeupEager() {
        woken = true;
        LockSupport.unpark(thread);
    }

    /** Exceptions thrown by the duty cycle so far. */
    public long errors() {
        return errors.get();
    }

    /** Duty cycles run so far. */
    public long cycles() {
        return cycles.get();
    }

    public Thread thread() {
        return thread;
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    /**
     * Stops the loop and waits (up to 5 s) for its thread to end; from the loop's own thread (a duty
     * cycle stopping its loop) it does not wait: the loop ends after this turn. Idempotent: a later
     * call from another thread still waits for the thread to end.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            running = false;
        }
        if (!started) return;
        LockSupport.unpark(thread);
        if (Thread.currentThread() == thread) return;  // closed from a duty cycle: it ends after this turn
        try {
            thread.join(JOIN_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) LOG.warn("{} did not stop within {} ms", thread.getName(), JOIN_TIMEOUT_MILLIS);
    }

    private void run() {
        while (running) {
            int work;
            long deadline;
            try {
                work = duty.doWork(clock.nanos());
                deadline = duty.nextDeadline();
            } catch (Throwable t) {
                if (t instanceof VirtualMachineError vme && !(t instanceof StackOverflowError)) {
                    LOG.error("{}: fatal error in duty cycle, loop stops", thread.getName(), t);
                    throw vme;
                }
                errors.incrementAndGet();
                LOG.error("{}: duty cycle failed; the loop goes on", thread.getName(), t);
                work = 0;
                deadline = clock.nanos() + TimeUnit.MILLISECONDS.toNanos(1);
            }
            cycles.lazySet(cycles.get() + 1);  // single writer: no atomic read-modify-write needed
            if (!running) break;
            if (woken) {
                woken = false;
                idle.reset();
            }
            if (work == 0 && duty.standingBy()) {
                idle.reset();  // when the loop takes over again, its busy budget starts anew
                long wait = Math.min(STAND_BY_MAX_NANOS, deadline - clock.nanos());
                if (wait > 0) LockSupport.parkNanos(this, wait);
                continue;
            }
            idle.idle(work, deadline, clock.nanos());
        }
    }
}
