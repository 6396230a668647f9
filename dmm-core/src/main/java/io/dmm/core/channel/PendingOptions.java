package io.dmm.core.channel;

import java.io.IOException;
import java.nio.channels.NetworkChannel;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Socket options a program set before its channel was routed, in the order it set them (a value
 * set again moves to the end), applied to the chosen stack's channel once routing happens. Not
 * thread-safe: the owning channel guards it with its state lock.
 */
final class PendingOptions {
    private final Map<SocketOption<?>, Object> values = new LinkedHashMap<>();

    /** Checks a value the way the JDK does before it would reach the socket (the socket comes later). */
    static void validate(SocketOption<?> name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("Invalid option value");
        }
        if (!name.type().isInstance(value)) {
            throw new IllegalArgumentException("Invalid value '" + value + "' for " + name.name());
        }
        if ((name == StandardSocketOptions.SO_SNDBUF || name == StandardSocketOptions.SO_RCVBUF)
                && (Integer) value < 0) {
            throw new IllegalArgumentException("Invalid send/receive buffer size");
        }
        if (name == StandardSocketOptions.IP_TOS && ((Integer) value < 0 || (Integer) value > 255)) {
            throw new IllegalArgumentException("Invalid IP_TOS value");
        }
    }

    void put(SocketOption<?> name, Object value) {
        values.remove(name);
        values.put(name, value);
    }

    boolean contains(SocketOption<?> name) {
        return values.containsKey(name);
    }

    Object get(SocketOption<?> name) {
        return values.get(name);
    }

    /** Sets every remembered option on {@code channel}, in order. */
    void applyTo(NetworkChannel channel) throws IOException {
        for (Map.Entry<SocketOption<?>, Object> e : values.entrySet()) {
            set(channel, e.getKey(), e.getValue());
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void set(NetworkChannel channel, SocketOption<T> name, Object value) throws IOException {
        channel.setOption(name, (T) value);
    }
}
