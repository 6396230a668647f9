package io.dmm.stack.userspace.tcp;

/**
 * Per-socket options, set by the channel before connect/listen (buffer sizes fix the window scale
 * then, as on Linux) and passed to {@link TcpStack}; a connection copies them, and so does each
 * connection a listener accepts (as Linux's accepted sockets inherit the listener's). Plain
 * mutable holder.
 */
public final class TcpSocketOptions {
    /** TCP_NODELAY: disables Nagle. */
    public boolean noDelay;
    /** SO_KEEPALIVE. */
    public boolean keepAlive;
    /** TCP_KEEPIDLE in seconds; 0 means the stack's {@code keepAliveIdle}. */
    public int keepAliveIdleSeconds;
    /** TCP_KEEPINTERVAL in seconds; 0 means the stack's {@code keepAliveInterval}. */
    public int keepAliveIntervalSeconds;
    /** TCP_KEEPCOUNT; 0 means the stack's {@code keepAliveProbes}. */
    public int keepAliveProbes;
    /** SO_SNDBUF in bytes; 0 means the stack's default. */
    public int sendBufferSize;
    /** SO_RCVBUF in bytes (sizes the receive window); 0 means the stack's default. */
    public int receiveBufferSize;
    /** SO_LINGER in seconds, -1 when off; 0 makes close() send RST. */
    public int lingerSeconds = -1;
    /** SO_REUSEADDR. */
    public boolean reuseAddress;
    /** IP_TOS: the IPv4 header's DSCP/ECN byte on every segment (the channel keeps the ECN bits 0, as Linux does for TCP). */
    public int typeOfService;
    /** SO_OOBINLINE: an urgent byte stays in the stream; off, reads skip it (as Linux). */
    public boolean oobInline;
    /** SO_REUSEPORT: several sockets may bind one address and port; listeners take new connections by flow hash. */
    public boolean reusePort;

    public TcpSocketOptions copy() {
        TcpSocketOptions o = new TcpSocketOptions();
        o.noDelay = noDelay;
        o.keepAlive = keepAlive;
        o.keepAliveIdleSeconds = keepAliveIdleSeconds;
        o.keepAliveIntervalSeconds = keepAliveIntervalSeconds;
        o.keepAliveProbes = keepAliveProbes;
        o.sendBufferSize = sendBufferSize;
        o.receiveBufferSize = receiveBufferSize;
        o.lingerSeconds = lingerSeconds;
        o.reuseAddress = reuseAddress;
        o.typeOfService = typeOfService;
        o.oobInline = oobInline;
        o.reusePort = reusePort;
        return o;
    }
}
