package io.dmm.core.policy;

/**
 * The rules filed at one place of a {@link RuleIndex} (a trie node, a port, a QoS value...), in
 * ascending index order. A big bucket whose rules differ in further fields gets an index of its
 * own over those fields, so that, for example, ten thousand rules for one destination prefix and
 * different ports are not scanned one by one.
 */
final class Bucket {
    /** The bucket's rules, ascending. */
    final int[] rules;
    /** An index over the rules by their other fields, or null when a scan is as good. */
    final RuleIndex sub;

    private Bucket(int[] rules, RuleIndex sub) {
        this.rules = rules;
        this.sub = sub;
    }

    /**
     * @param used      the fields already used to reach this bucket (and the bucket's own field)
     * @param threshold buckets with more rules than this are considered for a sub-index
     */
    static Bucket of(int[] rules, RuleIndex.Rules all, int used, int threshold) {
        RuleIndex sub = null;
        if (rules.length > threshold) {
            int discriminated = 0;
            for (int r : rules) {
                if (RuleIndex.fieldFor(all.matches[r], used) != 0) {
                    discriminated++;
                }
            }
            // Worth it only if a good part of the bucket can be filed elsewhere than a residual list.
            if (discriminated * 2 >= rules.length) {
                sub = new RuleIndex(all, rules, used, threshold);
            }
        }
        return new Bucket(rules, sub);
    }

    int first() {
        return rules[0];
    }
}
