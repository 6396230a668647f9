package io.dmm.jdk.options;

import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.Objects;
import java.util.Set;

/**
 * The JDK's checks of a socket option and its value, in the JDK's order and with its texts, for every
 * stack and for DMM's channels before they are routed.
 *
 * <p>A JDK channel's {@code setOption} checks the name ({@link #checkSupported}) and the value's type
 * ({@link #checkType}) before it looks at its own state, then, once it knows it is open, the range
 * ({@link #checkRange}, from {@code sun.nio.ch.Net.setSocketOption}): so a closed channel refuses a
 * wrong type with IllegalArgumentException but an out-of-range value with ClosedChannelException.
 */
public final class SocketOptionValues {
    /** The largest SO_LINGER the JDK passes on; larger values are lowered to it. */
    static final int MAX_LINGER = 65535;
    /** Linux's MAX_TCP_KEEPIDLE and MAX_TCP_KEEPINTVL, in seconds. */
    static final int MAX_KEEPALIVE_SECONDS = 32767;
    /** Linux's MAX_TCP_KEEPCNT. */
    static final int MAX_KEEPALIVE_PROBES = 127;

    private SocketOptionValues() {
    }

    /** NullPointerException for a null name, UnsupportedOperationException for one not in {@code supported}. */
    public static void checkSupported(SocketOption<?> name, Set<SocketOption<?>> supported) {
        Objects.requireNonNull(name);
        if (!supported.contains(name)) {
            throw new UnsupportedOperationException("'" + name + "' not supported");
        }
    }

    /** IllegalArgumentException unless {@code value} is of the option's type (so null never is). */
    public static void checkType(SocketOption<?> name, Object value) {
        if (!name.type().isInstance(value)) {
            throw new IllegalArgumentException("Invalid value '" + value + "'");
        }
    }

    /**
     * The value as the option will hold it, of a value that passed {@link #checkType}: the JDK's
     * range checks (IllegalArgumentException) and its one normalisation, SO_LINGER into -1..65535.
     */
    public static Object checkRange(SocketOption<?> name, Object value) {
        if (name == StandardSocketOptions.SO_RCVBUF || name == StandardSocketOptions.SO_SNDBUF) {
            if ((Integer) value < 0) {
                throw new IllegalArgumentException("Invalid send/receive buffer size");
            }
        } else if (name == StandardSocketOptions.SO_LINGER) {
            int seconds = (Integer) value;
            if (seconds < 0) {
                return -1;
            }
            if (seconds > MAX_LINGER) {
                return MAX_LINGER;
            }
        } else if (name == StandardSocketOptions.IP_TOS) {
            checkByte((Integer) value, "Invalid IP_TOS value");
        } else if (name == StandardSocketOptions.IP_MULTICAST_TTL) {
            checkByte((Integer) value, "Invalid TTL/hop value");
        }
        return value;
    }

    /**
     * What Linux itself refuses of a value that passed {@link #checkRange}, as the JDK reports it:
     * SocketException("Invalid argument") (EINVAL) for TCP_KEEPIDLE and TCP_KEEPINTERVAL outside
     * 1..32767 and TCP_KEEPCOUNT outside 1..127 (include/net/tcp.h), and the JDK's own refusal to set
     * the read-only SO_INCOMING_NAPI_ID. Options are told by name: module jdk.net may be absent.
     */
    public static void checkPlatformLimits(SocketOption<?> name, Object value) throws SocketException {
        switch (name.name()) {
            case "TCP_KEEPIDLE", "TCP_KEEPINTERVAL" -> checkKernelRange((Integer) value, MAX_KEEPALIVE_SECONDS);
            case "TCP_KEEPCOUNT" -> checkKernelRange((Integer) value, MAX_KEEPALIVE_PROBES);
            case "SO_INCOMING_NAPI_ID" -> throw new SocketException("Attempt to set read only option " + name.name());
            default -> { }
        }
    }

    private static void checkKernelRange(int value, int max) throws SocketException {
        if (value < 1 || value > max) {
            throw new SocketException("Invalid argument");
        }
    }

    /** {@link #checkType} then {@link #checkRange}, for a caller that has already checked its state. */
    public static Object check(SocketOption<?> name, Object value) {
        checkType(name, value);
        return checkRange(name, value);
    }

    private static void checkByte(int value, String message) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException(message);
        }
    }
}
