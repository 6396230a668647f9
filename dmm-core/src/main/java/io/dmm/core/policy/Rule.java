package io.dmm.core.policy;

import java.util.List;

/**
 * One rule of a policy: where it is written, what it matches, and the route it yields.
 *
 * @param name  the rule's optional {@code name} (documentation only), or null
 * @param match what the rule matches
 * @param route the route it yields; {@code route.index()} is the rule's position
 */
public record Rule(String name, RuleMatch match, Route route) {

    /** Builds the rule and its route: the description is the match, an arrow and the target stacks. */
    public static Rule of(int index, String name, RuleMatch match, List<String> stacks, String source) {
        String target = stacks.size() == 1 ? stacks.get(0) : "[" + String.join(", ", stacks) + "]";
        String description = (name == null ? "" : name + ": ") + match + " -> " + target;
        return new Rule(name, match, new Route(index, source, stacks, description));
    }

    public int index() {
        return route.index();
    }
}
