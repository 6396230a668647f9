package io.dmm.stack.userspace;

import io.dmm.api.testing.BackgroundCall;
import io.dmm.api.testing.BlockedThreads;
import java.time.Duration;

/**
 * A socket call made on a thread of its own, so a test can let it block, break what it waits on,
 * and then see how it ended: what it threw, and how soon. "Blocked" is {@link BlockedThreads}'s
 * definition, shared with dmm-core's behaviour suites.
 */
public final class BlockedCall {
    /** A socket call that may throw anything. */
    @FunctionalInterface
    public interface Call {
        void run() throws Exception;
    }

    private final BackgroundCall<Void> call;

    private BlockedCall(BackgroundCall<Void> call) {
        this.call = call;
    }

    /**
     * Starts {@code call} on a daemon thread and waits (up to 10 s) until the thread is blocked in a
     * method named {@code method} ("read", "accept", "receive", "connect"...); fails if the call ends
     * first or does not block there.
     */
    public static BlockedCall start(String method, Call call) throws InterruptedException {
        return new BlockedCall(BackgroundCall.run(method, call::run).awaitBlockedIn(method));
    }

    /** What the call threw, waiting up to {@code within}; fails if it returned normally or is still blocked. */
    public Throwable thrown(Duration within) throws InterruptedException {
        return call.thrown(within);
    }
}
