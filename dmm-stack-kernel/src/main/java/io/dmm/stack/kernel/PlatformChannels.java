package io.dmm.stack.kernel;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * The one place that opens the JDK's own (kernel) channels.
 *
 * <p>Today {@link SelectorProvider#provider()} is the platform provider. A later issue installs DMM
 * as the system-wide SelectorProvider; from then on {@code provider()} returns DMM's, and this class
 * must reach the JDK's default instead ({@code sun.nio.ch.DefaultSelectorProvider.get()}, exported
 * to DMM by the agent) — otherwise the kernel stack would open routed channels and recurse.
 */
public final class PlatformChannels {
    private PlatformChannels() {
    }

    /** The JDK's selector provider (see the class comment for why this is not just {@code provider()}). */
    public static SelectorProvider provider() {
        return SelectorProvider.provider();
    }

    public static SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        return family == null ? provider().openSocketChannel() : provider().openSocketChannel(family);
    }

    public static ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        return family == null ? provider().openServerSocketChannel() : provider().openServerSocketChannel(family);
    }

    public static DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        return family == null ? provider().openDatagramChannel() : provider().openDatagramChannel(family);
    }
}
