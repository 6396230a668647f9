package io.dmm.api;

import java.util.List;

/**
 * Why the policy chose what it chose.
 *
 * @param ruleIndex index of the matching rule in the policy's rule list, or -1 when no rule matched
 *                  (or the hints named a stack explicitly)
 * @param source    where that rule is written ({@code file:line}), or a description such as
 *                  {@code "default"} or {@code "explicit stack hint"}
 * @param stacks    the chosen stack instances, in fallback order
 * @param reason    one human-readable line
 * @param policyVersion the policy version that decided (see {@link PolicyStatus#version()}), 0 if unknown
 */
public record RouteExplanation(int ruleIndex, String source, List<String> stacks, String reason,
                               long policyVersion) {
    public RouteExplanation {
        stacks = List.copyOf(stacks);
    }

    /** An explanation without a policy version. */
    public RouteExplanation(int ruleIndex, String source, List<String> stacks, String reason) {
        this(ruleIndex, source, stacks, reason, 0L);
    }

    public boolean matchedRule() {
        return ruleIndex >= 0;
    }

    @Override
    public String toString() {
        return reason;
    }
}
