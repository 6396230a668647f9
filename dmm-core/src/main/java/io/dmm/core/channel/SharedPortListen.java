package io.dmm.core.channel;

import io.dmm.api.spi.StackCapability;
import io.dmm.core.routing.StackHandle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens a routed server's listeners: on every candidate stack for a wildcard address (a specific
 * address belongs to one stack: the first that opens a channel), all on one port (the first
 * listener's, when the program asked for port 0), all or nothing. Stacks that share the OS's port
 * space get SO_REUSEPORT when two or more of them listen, since the port is one port there. A
 * stack that cannot open this kind of server channel (UnsupportedOperationException) is left out.
 */
final class SharedPortListen {
    private SharedPortListen() {
    }

    /** Opens {@code stack}'s server channel of the kind being listened on. */
    interface Opener<C extends NetworkChannel> {
        C open(StackHandle stack) throws IOException;
    }

    /** Binds a server channel with a backlog (not part of NetworkChannel). */
    interface Binder<C extends NetworkChannel> {
        void bind(C ch, InetSocketAddress local, int backlog) throws IOException;
    }

    /**
     * The listeners for {@code local}, with the program's pending options set before they bind;
     * {@code kind} names the channels for the error when no candidate opens one.
     */
    static <C extends NetworkChannel> List<Leg<C>> listen(Candidates candidates, InetSocketAddress local, int backlog,
                                                          RoutedOptions options, Opener<C> opener, Binder<C> binder,
                                                          String kind) throws IOException {
        boolean wildcard = local.getAddress().isAnyLocalAddress();
        boolean portShared = wildcard && sharingOsPorts(candidates.stacks()) > 1;
        List<Leg<C>> legs = new ArrayList<>();
        SocketException none = new SocketException("DMM: route " + candidates.decision().route().source()
                + " has no stack with " + kind);
        int port = local.getPort();
        try {
            for (StackHandle s : candidates.stacks()) {
                C ch;
                try {
                    ch = opener.open(s);
                } catch (UnsupportedOperationException e) {
                    none.addSuppressed(e);
                    continue;
                }
                Leg<C> leg = new Leg<>(ch, s);
                legs.add(leg);
                options.applyTo(ch);
                if (portShared && has(s, StackCapability.SHARES_OS_PORT_SPACE) && has(s, StackCapability.REUSE_PORT)) {
                    ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                binder.bind(ch, new InetSocketAddress(local.getAddress(), port), backlog);
                port = ((InetSocketAddress) ch.getLocalAddress()).getPort(); // later listeners share the first's
                if (!wildcard) {
                    break;
                }
            }
            if (legs.isEmpty()) {
                throw none;
            }
            return legs;
        } catch (IOException | RuntimeException e) {
            for (Leg<C> leg : legs) {
                leg.release();
            }
            throw e;
        }
    }

    private static long sharingOsPorts(List<StackHandle> stacks) {
        return stacks.stream().filter(s -> has(s, StackCapability.SHARES_OS_PORT_SPACE)).count();
    }

    static boolean has(StackHandle s, StackCapability capability) {
        return s.instance().capabilities().contains(capability);
    }
}
