package io.dmm.core.routing;

import io.dmm.api.Protocol;
import io.dmm.api.Role;
import io.dmm.api.RouteHints;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.util.List;

/**
 * What a routed channel needs of the runtime that routes it, and nothing more: a decision per
 * socket, the socket table it registers in, the checks made when it is opened, and, for a socket
 * made elsewhere (inherited from the parent process), the stacks to put it on. The runtime
 * implements it; channels and their provider depend on this, never on the runtime itself.
 */
public interface RoutingContext {
    /**
     * Checks that a channel of {@code family} (null: any) with {@code hints} may be opened now:
     * the runtime is open, the family is one DMM routes, the hints name known stacks.
     *
     * @throws IllegalStateException when the runtime is closed
     * @throws UnsupportedOperationException for a family DMM does not route
     * @throws IllegalArgumentException for hints naming no stack of the policy
     */
    void checkOpen(ProtocolFamily family, RouteHints hints);

    /** The class that opens a channel now, when a rule of the policy matches on it; else null. */
    String callerIfNeeded();

    /**
     * Where a socket goes: made by one policy version, counted there. {@code service} is the key
     * address (remote for clients and senders, bound for servers and receivers, may be null for a
     * receiver), {@code source} a client's bound address (null: none).
     */
    Decision decide(Protocol protocol, Role role, InetSocketAddress service, InetAddress source, RouteHints hints,
                    String caller);

    /** The running policy version (for decisions made without the policy, as for inherited sockets). */
    long policyVersion();

    /** The stack instances of the running policy's default route, in its order (those that exist). */
    List<StackHandle> defaultRouteStacks();

    /** Every stack instance of the running policy, in the policy's order. */
    List<StackHandle> stacks();

    /** The open routed sockets, where every routed channel registers. */
    SocketTable sockets();
}
