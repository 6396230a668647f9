package io.dmm.core;

import io.dmm.core.channel.InheritedChannels;
import io.dmm.core.channel.RoutedChannelProvider;
import io.dmm.core.routing.RoutingContext;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.jdk.platform.PlatformChannels;
import java.io.IOException;
import java.nio.channels.Channel;

/**
 * DMM as the JVM's system-wide {@link java.nio.channels.spi.SelectorProvider}: with
 * {@code -Djava.nio.channels.spi.SelectorProvider=io.dmm.core.DmmSelectorProvider} (set by the
 * agent, {@code -javaagent:dmm-agent.jar}) {@code SocketChannel.open()},
 * {@code ServerSocketChannel.open()}, {@code DatagramChannel.open()} (INET and INET6),
 * {@code Selector.open()} and {@code SelectorProvider.provider()} give DMM's routed channels and
 * selector, routed by the JVM-wide policy ({@code -Ddmm.config}). Pipes and UNIX-domain channels
 * come from the platform; the inherited channel is the platform's, wrapped into a routed channel
 * of a kernel stack ({@link InheritedChannels}).
 *
 * <p>It is a {@link RoutedChannelProvider} whose routing context is {@link DmmRuntime#global()}, and the
 * global runtime takes this object as its channels' provider: {@code SelectorProvider.provider()},
 * {@code channel.provider()} and {@code Selector.open().provider()} are the same object, as code
 * that checks "same provider" before registering expects.
 *
 * <p>The JDK creates it inside {@code SelectorProvider.provider()}; anything in here that asked for
 * the system provider during that time would get null. So the constructor does nothing, and the
 * policy is loaded at the first channel opened (a bad policy fails that call, not the provider's
 * creation, which the JDK would turn into a ServiceConfigurationError cached for good).
 */
public final class DmmSelectorProvider extends RoutedChannelProvider {
    private Channel inherited;        // guarded by this
    private boolean inheritedLooked;  // guarded by this

    /** Called by the JDK; cheap on purpose (see the class comment). */
    public DmmSelectorProvider() {
    }

    @Override
    protected RoutingContext context() {
        return DmmRuntime.global();
    }

    /**
     * The platform's inherited channel, wrapped once into a routed channel of a kernel stack; the
     * same object on every call, as the platform's is. Null when standard input is not a socket.
     */
    @Override
    public synchronized Channel inheritedChannel() throws IOException {
        if (!inheritedLooked) {
            inherited = InheritedChannels.adopt(this, PlatformChannels.provider().inheritedChannel());
            inheritedLooked = true;
        }
        return inherited;
    }
}
