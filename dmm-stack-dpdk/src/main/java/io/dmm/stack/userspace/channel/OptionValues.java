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

    /** The TCP engine's default configuration: what a TCP channel's buffer sizes report while left at the default. */
    private static final TcpConfig TCP_DEFAULTS = TcpConfig.defaults();

    private OptionValues() {}

    static int bufferSize(int configured) {
        return configured == 0 ? DEFAULT_BUFFER_SIZE : configured;
    }

    static int tcpSendBufferSize(int configured) {
        return configured == 0 ? TCP_DEFAULTS.defaultSendBuffer : configured;
    }

    static int tcpReceiveBufferSize(int configured) {
        return configured == 0 ? TCP_DEFAULTS.defaultReceiveBuffer : configured;
    }
}
