package io.dmm.management.jmx;

import io.dmm.api.RouteExplanation;
import java.util.List;

/**
 * A route explanation as JMX clients see it (a CompositeData with these items).
 *
 * @param rule          the matching rule's index, or -1 (the default route, or an explicit stack hint)
 * @param source        where that rule is written ({@code file:line}), or {@code explicit stack hint}
 * @param stacks        the chosen stack instances, in fallback order
 * @param reason        one human-readable line
 * @param policyVersion the policy version that decided
 */
public record ExplanationView(int rule, String source, List<String> stacks, String reason, long policyVersion) {
    static ExplanationView of(RouteExplanation e) {
        return new ExplanationView(e.ruleIndex(), e.source(), e.stacks(), e.reason(), e.policyVersion());
    }
}
