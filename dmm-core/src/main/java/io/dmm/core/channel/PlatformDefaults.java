package io.dmm.core.channel;

import io.dmm.jdk.platform.PlatformChannels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.nio.channels.NetworkChannel;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What an unrouted channel answers to {@code supportedOptions()} and {@code getOption(...)}: the
 * JDK's defaults for that kind of channel, read once from a throwaway platform channel. (The stack
 * chosen later may apply its own defaults; from routing on, the real channel answers.)
 */
final class PlatformDefaults {
    enum Kind { SOCKET, SERVER, DATAGRAM, ASYNC_SOCKET, ASYNC_SERVER }

    record Snapshot(Set<SocketOption<?>> supported, Map<SocketOption<?>, Object> values) {
    }

    private static final Map<Kind, Snapshot> CACHE = new java.util.concurrent.ConcurrentHashMap<>();
    private static volatile InetAddress inet6Wildcard;
    private static volatile Boolean ipv6;

    private PlatformDefaults() {
    }

    static Snapshot of(Kind kind) {
        return CACHE.computeIfAbsent(kind, PlatformDefaults::read);
    }

    private static Snapshot read(Kind kind) {
        try (NetworkChannel ch = switch (kind) {
            case SOCKET -> PlatformChannels.openSocketChannel(null);
            case SERVER -> PlatformChannels.openServerSocketChannel(null);
            case DATAGRAM -> PlatformChannels.openDatagramChannel(null);
            case ASYNC_SOCKET -> PlatformChannels.openAsynchronousSocketChannel(null);
            case ASYNC_SERVER -> PlatformChannels.openAsynchronousServerSocketChannel(null);
        }) {
            Map<SocketOption<?>, Object> values = new HashMap<>();
            for (SocketOption<?> o : ch.supportedOptions()) {
                try {
                    values.put(o, ch.getOption(o));
                } catch (IOException | RuntimeException e) {
                    // an option that cannot be read on an unbound socket has no default to show
                }
            }
            return new Snapshot(Set.copyOf(ch.supportedOptions()), Collections.unmodifiableMap(values));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the platform's default socket options", e);
        }
    }

    /** True if this host can open IPv6 sockets (then unspecified-family channels are dual-stack). */
    static boolean ipv6Available() {
        Boolean v = ipv6;
        if (v == null) {
            try (NetworkChannel ch = PlatformChannels.openDatagramChannel(StandardProtocolFamily.INET6)) {
                v = Boolean.TRUE;
            } catch (IOException | UnsupportedOperationException e) {
                v = Boolean.FALSE;
            }
            ipv6 = v;
        }
        return v;
    }

    /** The wildcard address a channel of {@code family} (null: the default) binds to for bind(null). */
    static InetAddress wildcard(ProtocolFamily family) {
        if (family == StandardProtocolFamily.INET || !ipv6Available()) {
            return Addresses.INET4_ANY;
        }
        InetAddress a = inet6Wildcard;
        if (a == null) {
            a = inet6Wildcard = InetAddress.ofLiteral("::");
        }
        return a;
    }
}
