package io.dmm.api.testing;

import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The server-side tasks of a test (one per accepted connection), kept so that a server that fails
 * fails the test: the client side alone may not notice (a server that throws after its reply).
 * Finished tasks are dropped as new ones come, their first failure kept, so a test of 100,000
 * connections holds only the running ones.
 */
public final class ServerTasks {
    private final ExecutorService threads;
    private final Queue<Future<?>> running = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    public ServerTasks(ExecutorService threads) {
        this.threads = threads;
    }

    public void submit(Callable<?> task) {
        running.add(threads.submit(task));
        running.removeIf(this::ended);
    }

    /**
     * Waits, {@code timeout} in all, for every task to end; fails with the first task's failure, or
     * if some are still running then.
     */
    public void awaitAll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (Future<?> f; (f = running.peek()) != null; running.remove(f)) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                if (!ended(f)) {
                    long left = running.stream().filter(r -> !r.isDone()).count();
                    throw new AssertionError(left + " server tasks still running after " + timeout + " " + unit,
                            failure.get());
                }
            }
        }
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("a server task failed: " + t, t);
        }
    }

    /** Whether {@code f} has ended; keeps its failure if it is the first. */
    private boolean ended(Future<?> f) {
        if (f.state() == Future.State.FAILED) {
            failure.compareAndSet(null, f.exceptionNow());
        }
        return f.isDone();
    }
}
