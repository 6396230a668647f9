package io.dmm.core.routing;

import io.dmm.api.RouteHints;
import io.dmm.api.spi.AsynchronousGroup;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.nio.channels.spi.SelectorProvider;

/**
 * Opens the routed channels of one {@link RoutingContext}: the runtime hands its channel requests
 * here (DmmSockets, the java.net factories, tests) without knowing the channel classes. dmm-core's
 * routed channel provider is one; the runtime finds how to make it through {@link Factory} (a
 * {@link java.util.ServiceLoader} service), so that the runtime, below the channels, never names them.
 */
public interface ChannelOpener {
    /** The SelectorProvider every channel opened here reports. */
    SelectorProvider selectorProvider();

    SocketChannel openSocketChannel(ProtocolFamily family, RouteHints hints) throws IOException;

    ServerSocketChannel openServerSocketChannel(ProtocolFamily family, RouteHints hints) throws IOException;

    DatagramChannel openDatagramChannel(ProtocolFamily family, RouteHints hints) throws IOException;

    /**
     * An unrouted asynchronous client channel in {@code group} (null: the default group), reporting
     * {@code asyncProvider} (DMM's AsynchronousChannelProvider that opened it) as its provider.
     */
    AsynchronousSocketChannel openAsynchronousSocketChannel(AsynchronousChannelProvider asyncProvider,
                                                            AsynchronousGroup group, RouteHints hints);

    /** An unbound asynchronous server channel, as {@link #openAsynchronousSocketChannel}. */
    AsynchronousServerSocketChannel openAsynchronousServerSocketChannel(AsynchronousChannelProvider asyncProvider,
                                                                        AsynchronousGroup group,
                                                                        RouteHints hints);

    /** Makes the opener of a context's channels; found with ServiceLoader. */
    interface Factory {
        ChannelOpener create(RoutingContext context);
    }
}
