package io.dmm.stack.userspace.channel;

import io.dmm.jdk.platform.PlatformChannels;
import io.dmm.stack.userspace.tcp.TcpConfig;
import io.dmm.stack.userspace.tcp.TcpConnection;
import io.dmm.stack.userspace.tcp.TcpSocketOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;

/**
 * The options of the userspace TCP channels: those the JDK's channels offer on Linux (but
 * SO_REUSEPORT), module jdk.net's included when the JVM has it, so that a program sees the same
 * set whichever stack its socket is routed to. Options of jdk.net are told apart by name, so that
 * a JVM without the module (--limit-modules) never loads its classes.
 */
final class TcpChannelOptions {
    static final String KEEPIDLE = "TCP_KEEPIDLE";
    static final String KEEPINTERVAL = "TCP_KEEPINTERVAL";
    static final String KEEPCOUNT = "TCP_KEEPCOUNT";
    static final String QUICKACK = "TCP_QUICKACK";
    static final String NAPI_ID = "SO_INCOMING_NAPI_ID";
    static final String OOBINLINE = "SO_OOBINLINE";

    private static final boolean JDK_NET = ModuleLayer.boot().findModule("jdk.net").isPresent();

    /** A listener's: its own and those its connections inherit. */
    static final Set<SocketOption<?>> SERVER = withJdkNet(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR,
            StandardSocketOptions.SO_REUSEPORT);

    private TcpChannelOptions() {
    }

    /** A TCP socket's; read on first use, as it needs the platform's SO_OOBINLINE. */
    static Set<SocketOption<?>> socket() {
        return SocketSet.OPTIONS;
    }

    private static final class SocketSet {
        static final Set<SocketOption<?>> OPTIONS = socketOptions();

        private static Set<SocketOption<?>> socketOptions() {
            List<SocketOption<?>> all = new ArrayList<>(withJdkNet(StandardSocketOptions.SO_SNDBUF,
                    StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_REUSEADDR,
                    StandardSocketOptions.SO_REUSEPORT, StandardSocketOptions.SO_LINGER, StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.IP_TOS));
            all.add(platformOobInline());
            return Set.copyOf(all);
        }

        /**
         * The JDK's SO_OOBINLINE is no public constant (java.net.Socket offers it as setOOBInline) and
         * options compare by identity: a program that takes it from one channel's supportedOptions
         * must find that very object here, so it is taken from a platform channel, once.
         */
        private static SocketOption<?> platformOobInline() {
            try (SocketChannel platform = PlatformChannels.openSocketChannel(null)) {
                for (SocketOption<?> o : platform.supportedOptions()) {
                    if (o.name().equals(OOBINLINE)) return o;
                }
                throw new IllegalStateException("the platform's SocketChannel has no " + OOBINLINE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the platform's " + OOBINLINE + " option", e);
            }
        }
    }

    private static Set<SocketOption<?>> withJdkNet(SocketOption<?>... standard) {
        List<SocketOption<?>> all = new ArrayList<>(List.of(standard));
        if (JDK_NET) JdkNet.addTo(all);
        return Set.copyOf(all);
    }

    /** Apart, so that only a JVM with module jdk.net loads it. */
    private static final class JdkNet {
        static void addTo(List<SocketOption<?>> options) {
            options.addAll(List.of(ExtendedSocketOptions.TCP_KEEPIDLE, ExtendedSocketOptions.TCP_KEEPINTERVAL,
                    ExtendedSocketOptions.TCP_KEEPCOUNT, ExtendedSocketOptions.TCP_QUICKACK,
                    ExtendedSocketOptions.SO_INCOMING_NAPI_ID));
        }
    }

    /**
     * Sets a keepalive option (checked: SocketOptionValues.checkPlatformLimits) in {@code options} and
     * on {@code conn} if there is one; false if {@code name} is no keepalive option.
     */
    static boolean setKeepAlive(TcpSocketOptions options, TcpConnection conn, SocketOption<?> name, Object value) {
        int v = value instanceof Integer i ? i : 0;
        switch (name.name()) {
            case KEEPIDLE -> {
                options.keepAliveIdleSeconds = v;
                if (conn != null) conn.setKeepAliveIdle(v);
            }
            case KEEPINTERVAL -> {
                options.keepAliveIntervalSeconds = v;
                if (conn != null) conn.setKeepAliveInterval(v);
            }
            case KEEPCOUNT -> {
                options.keepAliveProbes = v;
                if (conn != null) conn.setKeepAliveProbes(v);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * The value of a keepalive option, the instance's setting when the socket has none (as Linux
     * reports its sysctls); null if {@code name} is no keepalive option. SO_INCOMING_NAPI_ID is 0:
     * no NAPI context delivers the userspace stack's packets (Linux's answer for such a socket).
     */
    static Object keepAliveOrNapi(TcpSocketOptions options, StackAccess access, SocketOption<?> name) {
        if (name.name().equals(NAPI_ID)) return 0;
        TcpConfig config = access.tcp().config();
        return switch (name.name()) {
            case KEEPIDLE -> options.keepAliveIdleSeconds > 0 ? options.keepAliveIdleSeconds : seconds(config.keepAliveIdleNanos);
            case KEEPINTERVAL -> options.keepAliveIntervalSeconds > 0 ? options.keepAliveIntervalSeconds
                    : seconds(config.keepAliveIntervalNanos);
            case KEEPCOUNT -> options.keepAliveProbes > 0 ? options.keepAliveProbes : config.keepAliveProbes;
            default -> null;
        };
    }

    private static int seconds(long nanos) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, nanos / 1_000_000_000L));
    }

    /** IP_TOS as Linux keeps it for TCP: the ECN bits are the stack's (and 0 here, without ECN). */
    static int tcpTypeOfService(int tos) {
        return tos & ~0x3;
    }
}
