package io.dmm.core.runtime;

import io.dmm.api.DmmControl;
import io.dmm.api.DmmStats;
import io.dmm.api.RouteExplanation;
import io.dmm.api.RouteHints;
import io.dmm.api.RouteQuery;
import io.dmm.api.spi.DmmRuntimeBinding;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Optional;

/**
 * What ServiceLoader hands {@link io.dmm.api.DmmSockets}: a stateless front for
 * {@link DmmRuntime#global()}. It exists so that loading the policy happens at the first DMM call
 * and a bad policy surfaces there as a DmmConfigException — were DmmRuntime itself the service, the
 * policy would load inside ServiceLoader and fail as a ServiceConfigurationError, cached for good
 * in DmmSockets' holder class.
 */
public final class GlobalRuntimeBinding implements DmmRuntimeBinding {
    public GlobalRuntimeBinding() {
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family, RouteHints hints) throws IOException {
        return DmmRuntime.global().openSocketChannel(family, hints);
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family, RouteHints hints) throws IOException {
        return DmmRuntime.global().openServerSocketChannel(family, hints);
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family, RouteHints hints) throws IOException {
        return DmmRuntime.global().openDatagramChannel(family, hints);
    }

    @Override
    public RouteExplanation explain(RouteQuery query) {
        return DmmRuntime.global().explain(query);
    }

    @Override
    public Optional<RouteExplanation> routeOf(Channel channel) {
        return Router.explainChannel(channel);
    }

    @Override
    public DmmStats stats() {
        return DmmRuntime.global().stats();
    }

    @Override
    public DmmControl control() {
        return DmmRuntime.global().control();
    }
}
