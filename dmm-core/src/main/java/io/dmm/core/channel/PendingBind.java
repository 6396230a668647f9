package io.dmm.core.channel;

import io.dmm.api.spi.StackCapability;
import io.dmm.core.routing.RoutingContext;
import io.dmm.core.routing.StackHandle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.channels.AlreadyBoundException;

/**
 * A TCP client's bind before DMM routed it (routing waits for connect, which names the destination),
 * the same for the blocking and the asynchronous client. The JDK's channel binds at once: it has a
 * real port, and a port in use or an address not on this host fails the bind. So, where that can
 * be kept, this binds with the OS at once and holds the socket until a stack's channel binds the
 * same address and port at connect ({@link PortReservation}):
 * <ul>
 * <li>a wildcard address with port 0 always: any stack can bind the port the OS gave;</li>
 * <li>any other address when every stack of the running policy shares the OS's port space: the
 * stack routed to at connect binds it in that same space, so the OS's answer now is its answer
 * then. Otherwise (a userspace stack could be chosen, whose addresses and ports are its own) the
 * request is only remembered, and its errors come at connect.</li>
 * </ul>
 * Guarded by the owning channel's state lock; {@link #address} is also read without it.
 */
final class PendingBind {
    private volatile InetSocketAddress address;
    private PortReservation held;

    /**
     * The channel's bind before routing: {@code family} is the one it was opened for (null: any),
     * {@code options} its pending options (set on the OS socket that holds the address).
     */
    void bind(SocketAddress local, ProtocolFamily family, RoutedOptions options, RoutingContext context)
            throws IOException {
        if (address != null) {
            throw new AlreadyBoundException();
        }
        InetSocketAddress isa = Addresses.checkLocal(local, family);
        if ((isa.getAddress().isAnyLocalAddress() && isa.getPort() == 0) || allShareOsPorts(context)) {
            held = PortReservation.take(isa, family, options);
            isa = held.address();
        }
        address = isa;
    }

    /** The bound address as the JDK's channel reports it, or null when the program bound nothing. */
    InetSocketAddress address() {
        return address;
    }

    /** Gives a held address back to the OS (idempotent): a stack's channel binds it now, or the channel closed. */
    void release() {
        if (held != null) {
            held.release();
            held = null;
        }
    }

    private static boolean allShareOsPorts(RoutingContext context) {
        for (StackHandle s : context.stacks()) {
            if (!SharedPortListen.has(s, StackCapability.SHARES_OS_PORT_SPACE)) {
                return false;
            }
        }
        return true;
    }
}
