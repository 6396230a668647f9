package io.dmm.stack.userspace;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A socket call made on a thread of its own, so a test can let it block, break what it waits on,
 * and then see how it ended: what it threw, and how soon.
 */
public final class BlockedCall {
    /** A socket call that may throw anything. */
    @FunctionalInterface
    public interface Call {
        void run() throws Exception;
    }

    private final String what;
    private final Thread thread;
    private final CompletableFuture<Throwable> outcome = new CompletableFuture<>();

    private BlockedCall(String what, Call call) {
        this.what = what;
        this.thread = Thread.ofPlatform().daemon(true).name("blocked-" + what).unstarted(() -> {
            try {
                call.run();
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
    }

    /** Starts {@code call} and waits (up to 10 s) until its thread is parked inside it. */
    public static BlockedCall start(String what, Call call) throws InterruptedException {
        BlockedCall c = new BlockedCall(what, call);
        c.thread.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Thread.State s = c.thread.getState();
            if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) return c;
            if (c.outcome.isDone()) fail(what + " did not block: it ended with " + c.outcome.getNow(null));
            if (System.nanoTime() - deadline > 0) fail(what + " did not block within 10 s (state " + s + ")");
            Thread.sleep(1);
        }
    }

    /** What the call threw, waiting up to {@code within}; fails if it returned normally or is still blocked. */
    public Throwable thrown(Duration within) throws InterruptedException {
        Throwable t;
        try {
            t = outcome.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            thread.interrupt();  // do not leave it parked behind the test
            throw new AssertionError(what + " was still blocked after " + within);
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
        if (t == null) fail(what + " returned normally; it should have thrown");
        return t;
    }
}
