package io.dmm.core.routing;

import io.dmm.api.SocketInfo;
import io.dmm.core.policy.Route;
import java.util.List;

/**
 * What every DMM channel can say about its routing, for {@code DmmSockets.routeOf(channel)}:
 * the decision that routed it (route and policy version) and the stack instances it runs on; and
 * its row of the runtime's socket table ({@link SocketTable}), where it is registered from its
 * creation until it is closed.
 */
public interface RoutedChannel extends SocketTable.Tracked {
    /** The decision (rule, default or explicit hint, and the policy version) that routed this channel, or null before routing. */
    Decision decision();

    /** The route of {@link #decision()}, or null before routing. */
    default Route route() {
        Decision d = decision();
        return d == null ? null : d.route();
    }

    /**
     * The stacks this channel runs on: one for clients, datagrams and accepted channels (after a
     * fallback, the one that worked), every listening member for a multi-stack server. Empty before
     * routing.
     */
    List<String> stacksInUse();

    /** This channel's row of the socket table now (see {@code io.dmm.core.channel.SocketRows} for kinds and states); also once closed. */
    SocketInfo socketInfo();
}
