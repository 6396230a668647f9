package io.dmm.api.spi;

/**
 * Implemented by the channels of a stack that has no file descriptors (a userspace stack): how
 * DMM's cross-stack Selector learns when such a channel is ready. Channels of a stack that has file
 * descriptors are the JDK's own (platform) channels and need nothing: DMM registers them with a JDK
 * selector of its own. A stack channel that is neither cannot be registered with a Selector.
 *
 * <p>The model is level-triggered, as the JDK's selectors are:
 * <ul>
 *   <li>{@link #readyOps()} answers the channel's readiness <em>now</em>, in
 *       {@link java.nio.channels.SelectionKey} bits: {@code OP_READ} when a read would not block
 *       (data, end of stream, or an error to report), {@code OP_WRITE} when a write would not
 *       block, {@code OP_CONNECT} when {@code finishConnect} would not block, {@code OP_ACCEPT}
 *       when {@code accept} would not block. DMM masks it with the key's interest set.</li>
 *   <li>Whenever readiness may have changed (bytes arrived, buffer space freed, a connection
 *       completed or was accepted into the queue, the peer closed, an error occurred), the stack
 *       calls the listener. Extra calls are harmless (DMM asks {@link #readyOps()} again); a
 *       missing call leaves a selector asleep. DMM keeps asking a channel that stays ready at every
 *       select without further calls, so a stack need not call again while nothing changes.</li>
 * </ul>
 *
 * <p>The listener may be called from any thread, including the stack's own poller, and returns
 * quickly without blocking (it marks the channel and wakes the selector). It must not be called
 * while holding a lock that {@link #readyOps()} takes, since DMM may call readyOps() from the
 * selecting thread at the same time.
 */
public interface ReadinessSource {
    /** The operations that would not block now ({@link java.nio.channels.SelectionKey} bits). */
    int readyOps();

    /**
     * Sets the one listener to call when readiness may have changed (replacing any earlier one),
     * or null for none. DMM sets it when the channel is first registered with one of its selectors.
     * Setting it does not call it; DMM asks {@link #readyOps()} right after.
     */
    void setReadinessListener(ReadinessListener listener);

    /**
     * How a selecting thread may poll this channel's stack before it sleeps ({@link BusyPoller}), or
     * null (the default) when the stack reports readiness by itself and there is nothing to poll.
     */
    default BusyPoller busyPoller() {
        return null;
    }
}
