package io.dmm.api;

import java.util.List;

/**
 * How often one rule decided. The default route appears with index -1.
 *
 * @param index     index in the policy's rules, -1 for the default
 * @param source    {@code file:line} of the rule
 * @param stacks    its target stacks
 * @param decisions decisions it made
 * @param rule      the rule as written, in one line ({@code tcp client dst 10.0.0.0/8 -> us1})
 */
public record RuleStats(int index, String source, List<String> stacks, long decisions, String rule) {
    public RuleStats {
        stacks = List.copyOf(stacks);
    }
}
