package io.dmm.core.policy;

import java.util.Map;

/** Buckets by port number: an open-addressing table with int keys (no boxing at lookup). */
final class PortBuckets {
    private final int[] keys;
    private final Bucket[] buckets;
    private final int mask;

    PortBuckets(Map<Integer, Bucket> byPort) {
        int cap = Integer.highestOneBit(Math.max(4, byPort.size() * 2 + 1)) << 1;
        keys = new int[cap];
        buckets = new Bucket[cap];
        mask = cap - 1;
        byPort.forEach((port, bucket) -> {
            int slot = spread(port) & mask;
            while (buckets[slot] != null) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = port;
            buckets[slot] = bucket;
        });
    }

    private static int spread(int port) {
        return port * 0x9E3779B1 >>> 7;
    }

    /** The bucket for {@code port}, or null. */
    Bucket get(int port) {
        int slot = spread(port) & mask;
        Bucket b;
        while ((b = buckets[slot]) != null) {
            if (keys[slot] == port) {
                return b;
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }
}
