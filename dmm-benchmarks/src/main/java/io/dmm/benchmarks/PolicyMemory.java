package io.dmm.benchmarks;

import io.dmm.core.config.PolicyLoader;
import io.dmm.core.policy.Policy;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.Locale;

/**
 * The heap a compiled policy keeps, for the generated policies of {@link DecisionBenchmark} and
 * {@link PolicyCompileBenchmark}: the live heap ({@link LiveHeap}) with the policy held, minus the
 * live heap before its JSON text was made. The text and the generator are dropped before the second
 * reading, so what counts is what the policy itself retains — rules, index, the linear reference
 * and whatever the loader keeps for it. Each size is built three times; the median is printed.
 *
 * <pre>java -cp dmm-benchmarks/target/benchmarks.jar io.dmm.benchmarks.PolicyMemory [rules ...]</pre>
 *
 * (default 100 10000 100000; give the JVM heap room, e.g. {@code -Xmx4g}, for 100,000 rules).
 */
public final class PolicyMemory {
    private static final int BUILDS = 3;

    private PolicyMemory() {}

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {100, 10_000, 100_000}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.println("| addresses | rules | JSON text | retained heap (median of " + BUILDS + ") | per rule | all builds |");
        System.out.println("|---|---:|---:|---:|---:|---|");
        for (RuleSetGenerator.AddressSpace space : RuleSetGenerator.AddressSpace.values()) {
            // one build not counted: the first after another address space's largest policy came out
            // 70 KiB low (something from before was still live at its first reading)
            measure(space, sizes[0]);
            for (int rules : sizes) {
                long[] retained = new long[BUILDS];
                int jsonChars = 0;
                for (int b = 0; b < BUILDS; b++) {
                    long[] m = measure(space, rules);
                    retained[b] = m[0];
                    jsonChars = (int) m[1];
                }
                long[] sorted = retained.clone();
                Arrays.sort(sorted);
                long median = sorted[BUILDS / 2];
                System.out.printf(Locale.ROOT, "| %s | %,d | %,d chars | %s | %,d B | %s |%n", space, rules, jsonChars,
                        mebibytes(median), median / rules, Arrays.toString(Arrays.stream(retained).mapToObj(PolicyMemory::mebibytes).toArray()));
            }
        }
    }

    /** {retained bytes, JSON characters} of one build. */
    private static long[] measure(RuleSetGenerator.AddressSpace space, int rules) throws InterruptedException {
        long before = LiveHeap.bytes();
        String json = new RuleSetGenerator(42, space).policyJson(rules);
        int chars = json.length();
        Policy policy = PolicyLoader.parse(json, "generated-" + rules + ".json");
        json = null; // the text is not part of what the policy keeps
        long after = LiveHeap.bytes();
        Reference.reachabilityFence(policy);
        return new long[] {after - before, chars};
    }

    private static String mebibytes(long bytes) {
        return Math.abs(bytes) < 1024 * 1024 ? String.format(Locale.ROOT, "%.0f KiB", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
