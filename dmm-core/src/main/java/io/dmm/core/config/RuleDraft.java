package io.dmm.core.config;

import io.dmm.core.policy.RuleMatch;
import java.util.List;

/**
 * A rule read from a file, its target stacks already checked against the defined ones; it becomes
 * a {@link io.dmm.core.policy.Rule} once its position among all rules is known.
 *
 * @param source {@code file:line} of the rule
 */
record RuleDraft(String name, RuleMatch match, List<String> stacks, String source) {
}
