package io.dmm.core.channel;

import io.dmm.api.DmmSockets;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.core.selector.DmmSelector;
import io.dmm.jdk.platform.PlatformChannels;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;

/**
 * The {@link SelectorProvider} of routed channels ({@code channel.provider()}): opening a channel
 * through it opens a routed channel with the hints of the current {@link io.dmm.api.RouteScope}.
 * Pipes and UNIX-domain channels are not routed: they come from the platform.
 *
 * <p>Not final: {@link io.dmm.core.DmmSelectorProvider}, the system-wide provider, is one of these
 * whose runtime is the JVM-wide one, found lazily, so that {@code SelectorProvider.provider()},
 * {@code channel.provider()} and {@code selector.provider()} are one and the same object.
 */
public class RoutedChannelProvider extends SelectorProvider {
    private final DmmRuntime runtime;

    public RoutedChannelProvider(DmmRuntime runtime) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    /** For a subclass that finds its runtime itself, in {@link #runtime()}. */
    protected RoutedChannelProvider() {
        this.runtime = null;
    }

    /** The runtime whose routed channels this provider opens. */
    protected DmmRuntime runtime() {
        return runtime;
    }

    @Override
    public DatagramChannel openDatagramChannel() throws IOException {
        return runtime().openDatagramChannel(null, DmmSockets.currentHints());
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        return runtime().openDatagramChannel(family, DmmSockets.currentHints());
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
        return runtime().openServerSocketChannel(null, DmmSockets.currentHints());
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        if (family == StandardProtocolFamily.UNIX) {
            return PlatformChannels.openServerSocketChannel(family);
        }
        return runtime().openServerSocketChannel(family, DmmSockets.currentHints());
    }

    @Override
    public SocketChannel openSocketChannel() throws IOException {
        return runtime().openSocketChannel(null, DmmSockets.currentHints());
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        if (family == StandardProtocolFamily.UNIX) {
            return PlatformChannels.openSocketChannel(family);
        }
        return runtime().openSocketChannel(family, DmmSockets.currentHints());
    }
}
