package io.dmm.core.policy;

import java.util.Map;

/**
 * Buckets by port for indexes filing many ports: a candidate list per port number, indexed
 * directly (one load, then the list), see {@link ListPool}. Costs 256 KB, so small indexes keep
 * {@link PortBuckets}.
 */
final class PortTable extends ListPool {
    /** Indexes filing at least this many distinct ports get a table. */
    static final int MIN_PORTS = 1024;
    /** ... over at least this many rules. */
    static final int MIN_RULES = 256;

    private final int[] lists = new int[65536];

    PortTable(Map<Integer, Bucket> byPort, RuleIndex.Rules rules) {
        super(rules, RuleIndex.PORT);
        byPort.forEach((port, b) -> lists[port] = store(b.sub == null ? rules(b) : entries(b)));
        finish();
    }

    private int[] rules(Bucket b) {
        minRule = Math.min(minRule, b.first());
        return b.rules;
    }

    /** The candidate list (offset in {@link #pool}) for {@code port} (0..65535). */
    int lookup(int port) {
        return lists[port];
    }
}
