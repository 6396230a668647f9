package io.dmm.api.testing;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A call run on a thread of its own, so that a test can wait until it blocks
 * ({@link #awaitBlockedIn}), disturb it (interrupt the thread, close the channel, wake the
 * selector), and then see how it ended — every wait with a deadline, so no test hangs on it.
 *
 * @param <T> what the call returns
 */
public final class BackgroundCall<T> {
    /** The call: anything that may block and may throw. */
    @FunctionalInterface
    public interface Body<T> {
        T call() throws Exception;
    }

    /** A call that returns nothing. */
    @FunctionalInterface
    public interface VoidBody {
        void run() throws Exception;
    }

    private final String what;
    private final Thread thread;
    private final CompletableFuture<T> outcome = new CompletableFuture<>();
    private volatile boolean interruptedAtEnd;

    private BackgroundCall(String what, Thread.Builder builder, Body<T> body) {
        this.what = what;
        this.thread = builder.unstarted(() -> {
            try {
                T value = body.call();
                interruptedAtEnd = Thread.currentThread().isInterrupted();
                outcome.complete(value);
            } catch (Throwable t) {
                interruptedAtEnd = Thread.currentThread().isInterrupted();
                outcome.completeExceptionally(t);
            }
        });
    }

    /** Starts {@code body} on a new daemon platform thread named after {@code what}. */
    public static <T> BackgroundCall<T> start(String what, Body<T> body) {
        return start(what, Thread.ofPlatform().daemon(true).name("call-" + what), body);
    }

    /** Starts {@code body} on a new thread from {@code builder} (e.g. {@code Thread.ofVirtual()}). */
    public static <T> BackgroundCall<T> start(String what, Thread.Builder builder, Body<T> body) {
        BackgroundCall<T> c = new BackgroundCall<>(what, builder, body);
        c.thread.start();
        return c;
    }

    /** {@link #start(String, Thread.Builder, Body)} for a call that returns nothing. */
    public static BackgroundCall<Void> run(String what, Thread.Builder builder, VoidBody body) {
        return start(what, builder, () -> {
            body.run();
            return null;
        });
    }

    /** {@link #start(String, Body)} for a call that returns nothing. */
    public static BackgroundCall<Void> run(String what, VoidBody body) {
        return start(what, () -> {
            body.run();
            return null;
        });
    }

    public Thread thread() {
        return thread;
    }

    public boolean isDone() {
        return outcome.isDone();
    }

    /**
     * Waits until the call's thread is blocked in a method named {@code method} (see
     * {@link BlockedThreads}); fails if the call ended first, saying how it ended.
     */
    public BackgroundCall<T> awaitBlockedIn(String method) throws InterruptedException {
        try {
            BlockedThreads.awaitBlockedIn(thread, method);
        } catch (AssertionError notBlocked) {
            if (outcome.isDone()) {
                throw new AssertionError(what + " did not block in " + method + "(): it " + describe(outcome),
                        notBlocked);
            }
            throw notBlocked;
        }
        return this;
    }

    /** What the call returned, waiting up to {@code within}; fails if it threw or is still running. */
    public T result(Duration within) throws InterruptedException {
        await(within);
        if (outcome.state() == Future.State.FAILED) {
            throw new AssertionError(what + " threw; it should have returned", outcome.exceptionNow());
        }
        return outcome.resultNow();
    }

    /** What the call threw, waiting up to {@code within}; fails if it returned or is still running. */
    public Throwable thrown(Duration within) throws InterruptedException {
        await(within);
        if (outcome.state() != Future.State.FAILED) {
            throw new AssertionError(what + " returned " + outcome.resultNow() + "; it should have thrown");
        }
        return outcome.exceptionNow();
    }

    /** Whether the call's thread had its interrupt status set when the call ended (after {@link #thrown}/{@link #result}). */
    public boolean interruptedAtEnd() {
        return interruptedAtEnd;
    }

    /** Waits up to {@code within} for the call to end; if it does not, interrupts it and fails with its stack. */
    private void await(Duration within) throws InterruptedException {
        try {
            outcome.get(within.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException thrown) {
            // the outcome: looked at by the caller
        } catch (TimeoutException e) {
            StackTraceElement[] stack = thread.getStackTrace();
            thread.interrupt(); // do not leave it blocked behind the test
            throw new AssertionError(what + " still running after " + within + ", at:" + BlockedThreads.format(stack));
        }
    }

    private static String describe(CompletableFuture<?> done) {
        return done.state() == Future.State.FAILED
                ? "threw " + done.exceptionNow()
                : "returned " + done.resultNow();
    }
}
