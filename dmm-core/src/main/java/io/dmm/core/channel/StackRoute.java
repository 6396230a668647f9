package io.dmm.core.channel;

import io.dmm.api.Protocol;
import io.dmm.api.Role;
import io.dmm.api.RouteHints;
import io.dmm.core.routing.Decision;
import io.dmm.core.routing.RoutingContext;
import io.dmm.core.routing.StackHandle;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.NetworkChannel;

/**
 * What one routed channel asks of its runtime, fixed when the channel is opened: its protocol, the
 * family the program asked for (null: any), the route hints in force then and the opener's class
 * (for rules that match on it). {@link #decide} asks the policy for a socket of that channel; a
 * routed channel holds one of these and its channel faces, not the runtime, do the rest.
 */
final class StackRoute {
    private final RoutingContext context;
    private final Protocol protocol;
    private final ProtocolFamily family;
    private final RouteHints hints;
    private final String caller;

    StackRoute(RoutingContext context, Protocol protocol, ProtocolFamily family, RouteHints hints, String caller) {
        this.context = context;
        this.protocol = protocol;
        this.family = family;
        this.hints = hints;
        this.caller = caller;
    }

    /** The family the program opened the channel for, or null (any: the stack's default). */
    ProtocolFamily family() {
        return family;
    }

    /**
     * Asks the policy where a socket of this channel acting as {@code role} goes: {@code key} is
     * the address the policy keys on (the remote one for clients and senders, the bound one for
     * servers and receivers; null for a receiver that bound nothing), {@code source} the address
     * the program bound a client to (null: none, or a wildcard). The stacks that can take it are
     * those of the route that are usable for the family its traffic has (see {@link #carriedOver}).
     */
    Candidates decide(Role role, InetSocketAddress key, InetAddress source) {
        Decision d = context.decide(protocol, role, key, source, hints, caller);
        InetAddress address = key != null ? key.getAddress() : PlatformDefaults.wildcard(family);
        ProtocolFamily needed = carriedOver(address);
        Decision.Usable usable = address instanceof Inet6Address && address.isAnyLocalAddress()
                ? d.usableFor(protocol, needed, StandardProtocolFamily.INET) // dual-stack wildcard: either
                : d.usableFor(protocol, needed);
        return new Candidates(d, usable.stacks(), protocol, role, key, usable.whyOthersNot());
    }

    /**
     * The family a socket of this channel to or on {@code address} carries its traffic over: an
     * INET channel's is INET; an INET6 (dual-stack) channel's is that of the address, as Linux
     * sends a dual-stack socket's traffic to an IPv4(-mapped) address as IPv4, so a stack that
     * carries IPv4 only can take it with a dual-stack channel of its own. (The IPv6 wildcard is
     * either family's: {@link #decide} then takes a stack of either.)
     */
    private ProtocolFamily carriedOver(InetAddress address) {
        return family == StandardProtocolFamily.INET ? family : Addresses.familyOf(address);
    }

    /**
     * Binds a client's new stack channel before it connects to {@code remote}: to the address the
     * program bound ({@code requested}, non-null once it called bind), else to the stack's source
     * address when it has one of the destination's family, else not at all.
     */
    static void bindSource(NetworkChannel ch, InetSocketAddress requested, StackHandle stack, InetSocketAddress remote)
            throws IOException {
        if (requested != null) {
            ch.bind(overFamilyOf(requested, remote));
            return;
        }
        InetAddress src = stack.instance().sourceAddress();
        if (src != null && Addresses.sameFamily(src, remote.getAddress())) {
            ch.bind(new InetSocketAddress(src, 0));
        }
    }

    /**
     * The IPv6 wildcard ({@code bind(null)} where IPv6 is available) bound for an IPv4 destination is
     * the IPv4 wildcard, same port: what a JDK dual-stack socket does, and what a stack that carries
     * IPv4 only can bind.
     */
    private static InetSocketAddress overFamilyOf(InetSocketAddress requested, InetSocketAddress remote) {
        InetAddress a = requested.getAddress();
        if (a.isAnyLocalAddress() && !Addresses.sameFamily(a, remote.getAddress())
                && Addresses.familyOf(remote.getAddress()) == StandardProtocolFamily.INET) {
            return new InetSocketAddress(Addresses.INET4_ANY, requested.getPort());
        }
        return requested;
    }

    /** The source a client's decision sees: the address it bound, unless none or a wildcard. */
    static InetAddress sourceOf(InetSocketAddress bound) {
        return bound != null && !bound.getAddress().isAnyLocalAddress() ? bound.getAddress() : null;
    }
}
