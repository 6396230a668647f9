package io.dmm.api.spi;

/**
 * How a thread about to sleep in a {@link java.nio.channels.Selector} can receive a stack's packets
 * itself for a moment instead, as Linux's epoll busy poll does: the packet it waits for is then
 * handled on its own CPU, with no hand-off from the stack's poller and no wake-up. Offered by
 * {@link ReadinessSource#busyPoller()} for stacks whose device must be polled anyway (a DPDK port, a
 * tap); every channel of one stack instance offers the same poller, so a selector polls each
 * instance once per turn however many of its channels it holds.
 *
 * <p>Calls come from the selecting thread, never block, and may run protocol work (and readiness
 * listeners) before they return.
 */
public interface BusyPoller {
    /**
     * Receives what the device holds now, unless another thread is at it. Returns false once the
     * stack is closed or down for good, after which the selector forgets this poller.
     */
    boolean poll();

    /** How long a selecting thread polls before it sleeps, in nanoseconds; 0 or less: not at all. */
    long spinNanos();

    /** The selecting thread stops polling and is about to sleep: the stack's own poller takes over. */
    void ended();
}
