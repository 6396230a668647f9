package io.dmm.core.policy;

import java.util.List;

/**
 * The outcome of a routing decision: one rule of the policy (or its default) and its target.
 * Routes are built once when the policy is compiled; deciding returns one of them and allocates
 * nothing.
 *
 * @param index       the rule's index in the policy's rule list, or -1 for the default route
 * @param source      where it is written: {@code file:line} (or {@code file: default})
 * @param stacks      target stack instance names: a fallback order for clients and senders,
 *                    "listen on all of these" for servers bound to a wildcard address
 * @param description the rule as the user wrote it, in one line (for explanations and logs)
 */
public record Route(int index, String source, List<String> stacks, String description) {
    public Route {
        stacks = List.copyOf(stacks);
        if (stacks.isEmpty()) {
            throw new IllegalArgumentException("a route needs at least one stack");
        }
    }

    public boolean isDefault() {
        return index < 0;
    }
}
