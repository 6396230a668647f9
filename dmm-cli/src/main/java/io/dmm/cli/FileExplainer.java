package io.dmm.cli;

import io.dmm.api.RouteExplanation;
import io.dmm.api.RouteQuery;
import io.dmm.core.policy.Policy;
import io.dmm.core.policy.RouteKey;
import io.dmm.core.policy.RouteKeys;
import io.dmm.core.policy.StackDefinition;
import java.util.List;

/**
 * Explains a route from a policy file alone, as the JVM's runtime would, without building a stack:
 * the policy decides from the query's key; an explicit stack hint bypasses the rules.
 */
final class FileExplainer {
    private FileExplainer() {
    }

    static RouteExplanation explain(Policy policy, RouteQuery query) {
        String stack = query.hints().stack();
        if (stack != null) {
            List<String> names = policy.stacks().stream().map(StackDefinition::name).toList();
            if (!names.contains(stack)) {
                throw new IllegalArgumentException("unknown stack \"" + stack + "\" in route hints; defined stacks: "
                        + String.join(", ", names));
            }
            return new RouteExplanation(-1, "explicit stack hint", List.of(stack),
                    "explicit stack hint: stack=" + stack + " (rules not consulted)");
        }
        // no JVM here, so no application name but the one the query gives
        RouteKey key = RouteKeys.of(query, null);
        return RouteKeys.explain(key, policy.route(key));
    }
}
