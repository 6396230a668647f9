package io.dmm.core.routing;

import io.dmm.api.Protocol;
import io.dmm.core.policy.Route;
import java.net.ProtocolFamily;
import java.util.ArrayList;
import java.util.List;

/**
 * A routing decision: the route that matched (a rule, the default, or an explicit stack hint), its
 * stack instances, resolved, in fallback order, and the version of the policy that made it. Built
 * once per route when a policy version is swapped in: every decision comes whole from one version.
 */
public record Decision(Route route, List<StackHandle> stacks, long policyVersion) {
    public Decision {
        stacks = List.copyOf(stacks);
    }

    /**
     * The stacks that can take a new socket of this protocol and family now, in fallback order,
     * and why the others cannot ("; "-separated, for the error a channel throws when none can).
     */
    public record Usable(List<StackHandle> stacks, String whyOthersNot) {
        public boolean isEmpty() {
            return stacks.isEmpty();
        }
    }

    /** This decision's stacks filtered by {@link StackHandle#usableFor(Protocol, ProtocolFamily, long)}, keeping route order. */
    public Usable usableFor(Protocol protocol, ProtocolFamily family) {
        return usableFor(protocol, family, family);
    }

    /**
     * As {@link #usableFor(Protocol, ProtocolFamily)} for a socket that either family can carry (a
     * dual-stack socket on the wildcard address): the stacks usable for {@code family} or for
     * {@code orElse}, in route order; the others are said to be unusable for {@code family}.
     */
    public Usable usableFor(Protocol protocol, ProtocolFamily family, ProtocolFamily orElse) {
        List<StackHandle> usable = new ArrayList<>(stacks.size());
        StringBuilder why = new StringBuilder();
        for (StackHandle h : stacks) {
            if (h.usableFor(protocol, family, policyVersion)
                    || orElse != family && h.usableFor(protocol, orElse, policyVersion)) {
                usable.add(h);
            } else {
                why.append(why.isEmpty() ? "" : "; ").append(h.whyUnusable(protocol, family));
            }
        }
        return new Usable(usable, why.toString());
    }
}
