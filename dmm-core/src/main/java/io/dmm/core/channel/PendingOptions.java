package io.dmm.core.channel;

import io.dmm.jdk.options.SocketOptionValues;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Socket options a program set before its channel was routed, in the order it set them (a value
 * set again moves to the end), applied to the chosen stack's channel once routing happens. Until
 * then it answers for the channel: what it supports and what it would get are the platform
 * defaults of its kind. Not thread-safe: the owning channel guards it with its state lock.
 */
final class PendingOptions {
    private static final String OOBINLINE = "SO_OOBINLINE";

    private final PlatformDefaults.Kind kind;
    private final Map<SocketOption<?>, Object> values = new LinkedHashMap<>();

    PendingOptions(PlatformDefaults.Kind kind) {
        this.kind = kind;
    }

    /** What an unrouted channel of this kind supports: the platform's options. */
    Set<SocketOption<?>> supported() {
        return PlatformDefaults.of(kind).supported();
    }

    /**
     * Checks a value as the JDK would once it knows the channel is open (the socket comes later), and
     * as Linux would (a keepalive value out of its range is refused at once, not when it is replayed),
     * and remembers it as the JDK would hold it (SO_LINGER lowered into its range).
     */
    void remember(SocketOption<?> name, Object value) throws SocketException {
        Object held = SocketOptionValues.check(name, value);
        SocketOptionValues.checkPlatformLimits(name, held);
        values.remove(name);
        values.put(name, held);
    }

    /** The remembered value, or else the platform default an unrouted channel reports. */
    Object valueOf(SocketOption<?> name) {
        return values.containsKey(name) ? values.get(name) : PlatformDefaults.of(kind).values().get(name);
    }

    /**
     * Sets every remembered option on {@code channel}, in order. SO_OOBINLINE (the platform's own
     * option, which only its channels know) goes through the channel's Socket, which every stack's
     * TCP channel has.
     */
    void applyTo(NetworkChannel channel) throws IOException {
        for (Map.Entry<SocketOption<?>, Object> e : values.entrySet()) {
            if (e.getKey().name().equals(OOBINLINE) && channel instanceof SocketChannel sc) {
                sc.socket().setOOBInline((Boolean) e.getValue());
            } else {
                set(channel, e.getKey(), e.getValue());
            }
        }
    }

    /**
     * The platform's SO_OOBINLINE option (not a public one: java.net.Socket offers it only as
     * setOOBInline), as an unrouted TCP channel of this kind supports it.
     */
    @SuppressWarnings("unchecked")
    SocketOption<Boolean> oobInline() {
        for (SocketOption<?> o : supported()) {
            if (o.name().equals(OOBINLINE)) {
                return (SocketOption<Boolean>) o;
            }
        }
        throw new UnsupportedOperationException("'" + OOBINLINE + "' not supported");
    }

    @SuppressWarnings("unchecked")
    private static <T> void set(NetworkChannel channel, SocketOption<T> name, Object value) throws IOException {
        channel.setOption(name, (T) value);
    }
}
