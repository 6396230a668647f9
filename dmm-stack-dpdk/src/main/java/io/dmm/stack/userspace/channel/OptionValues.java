package io.dmm.stack.userspace.channel;

import io.dmm.stack.userspace.tcp.TcpConfig;

/**
 * What the userspace channels report for buffer sizes left at the stack's default (the JDK's checks of
 * option values are io.dmm.jdk.options.SocketOptionValues, shared with every stack).
 */
final class OptionValues {
    /**
     * What a datagram channel's SO_SNDBUF/SO_RCVBUF report while left at the stack's default (0 asks
     * the engine for it): the UDP stack's configured size is not visible to the channel.
     */
    static final int DEFAULT_BUFFER_SIZE = 65536;

    /**
     * The largest SO_RCVBUF a datagram channel takes: its receive queue is that much memory, taken
     * at bind, so a program asking for Integer.MAX_VALUE (as some probe for "as large as allowed")
     * gets this, as Linux caps the value at {@code net.core.rmem_max}; getOption reports it.
     */
    static final int MAX_DATAGRAM_RECEIVE_BUFFER = 16 << 20;

    /** The TCP engine's default configuration: what a TCP channel's buffer sizes report while left at the default. */
    private static final TcpConfig TCP_DEFAULTS = TcpConfig.defaults();

    private OptionValues() {}

    static int bufferSize(int configured) {
        return configured == 0 ? DEFAULT_BUFFER_SIZE : configured;
    }

    /** The receive queue a datagram channel gets for SO_RCVBUF {@code requested}: at most {@link #MAX_DATAGRAM_RECEIVE_BUFFER}. */
    static int datagramReceiveBuffer(int requested) {
        return Math.min(requested, MAX_DATAGRAM_RECEIVE_BUFFER);
    }

    static int tcpSendBufferSize(int configured) {
        return configured == 0 ? TCP_DEFAULTS.defaultSendBuffer : configured;
    }

    static int tcpReceiveBufferSize(int configured) {
        return configured == 0 ? TCP_DEFAULTS.defaultReceiveBuffer : configured;
    }
}
