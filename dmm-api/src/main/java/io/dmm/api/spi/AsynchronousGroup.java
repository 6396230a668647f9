package io.dmm.api.spi;

import java.nio.channels.AsynchronousChannelGroup;

/**
 * The asynchronous channel group a stack's asynchronous channel lives in, as DMM hands it to
 * {@link StackInstance#openAsynchronousSocketChannel} (one per group the program made, one for the
 * default group). A stack of file descriptors opens the platform's channels in {@link #platform()};
 * a stack without runs its channels' completion handlers directly ({@link #mayInvokeDirectly}) or
 * through {@link #execute}, on the group's threads, as the JDK's channels do on theirs.
 *
 * <p>The group's lifecycle is DMM's: it counts the routed channels over a stack's channels, closes
 * them on {@code shutdownNow()} and stops the threads behind {@link #execute} only after the last
 * one closed and the handlers it queued ran. A stack's channel need not register anywhere.
 */
public interface AsynchronousGroup {
    /**
     * The platform's group underneath, where the platform's own channels (the kernel stack's) are
     * opened; null for the platform's default group.
     */
    AsynchronousChannelGroup platform();

    /**
     * Whether the calling thread may run, itself and now, the completion handler of an operation
     * whose outcome it already knows, on the JDK's terms ({@code sun.nio.ch.Invoker.invoke}): only
     * when it is one of this group's threads that has not yet run
     * {@code sun.nio.ch.maxCompletionHandlersOnStack} (default 16) handlers directly since it took
     * its current task. True counts one such handler; on false the caller hands the handler to
     * {@link #execute}. A question, not a method taking the handler, so that the common direct case
     * allocates nothing.
     */
    boolean mayInvokeDirectly();

    /**
     * Runs {@code task} on one of the group's threads, never the caller's: for completions a stack's
     * own thread found (readiness, a timeout, a close), where the handler must not run inside the
     * stack. On a group's thread, {@code task} may run handlers directly ({@link #mayInvokeDirectly}).
     */
    void execute(Runnable task);
}
