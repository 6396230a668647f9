package io.dmm.core.policy;

import java.util.Map;

/**
 * Rules keyed by caller prefix. A lookup tries each name-boundary prefix of the caller class name
 * ("com", "com.acme", "com.acme.Foo", ...). To do that without creating substrings, the table is an
 * open-addressing hash keyed by {@link String#hashCode()}, which can be computed prefix by prefix
 * while scanning the name once.
 */
final class CallerPrefixTable {
    private final String[] keys;
    private final int[] hashes;
    private final Bucket[] lists;
    private final int mask;

    CallerPrefixTable(Map<String, Bucket> byPrefix) {
        int cap = Integer.highestOneBit(Math.max(4, byPrefix.size() * 2 + 1)) << 1;
        keys = new String[cap];
        hashes = new int[cap];
        lists = new Bucket[cap];
        mask = cap - 1;
        for (Map.Entry<String, Bucket> e : byPrefix.entrySet()) {
            int h = e.getKey().hashCode();
            int slot = spread(h) & mask;
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = e.getKey();
            hashes[slot] = h;
            lists[slot] = e.getValue();
        }
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    /** Rules for the prefix {@code name[0, length)} whose String hash is {@code hash}, or null. */
    Bucket find(String name, int length, int hash) {
        int slot = spread(hash) & mask;
        String k;
        while ((k = keys[slot]) != null) {
            if (hashes[slot] == hash && k.length() == length && name.startsWith(k)) {
                return lists[slot];
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }
}
