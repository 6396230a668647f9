package io.dmm.stack.userspace.channel;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The timer of the userspace asynchronous channels' read and write timeouts: one daemon thread for
 * the JVM, which only claims a timed-out operation and hands its handler to the channel's group.
 */
final class AsyncTimeouts {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private AsyncTimeouts() {
    }

    static ScheduledFuture<?> schedule(Runnable task, long nanos) {
        return TIMER.schedule(task, nanos, TimeUnit.NANOSECONDS);
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("dmm-userspace-async-timeouts").factory());
        t.setRemoveOnCancelPolicy(true); // completed operations' timers go at once, not at their deadline
        return t;
    }
}
