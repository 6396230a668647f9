package io.dmm.core.channel;

import io.dmm.api.spi.StackCapability;
import io.dmm.core.policy.Route;
import io.dmm.core.routing.Decision;
import io.dmm.core.routing.RoutingContext;
import io.dmm.core.routing.StackHandle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * Wraps the channel a process inherited on its standard input ({@code System.inheritedChannel()}:
 * systemd socket activation, inetd, Tomcat's {@code useInheritedChannel}, Jetty's
 * {@code inheritChannel}) into a routed channel, already routed to a kernel stack of the policy.
 * The socket was made by the kernel before this process started, so the kernel is the only stack
 * it can live on; wrapping it lets the program treat it as any other channel it opened (the same
 * {@code provider()}, registrable with DMM's selector, counted in {@code DmmSockets.stats()}).
 *
 * <p>Left as it is (a JDK channel): a UNIX-domain socket (DMM routes only IP), and any socket when
 * the policy defines no kernel stack.
 */
public final class InheritedChannels {
    /** How such channels appear in {@code DmmSockets.routeOf} and the logs. */
    public static final String SOURCE = "inherited channel";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InheritedChannels.class);

    private InheritedChannels() {
    }

    /** {@code inherited} as a routed channel of {@code provider}, or itself if it cannot be (see the class comment). */
    public static Channel adopt(RoutedChannelProvider provider, Channel inherited) throws IOException {
        if (inherited == null) {
            return null;
        }
        RoutingContext context = provider.context();
        StackHandle kernel = kernelStack(context);
        if (kernel == null) {
            LOG.warn("DMM: the policy defines no kernel stack; the inherited channel {} stays a JDK channel", inherited);
            return inherited;
        }
        Decision route = new Decision(new Route(-1, SOURCE, List.of(kernel.name()), "inherited from the parent process"),
                List.of(kernel), context.policyVersion());
        if (inherited instanceof SocketChannel sc && sc.getRemoteAddress() instanceof InetSocketAddress) {
            sc.configureBlocking(true); // a new channel is blocking: match the wrapper's initial mode
            return new RoutedSocketChannel(provider, context, route, kernel, sc);
        }
        if (inherited instanceof ServerSocketChannel ssc && ssc.getLocalAddress() instanceof InetSocketAddress) {
            ssc.configureBlocking(true);
            return new RoutedServerSocketChannel(provider, context, route, kernel, ssc);
        }
        if (inherited instanceof DatagramChannel dc && !(dc.getLocalAddress() instanceof java.net.UnixDomainSocketAddress)) {
            dc.configureBlocking(true);
            return new RoutedDatagramChannel(provider, context, route, kernel, dc);
        }
        return inherited; // UNIX domain
    }

    /** The default route's first kernel stack, else the policy's first kernel stack, else null. */
    static StackHandle kernelStack(RoutingContext context) {
        for (StackHandle h : context.defaultRouteStacks()) {
            if (isKernel(h)) {
                return h;
            }
        }
        for (StackHandle h : context.stacks()) {
            if (isKernel(h)) {
                return h;
            }
        }
        return null;
    }

    /** A stack whose sockets are the OS's: the only kind an inherited OS socket can live on. */
    private static boolean isKernel(StackHandle h) {
        return SharedPortListen.has(h, StackCapability.SHARES_OS_PORT_SPACE);
    }
}
