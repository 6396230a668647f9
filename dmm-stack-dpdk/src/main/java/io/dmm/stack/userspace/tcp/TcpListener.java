package io.dmm.stack.userspace.tcp;

import io.dmm.stack.userspace.Notification;

/**
 * A listening socket with its accept queue (the backlog). Methods run under the stack's lock.
 *
 * <p>CONTRACT SKELETON: the engine fills this in.
 */
public final class TcpListener {
    public void setNotification(Notification n) { throw new UnsupportedOperationException(); }

    /** OP_ACCEPT when {@link #accept()} would return a connection. */
    public int readyOps() { throw new UnsupportedOperationException(); }

    /** The next established connection from the queue, or null. */
    public TcpConnection accept() { throw new UnsupportedOperationException(); }

    public int localIp() { throw new UnsupportedOperationException(); }
    public int localPort() { throw new UnsupportedOperationException(); }

    /** Stops listening; connections still queued are reset. */
    public void close() { throw new UnsupportedOperationException(); }
}
