package io.dmm.core.channel;

import io.dmm.core.policy.Route;
import java.util.List;

/**
 * What every DMM channel can say about its routing, for {@code DmmSockets.routeOf(channel)}:
 * the route that decided it and the stack instances it actually runs on.
 */
public interface RoutedChannel {
    /** The route (rule, default or explicit hint) that routed this channel, or null before routing. */
    Route route();

    /**
     * The stacks this channel runs on: one for clients, datagrams and accepted channels (after a
     * fallback, the one that worked), every listening member for a multi-stack server. Empty before
     * routing.
     */
    List<String> stacksInUse();
}
