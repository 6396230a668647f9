package io.dmm.api.spi;

import io.dmm.api.DmmControl;
import io.dmm.api.DmmStats;
import io.dmm.api.RouteExplanation;
import io.dmm.api.RouteHints;
import io.dmm.api.RouteQuery;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Optional;

/**
 * How {@link io.dmm.api.DmmSockets} reaches the runtime in dmm-core (found with
 * {@link java.util.ServiceLoader}). Not for applications. The hints passed here are already merged
 * with the caller's scope.
 */
public interface DmmRuntimeBinding {
    SocketChannel openSocketChannel(ProtocolFamily family, RouteHints hints) throws IOException;

    ServerSocketChannel openServerSocketChannel(ProtocolFamily family, RouteHints hints) throws IOException;

    DatagramChannel openDatagramChannel(ProtocolFamily family, RouteHints hints) throws IOException;

    RouteExplanation explain(RouteQuery query);

    /** The decision that routed {@code channel}: empty if it is not a DMM channel or not routed yet. */
    Optional<RouteExplanation> routeOf(Channel channel);

    DmmStats stats();

    /** The management interface of the JVM-wide runtime. */
    DmmControl control();
}
