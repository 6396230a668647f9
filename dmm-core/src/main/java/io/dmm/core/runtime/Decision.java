package io.dmm.core.runtime;

import io.dmm.core.policy.Route;
import java.util.List;

/**
 * A routing decision: the route that matched (a rule, the default, or an explicit stack hint) and
 * its stack instances, resolved, in fallback order. Built once per route when the runtime starts.
 */
public record Decision(Route route, List<StackHandle> stacks) {
    public Decision {
        stacks = List.copyOf(stacks);
    }
}
