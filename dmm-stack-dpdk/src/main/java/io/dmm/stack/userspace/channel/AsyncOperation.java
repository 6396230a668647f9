package io.dmm.stack.userspace.channel;

import io.dmm.api.spi.AsynchronousGroup;
import io.dmm.jdk.async.FutureCompletion;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.ShutdownChannelGroupException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One kind of operation (read, write, connect or accept) of a userspace asynchronous channel, of
 * which at most one is pending, driven by the socket's readiness as the JDK's channels are driven by
 * epoll: the initiating thread tries it at once (non-blocking, on the channel's socket core); if the
 * socket is not ready the operation is armed, and the core's readiness notification, delivered on
 * whichever thread changed it, hands it to the group's threads ({@link AsynchronousGroup#execute}),
 * where it is tried again and its handler runs. No thread waits for a socket, nothing polls.
 *
 * <p>State is one long, a sequence number (one per operation started) and a phase: IDLE, ARMED
 * (waiting for readiness, any thread may claim it) or RUNNING (one thread owns it: it is being tried
 * or completed). Claims are compare-and-set, so readiness, a timeout and a close can race for an
 * armed operation and exactly one wins; the sequence number keeps a late timer of an earlier
 * operation away from the next one. The operation object is the task handed to the group: nothing is
 * allocated per read or write beyond what the group's executor does to queue it.
 */
abstract class AsyncOperation implements Runnable {
    /**
     * An asynchronous face's toString: its own class name with its core channel's state
     * ({@code [connected local=... remote=...]}), as the JDK's asynchronous channels print theirs.
     */
    static String describeFace(Object face, Object core) {
        String inner = core.toString();
        return face.getClass().getName() + inner.substring(inner.indexOf('['));
    }

    /** What {@link #attempt()} returns when the socket is not ready. */
    static final Object NOT_READY = new Object();

    private static final long IDLE = 0, ARMED = 1, RUNNING = 2, PHASE = 3;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(AsyncOperation.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AsynchronousGroup group;
    private volatile long state;
    private volatile boolean killed;
    // the current operation's, written by the thread that owns it (RUNNING) and published by the state
    private Object attachment;
    private CompletionHandler<Object, Object> handler;
    private long timeoutNanos;
    private ScheduledFuture<?> timer;

    AsyncOperation(AsynchronousGroup group) {
        this.group = group;
    }

    /** Tries the operation on the socket core without blocking: its result, or {@link #NOT_READY}. */
    abstract Object attempt() throws IOException;

    /** Whether the socket is ready for this operation, or closed (the core's lock-free snapshot). */
    abstract boolean readyOrClosed();

    /** The exception for a second operation while one is pending (ReadPendingException, ...). */
    abstract RuntimeException pendingException();

    /** What the handler is told for {@code exc}; a failed connect also closes the channel here. */
    Throwable failing(Throwable exc) {
        return exc;
    }

    /** Whether a timeout or a cancelled Future forbids further operations of this kind (the JDK's rule). */
    final boolean isKilled() {
        return killed;
    }

    /** After a cancelled Future: no more operations of this kind. */
    final void kill() {
        killed = true;
    }

    /** Whether an operation of this kind is pending. */
    final boolean isPendingNow() {
        return (state & PHASE) != IDLE;
    }

    /**
     * Takes the one pending slot for a new operation; the caller then sets what the operation works on
     * (the subclass's fields, published to other threads by the state) and calls {@link #proceed}.
     *
     * @throws RuntimeException {@link #pendingException()} if one is pending
     */
    final void claim() {
        long s = state;
        if ((s & PHASE) != IDLE || !STATE.compareAndSet(this, s, next(s))) {
            throw pendingException();
        }
    }

    /**
     * Runs the claimed operation: at once, its handler on the group's terms, if the socket is ready;
     * else armed, with a timer if {@code timeout} is positive.
     */
    @SuppressWarnings("unchecked")
    final <A> void proceed(A attachment, CompletionHandler<?, ? super A> handler, long timeout, TimeUnit unit) {
        this.attachment = attachment;
        this.handler = (CompletionHandler<Object, Object>) handler;
        this.timeoutNanos = timeout > 0 ? unit.toNanos(timeout) : 0L;
        drive(true);
    }

    /** Completes an operation whose result is known without I/O (0 bytes, end of stream): on the group's terms. */
    static <V, A> void completeNow(AsynchronousGroup group, CompletionHandler<V, ? super A> handler, A attachment,
                                   V result, Throwable exc) {
        if (FutureCompletion.isFutureOnly(handler) || group.mayInvokeDirectly()) {
            call(handler, attachment, result, exc);
        } else {
            handOff(group, () -> call(handler, attachment, result, exc));
        }
    }

    private static long next(long s) {
        return ((s & ~PHASE) + 4) | RUNNING;
    }

    /** The group's thread, after readiness (or a close) claimed the armed operation. */
    @Override
    public final void run() {
        drive(false);
    }

    /** Readiness may have changed: an armed operation whose socket is ready (or closed) goes to the group. */
    final void readinessChanged() {
        long s = state;
        if ((s & PHASE) == ARMED && readyOrClosed() && STATE.compareAndSet(this, s, (s & ~PHASE) | RUNNING)) {
            handOff(group, this);
        }
    }

    /** Owning the operation (RUNNING): tries it until it completes or is armed. */
    private void drive(boolean initiating) {
        while (true) {
            Object r;
            Throwable exc = null;
            try {
                r = attempt();
            } catch (ClosedChannelException e) {
                r = null;
                exc = new AsynchronousCloseException(); // closed while pending, as the JDK reports it
            } catch (IOException | RuntimeException e) {
                r = null;
                exc = e;
            }
            if (r == NOT_READY) {
                long running = state;
                if (initiating && timeoutNanos > 0 && timer == null) {
                    long seq = running & ~PHASE;
                    timer = AsyncTimeouts.schedule(() -> timedOut(seq), timeoutNanos);
                }
                long armed = (running & ~PHASE) | ARMED;
                STATE.setVolatile(this, armed);
                // readiness that came between the attempt and the arming found nothing armed: look again
                if (!readyOrClosed() || !STATE.compareAndSet(this, armed, running)) {
                    return;
                }
                continue;
            }
            complete(r, exc);
            return;
        }
    }

    /** The timer of operation {@code seq}: fails it with InterruptedByTimeoutException if it is still armed. */
    private void timedOut(long seq) {
        while (true) {
            long s = state;
            if ((s & ~PHASE) != seq || (s & PHASE) == IDLE) {
                return; // completed, perhaps another operation started since
            }
            if ((s & PHASE) == ARMED && STATE.compareAndSet(this, s, (s & ~PHASE) | RUNNING)) {
                break;
            }
            Thread.onSpinWait(); // RUNNING: a try in progress, a few instructions without blocking
        }
        killed = true; // before the handler can start another: the JDK forbids it after a timeout
        complete(null, new InterruptedByTimeoutException());
    }

    /** Ends the owned operation and runs its handler: here if allowed, else on the group. */
    private void complete(Object result, Throwable exc) {
        Object a = attachment;
        CompletionHandler<Object, Object> h = handler;
        attachment = null;
        handler = null;
        ScheduledFuture<?> t = timer;
        if (t != null) {
            timer = null;
            t.cancel(false);
        }
        Throwable failure = exc == null ? null : failing(exc);
        STATE.setVolatile(this, state & ~PHASE); // IDLE: the handler may start the next one
        completeNow(group, h, a, result, failure);
    }

    private static <V, A> void call(CompletionHandler<V, ? super A> h, A attachment, V result, Throwable exc) {
        if (exc == null) {
            h.completed(result, attachment);
        } else {
            h.failed(exc, attachment);
        }
        Thread.interrupted(); // as the JDK's invoker: a handler's interrupt does not outlive it
    }

    /**
     * To the group's threads. Only a group that has terminated refuses, and only channels closed
     * before it terminated get here then (their close's handlers): those run on this thread.
     */
    private static void handOff(AsynchronousGroup group, Runnable task) {
        try {
            group.execute(task);
        } catch (ShutdownChannelGroupException e) {
            task.run();
        }
    }
}
