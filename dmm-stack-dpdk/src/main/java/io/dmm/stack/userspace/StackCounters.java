package io.dmm.stack.userspace;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The counters of one stack instance. Incremented under the stack's lock (by the poll loop or an
 * application thread doing I/O), so plain longs; {@link #snapshot()} may run on any thread and sees
 * values that are at most a moment old.
 */
public final class StackCounters {
    private static final Counter[] ALL = Counter.values();
    private final long[] values = new long[ALL.length];

    public void increment(Counter c) {
        values[c.ordinal()]++;
    }

    public void add(Counter c, long n) {
        values[c.ordinal()] += n;
    }

    public long get(Counter c) {
        return values[c.ordinal()];
    }

    /** Every counter by {@link Counter#key()}, in declaration order (zeros included). */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Counter c : ALL) m.put(c.key(), values[c.ordinal()]);
        return m;
    }
}
