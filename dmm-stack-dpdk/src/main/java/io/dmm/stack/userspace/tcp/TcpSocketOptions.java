package io.dmm.stack.userspace.tcp;

/**
 * Per-socket options, set by the channel before connect/listen (buffer sizes fix the window scale
 * then, as on Linux) and passed to {@link TcpStack}; a connection copies them. Plain mutable holder.
 */
public final class TcpSocketOptions {
    /** TCP_NODELAY: disables Nagle. */
    public boolean noDelay;
    /** SO_KEEPALIVE. */
    public boolean keepAlive;
    /** SO_SNDBUF in bytes; 0 means the stack's default. */
    public int sendBufferSize;
    /** SO_RCVBUF in bytes (sizes the receive window); 0 means the stack's default. */
    public int receiveBufferSize;
    /** SO_LINGER in seconds, -1 when off; 0 makes close() send RST. */
    public int lingerSeconds = -1;
    /** SO_REUSEADDR. */
    public boolean reuseAddress;
    /** SO_REUSEPORT: several sockets may bind one address and port; listeners take new connections by flow hash. */
    public boolean reusePort;

    public TcpSocketOptions copy() {
        TcpSocketOptions o = new TcpSocketOptions();
        o.noDelay = noDelay;
        o.keepAlive = keepAlive;
        o.sendBufferSize = sendBufferSize;
        o.receiveBufferSize = receiveBufferSize;
        o.lingerSeconds = lingerSeconds;
        o.reuseAddress = reuseAddress;
        o.reusePort = reusePort;
        return o;
    }
}
