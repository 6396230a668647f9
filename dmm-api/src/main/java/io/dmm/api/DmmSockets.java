package io.dmm.api;

import io.dmm.api.spi.DmmRuntimeBinding;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The entry point of DMM for programs that ask for it by name. Every channel returned here is
 * routed lazily: the stack instance is chosen by the policy at the first operation that needs one
 * (connect, bind, send), from the socket's addresses, its role and the route hints in force.
 *
 * <pre>{@code
 * try (SocketChannel ch = DmmSockets.open(RouteHints.qos("low-latency"))) {
 *     ch.connect(new InetSocketAddress("10.0.0.7", 9000));   // routed here
 * }
 * try (var scope = DmmSockets.scope(RouteHints.qos("bulk"))) {
 *     thirdPartyClient.fetch();  // sockets it opens through DMM get qos=bulk
 * }
 * }</pre>
 *
 * The policy comes from {@code -Ddmm.config=FILE}, else the environment variable
 * {@code DMM_CONFIG}, else a built-in default (one kernel stack named {@code kernel}).
 */
public final class DmmSockets {
    private DmmSockets() {
    }

    /** A TCP client channel, routed at connect. */
    public static SocketChannel open() throws IOException {
        return open(RouteHints.none());
    }

    /** A TCP client channel with hints (merged over the current scope's), routed at connect. */
    public static SocketChannel open(RouteHints hints) throws IOException {
        return runtime().openSocketChannel(null, effective(hints));
    }

    /** A TCP client channel of one protocol family, routed at connect. */
    public static SocketChannel open(ProtocolFamily family, RouteHints hints) throws IOException {
        return runtime().openSocketChannel(family, effective(hints));
    }

    /** A TCP server channel, routed at bind. */
    public static ServerSocketChannel openServer() throws IOException {
        return openServer(RouteHints.none());
    }

    /** A TCP server channel with hints, routed at bind. */
    public static ServerSocketChannel openServer(RouteHints hints) throws IOException {
        return runtime().openServerSocketChannel(null, effective(hints));
    }

    /** A TCP server channel of one protocol family, routed at bind. */
    public static ServerSocketChannel openServer(ProtocolFamily family, RouteHints hints) throws IOException {
        return runtime().openServerSocketChannel(family, effective(hints));
    }

    /** A UDP channel, routed at its first bind, connect or send. */
    public static DatagramChannel openDatagram() throws IOException {
        return openDatagram(RouteHints.none());
    }

    /** A UDP channel with hints, routed at its first bind, connect or send. */
    public static DatagramChannel openDatagram(RouteHints hints) throws IOException {
        return runtime().openDatagramChannel(null, effective(hints));
    }

    /** A UDP channel of one protocol family, routed at its first bind, connect or send. */
    public static DatagramChannel openDatagram(ProtocolFamily family, RouteHints hints) throws IOException {
        return runtime().openDatagramChannel(family, effective(hints));
    }

    /**
     * Opens a scope: until it is closed, every socket opened on this thread through DMM — by this
     * code or by any library it calls — carries these hints.
     */
    public static RouteScope scope(RouteHints hints) {
        return RouteScope.open(hints);
    }

    /** The hints in force on this thread (the innermost scope's), or {@link RouteHints#none()}. */
    public static RouteHints currentHints() {
        return RouteScope.current();
    }

    /** Which rule would route a socket described by {@code query}, and to which stacks. */
    public static RouteExplanation explain(RouteQuery query) {
        return runtime().explain(query);
    }

    /**
     * How {@code channel} was routed — the rule, its source line and the stack it went to (for a
     * server listening on several stacks, all of them; for an accepted channel, the stack that
     * accepted it). Empty if the channel is not a DMM channel or is not routed yet.
     */
    public static Optional<RouteExplanation> routeOf(Channel channel) {
        return runtime().routeOf(channel);
    }

    /** Counters per stack instance and per rule. */
    public static DmmStats stats() {
        return runtime().stats();
    }

    /**
     * The runtime's management interface: reload or edit the policy, drain stacks, list sockets.
     * The same operations are exposed over JMX ({@code io.dmm} domain) and the {@code dmm} command.
     */
    public static DmmControl control() {
        return runtime().control();
    }

    private static RouteHints effective(RouteHints hints) {
        return RouteScope.current().overriddenBy(hints);
    }

    private static DmmRuntimeBinding runtime() {
        return Holder.BINDING;
    }

    /** Finds dmm-core's runtime once, on first use (lazy holder idiom). */
    private static final class Holder {
        static final DmmRuntimeBinding BINDING = ServiceLoader.load(DmmRuntimeBinding.class,
                        DmmSockets.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "DMM runtime not found: put dmm-core on the class path"));
    }
}
