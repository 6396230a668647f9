package io.dmm.core.policy;

import java.util.List;

/**
 * The reference decision: try every rule in order. Obviously right and O(rules); tests and the
 * benchmark compare the compiled {@link RuleIndex} with it.
 */
final class LinearMatcher {
    private final RuleMatch[] matches;

    LinearMatcher(List<Rule> rules) {
        this.matches = rules.stream().map(Rule::match).toArray(RuleMatch[]::new);
    }

    /** Index of the first matching rule, or -1. */
    int find(RouteKey key) {
        AddressBits svc = new AddressBits();
        AddressBits src = new AddressBits();
        svc.load(key.service());
        src.load(key.source());
        for (int i = 0; i < matches.length; i++) {
            if (matches[i].matches(key, svc, src)) {
                return i;
            }
        }
        return -1;
    }
}
