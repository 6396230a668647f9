package io.dmm.core.channel;

import io.dmm.api.DmmSockets;
import io.dmm.api.RouteHints;
import io.dmm.api.spi.AsynchronousGroup;
import io.dmm.core.routing.ChannelOpener;
import io.dmm.core.routing.RoutingContext;
import io.dmm.core.selector.DmmSelector;
import io.dmm.jdk.platform.PlatformChannels;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;

/**
 * The {@link SelectorProvider} of routed channels ({@code channel.provider()}), and the one place
 * routed channels are opened ({@link ChannelOpener}): opening a channel through it opens a routed
 * channel of its routing context, with the hints of the current {@link io.dmm.api.RouteScope}.
 * Pipes and UNIX-domain channels are not routed: they come from the platform.
 *
 * <p>Not final: {@link io.dmm.core.DmmSelectorProvider}, the system-wide provider, is one of these
 * whose context is the JVM-wide runtime, found lazily, so that {@code SelectorProvider.provider()},
 * {@code channel.provider()} and {@code selector.provider()} are one and the same object.
 */
public class RoutedChannelProvider extends SelectorProvider implements ChannelOpener {
    /** How a runtime makes the provider of its channels (the ServiceLoader service it finds). */
    public static final class Factory implements ChannelOpener.Factory {
        @Override
        public ChannelOpener create(RoutingContext context) {
            return new RoutedChannelProvider(context);
        }
    }

    private final RoutingContext context;

    public RoutedChannelProvider(RoutingContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    /** For a subclass that finds its context itself, in {@link #context()}. */
    protected RoutedChannelProvider() {
        this.context = null;
    }

    /** The routing context whose routed channels this provider opens. */
    protected RoutingContext context() {
        return context;
    }

    @Override
    public SelectorProvider selectorProvider() {
        return this;
    }

    /** Makes a routed channel of the context, with its family, the hints and the opener class it routes with. */
    private interface Maker<C> {
        C make(RoutingContext context, ProtocolFamily family, RouteHints hints, String caller);
    }

    /**
     * Checks the request with the context (null hints: none) and makes the channel, of the family
     * the JDK would give it ({@link ChannelFamilies}: INET only under preferIPv4Stack).
     */
    private <C> C open(ProtocolFamily family, RouteHints hints, Maker<C> maker) {
        RoutingContext c = context();
        RouteHints h = hints == null ? RouteHints.none() : hints;
        c.checkOpen(family, h);
        return maker.make(c, ChannelFamilies.ofNewChannel(family), h, c.callerIfNeeded());
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family, RouteHints hints) {
        return open(family, hints, (c, f, h, caller) -> new RoutedSocketChannel(this, c, f, h, caller));
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family, RouteHints hints) {
        return open(family, hints, (c, f, h, caller) -> new RoutedServerSocketChannel(this, c, f, h, caller));
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family, RouteHints hints) {
        return open(family, hints, (c, f, h, caller) -> new RoutedDatagramChannel(this, c, f, h, caller));
    }

    @Override
    public AsynchronousSocketChannel openAsynchronousSocketChannel(AsynchronousChannelProvider asyncProvider,
                                                                   AsynchronousGroup group, RouteHints hints) {
        StackGroup g = StackGroup.of(group);
        return open(null, hints, (c, f, h, caller) -> new RoutedAsynchronousSocketChannel(asyncProvider, c, g, h, caller));
    }

    @Override
    public AsynchronousServerSocketChannel openAsynchronousServerSocketChannel(
            AsynchronousChannelProvider asyncProvider, AsynchronousGroup group, RouteHints hints) {
        StackGroup g = StackGroup.of(group);
        return open(null, hints,
                (c, f, h, caller) -> new RoutedAsynchronousServerSocketChannel(asyncProvider, c, g, h, caller));
    }

    @Override
    public DatagramChannel openDatagramChannel() throws IOException {
        return openDatagramChannel(null, DmmSockets.currentHints());
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        return openDatagramChannel(family, DmmSockets.currentHints());
    }

    @Override
    public Pipe openPipe() throws IOException {
        return PlatformChannels.provider().openPipe();
    }

    /** A selector that holds routed channels of every stack at once, and the JDK's own channels (pipes). */
    @Override
    public AbstractSelector openSelector() throws IOException {
        return new DmmSelector(this, PlatformChannels.provider());
    }

    @Override
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        return openServerSocketChannel(null, DmmSockets.currentHints());
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        if (family == StandardProtocolFamily.UNIX) {
            return PlatformChannels.openServerSocketChannel(family);
        }
        return openServerSocketChannel(family, DmmSockets.currentHints());
    }

    @Override
    public SocketChannel openSocketChannel() throws IOException {
        return openSocketChannel(null, DmmSockets.currentHints());
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        if (family == StandardProtocolFamily.UNIX) {
            return PlatformChannels.openSocketChannel(family);
        }
        return openSocketChannel(family, DmmSockets.currentHints());
    }
}
