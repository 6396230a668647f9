package io.dmm.management.jmx;

import io.dmm.api.RuleStats;
import io.dmm.core.runtime.Router;
import java.util.List;

/**
 * {@link RuleMXBean} over one rule of one policy version: bound to that version's {@link Router}, so
 * it keeps describing the same rule until it is unregistered after the next change.
 */
final class RuleBean implements RuleMXBean {
    private final Router router;
    /** Position in {@link Router#ruleStats()}: the rule's index, or the last entry for the default. */
    private final int position;

    RuleBean(Router router, int position) {
        this.router = router;
        this.position = position;
    }

    private RuleStats stats() {
        return router.ruleStats().get(position);
    }

    @Override
    public String getIndex() {
        int i = stats().index();
        return i < 0 ? DmmObjectNames.DEFAULT_RULE_INDEX : Integer.toString(i);
    }

    @Override public String getSource() { return stats().source(); }
    @Override public String getRule() { return stats().rule(); }
    @Override public List<String> getStacks() { return stats().stacks(); }
    @Override public long getHits() { return stats().decisions(); }
    @Override public long getPolicyVersion() { return router.version(); }
}
