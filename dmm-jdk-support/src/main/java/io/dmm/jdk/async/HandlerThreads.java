package io.dmm.jdk.async;

import java.nio.channels.ShutdownChannelGroupException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads that run one asynchronous channel group's completion handlers for channels that are
 * not the platform's (the platform's run on the platform group's own threads, out of reach outside
 * java.base), with the JDK's rules ({@code sun.nio.ch.Invoker}): a handler whose outcome the
 * initiating thread knows runs directly on that thread if it is one of the group's and has run
 * fewer than {@code sun.nio.ch.maxCompletionHandlersOnStack} handlers directly since it took its
 * current task; otherwise, and for outcomes found by other threads, it is handed to the pool.
 *
 * <p>The pool is made at the first hand-off, so a group whose channels are all the platform's
 * costs no thread. Its threads come from the group's ThreadFactory (a fixed pool of the group's
 * size), the group's ExecutorService, or, for the default group, a cached pool of daemon threads,
 * as the JDK's default group is.
 */
public final class HandlerThreads {
    /** The JDK's bound on handlers run directly on one thread before it returns to its pool. */
    private static final int MAX_DIRECT = maxDirect();

    /** The group the current thread is working for, and how many handlers it ran directly. */
    private static final ThreadLocal<Member> MEMBER = new ThreadLocal<>();

    private static final class Member {
        final HandlerThreads threads;
        int direct;

        Member(HandlerThreads threads) {
            this.threads = threads;
        }
    }

    private interface PoolMaker {
        ExecutorService make(HandlerThreads owner);
    }

    private final PoolMaker maker;
    /** Whether each task is bound to the group as it runs (a given executor), not each thread once. */
    private final boolean bindPerTask;
    private volatile ExecutorService pool;
    private boolean shutdown; // guarded by this

    private HandlerThreads(PoolMaker maker, boolean bindPerTask) {
        this.maker = maker;
        this.bindPerTask = bindPerTask;
    }

    /** {@code nThreads} threads made by {@code factory}, as a group of a fixed thread pool. */
    public static HandlerThreads fixed(int nThreads, ThreadFactory factory) {
        return new HandlerThreads(owner -> owner.boundPool(nThreads, nThreads, 0L, new LinkedBlockingQueue<>(),
                factory), false);
    }

    /** Threads made by {@code factory} as handlers need them, idle ones ending after a minute (the default group). */
    public static HandlerThreads cached(ThreadFactory factory) {
        return new HandlerThreads(owner -> owner.boundPool(0, Integer.MAX_VALUE, 60L, new SynchronousQueue<>(),
                factory), false);
    }

    /** The group's own executor (a group made over an ExecutorService): each task is bound as it runs. */
    public static HandlerThreads over(ExecutorService executor) {
        HandlerThreads t = new HandlerThreads(owner -> executor, true);
        t.pool = executor;
        return t;
    }

    private ExecutorService boundPool(int core, int max, long keepAliveSeconds,
                                      BlockingQueue<Runnable> queue, ThreadFactory factory) {
        ThreadFactory binding = r -> factory.newThread(() -> {
            MEMBER.set(new Member(this));
            r.run();
        });
        return new ThreadPoolExecutor(core, max, keepAliveSeconds, TimeUnit.SECONDS, queue, binding) {
            @Override
            protected void beforeExecute(Thread t, Runnable r) {
                Member m = MEMBER.get();
                if (m != null) {
                    m.direct = 0; // a new task: back in the pool, the thread's handler depth starts over
                }
            }
        };
    }

    /**
     * Whether this thread is one of this group's with direct invocations left; if so, counts one
     * (the caller runs its handler now).
     */
    public boolean mayInvokeDirectly() {
        Member m = MEMBER.get();
        if (m != null && m.threads == this && m.direct < MAX_DIRECT) {
            m.direct++;
            return true;
        }
        return false;
    }

    /**
     * Runs {@code task} on one of the pool's threads; there, handlers may run directly ({@link #mayInvokeDirectly}).
     *
     * @throws ShutdownChannelGroupException if the group has terminated (and so has its pool); on one
     *         of its own threads, which are finishing the last tasks, the task runs there instead, as
     *         the JDK's invoker falls back
     */
    public void execute(Runnable task) {
        try {
            ExecutorService p = pool();
            p.execute(bindPerTask ? bound(task) : task);
        } catch (RejectedExecutionException e) {
            Member m = MEMBER.get();
            if (m != null && m.threads == this) {
                task.run();
                return;
            }
            throw new ShutdownChannelGroupException();
        }
    }

    private Runnable bound(Runnable task) {
        return () -> {
            Member outer = MEMBER.get();
            MEMBER.set(new Member(this));
            try {
                task.run();
            } finally {
                if (outer == null) MEMBER.remove();
                else MEMBER.set(outer);
            }
        };
    }

    private ExecutorService pool() {
        ExecutorService p = pool;
        if (p != null) {
            return p;
        }
        synchronized (this) {
            if (pool == null) {
                if (shutdown) {
                    throw new RejectedExecutionException("group terminated");
                }
                pool = maker.make(this);
            }
            return pool;
        }
    }

    /** Stops taking tasks; those queued still run, then the threads end. */
    public void shutdown() {
        ExecutorService p;
        synchronized (this) {
            shutdown = true;
            p = pool;
        }
        if (p != null) {
            p.shutdown();
        }
    }

    /** Whether shut down and every task has run. */
    public boolean isTerminated() {
        ExecutorService p;
        synchronized (this) {
            if (!shutdown) {
                return false;
            }
            p = pool;
        }
        return p == null || p.isTerminated();
    }

    /** Waits up to {@code timeout} for {@link #isTerminated()}; false if it is not by then. */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        ExecutorService p;
        synchronized (this) {
            p = pool;
        }
        return p == null ? isTerminated() : p.awaitTermination(timeout, unit) && isTerminated();
    }

    private static int maxDirect() {
        try {
            String v = System.getProperty("sun.nio.ch.maxCompletionHandlersOnStack");
            return v == null ? 16 : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return 16; // as the JDK: a bad value is the default
        }
    }
}
