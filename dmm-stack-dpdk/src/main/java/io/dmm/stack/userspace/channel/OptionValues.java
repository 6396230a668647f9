package io.dmm.stack.userspace.channel;

import io.dmm.stack.userspace.tcp.TcpConfig;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.Objects;
import java.util.Set;

/** The JDK's checks and normalisations of socket option values ({@code sun.nio.ch.Net.setSocketOption}). */
final class OptionValues {
    /**
     * What a datagram channel's SO_SNDBUF/SO_RCVBUF report while left at the stack's default (0 asks
     * the engine for it): the UDP stack's configured size is not visible to the channel.
     */
    static final int DEFAULT_BUFFER_SIZE = 65536;

    /** The TCP engine's default configuration: what a TCP channel's buffer sizes report while left at the default. */
    private static final TcpConfig TCP_DEFAULTS = TcpConfig.defaults();

    private OptionValues() {}

    /** UnsupportedOperationException for an option not in {@code supported}, as the JDK words it. */
    static void checkSupported(SocketOption<?> name, Set<SocketOption<?>> supported) {
        Objects.requireNonNull(name);
        if (!supported.contains(name)) throw new UnsupportedOperationException("'" + name + "' not supported");
    }

    /** The value as the option will hold it; IllegalArgumentException for a wrong type or range. */
    static Object checkValue(SocketOption<?> name, Object value) {
        if (!name.type().isInstance(value)) throw new IllegalArgumentException("Invalid value '" + value + "'");
        if (name == StandardSocketOptions.SO_RCVBUF || name == StandardSocketOptions.SO_SNDBUF) {
            if ((Integer) value < 0) throw new IllegalArgumentException("Invalid send/receive buffer size");
        } else if (name == StandardSocketOptions.SO_LINGER) {
            int i = (Integer) value;
            if (i < 0) return -1;
            if (i > 65535) return 65535;
        } else if (name == StandardSocketOptions.IP_TOS) {
            int i = (Integer) value;
            if (i < 0 || i > 255) throw new IllegalArgumentException("Invalid IP_TOS value");
        }
        return value;
    }

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
