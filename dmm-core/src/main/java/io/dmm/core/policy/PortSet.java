package io.dmm.core.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A set of ports 0..65535 given as numbers and ranges; kept as sorted, merged ranges. */
public final class PortSet {
    private final int[] from;
    private final int[] to;
    private final String text;

    private PortSet(int[] from, int[] to, String text) {
        this.from = from;
        this.to = to;
        this.text = text;
    }

    /**
     * @param ranges pairs {@code [lo, hi]} with {@code 0 <= lo <= hi <= 65535}
     * @param text   how the set is written, for descriptions
     */
    public static PortSet of(List<int[]> ranges, String text) {
        List<int[]> sorted = new ArrayList<>(ranges);
        for (int[] r : sorted) {
            if (r[0] < 0 || r[1] > 65535 || r[0] > r[1]) {
                throw new IllegalArgumentException("bad port range " + Arrays.toString(r));
            }
        }
        sorted.sort((a, b) -> Integer.compare(a[0], b[0]));
        List<int[]> merged = new ArrayList<>();
        for (int[] r : sorted) {
            int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && r[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                merged.add(new int[] {r[0], r[1]});
            }
        }
        int[] f = new int[merged.size()];
        int[] t = new int[merged.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = merged.get(i)[0];
            t[i] = merged.get(i)[1];
        }
        return new PortSet(f, t, text);
    }

    public boolean contains(int port) {
        // Binary search for the last range starting at or below port.
        int lo = 0;
        int hi = from.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (from[mid] <= port) {
                if (port <= to[mid]) {
                    return true;
                }
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return false;
    }

    /** How many ports the set holds. */
    public int size() {
        int n = 0;
        for (int i = 0; i < from.length; i++) {
            n += to[i] - from[i] + 1;
        }
        return n;
    }

    int rangeCount() {
        return from.length;
    }

    int rangeFrom(int i) {
        return from[i];
    }

    int rangeTo(int i) {
        return to[i];
    }

    @Override
    public String toString() {
        return text;
    }
}
