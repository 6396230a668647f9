package io.dmm.core.policy;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The flat, lookup-side form of an IPv4 {@link PrefixTrie}: a DIR-16 style table. The top 16 bits
 * of an address index a 65,536-entry root directly; below that, nodes of 16 ints (one cache line)
 * consume 4 bits each, so an address reaches its answer in at most 1 + 4 dependent loads, instead
 * of up to 3 loads (child, own list, slot list) for each of 8 levels in the building trie.
 *
 * <p>Each slot holds either a child node ({@code > 0}) or a candidate list ({@code <= 0}: minus its
 * offset in {@link #pool}). A candidate list is already the merge of every list on the address's
 * path — all rules whose prefix contains the address — so a lookup scans one list instead of one per
 * level. Lists are ascending by key and end with {@link Integer#MAX_VALUE}. An entry {@code >= 0}
 * is a rule index; an entry {@code < 0} is a reference {@code -(id + 1)} whose key (the smallest rule
 * it can yield) is {@link #refKey}: a bucket's sub-index ({@link #refSub}) or another list
 * ({@link #refList}) — used when a merged path list would grow past {@value #INLINE} entries, so
 * that long lists of short prefixes are not copied into every place below them.
 */
final class V4Table {
    /** Path lists longer than this are referenced, not copied, by the lists below them. */
    static final int INLINE = 24;
    private static final int[] EMPTY = new int[0];

    final int[] root = new int[1 << 16];
    int[] nodes = new int[16 * 4];
    private int nodeCount = 1;
    int[] pool = new int[16];
    private int poolSize = 1;
    int[] refKey = new int[4];
    RuleIndex[] refSub = new RuleIndex[4];
    int[] refList = new int[4];
    private int refCount;
    /** The smallest rule index in the table: nothing to find here for a key whose best is at or below it. */
    int minRule = Integer.MAX_VALUE;

    private final Map<int[], Integer> stored = new IdentityHashMap<>();
    private final Map<Bucket, int[]> bucketEntries = new IdentityHashMap<>();
    private final Map<Integer, Integer> listRefs = new java.util.HashMap<>();

    /** Builds from a frozen IPv4 trie. */
    V4Table(PrefixTrie trie) {
        pool[0] = Integer.MAX_VALUE;
        top(trie, 0, 0, 0, EMPTY);
        nodes = Arrays.copyOf(nodes, 16 * nodeCount);
        pool = Arrays.copyOf(pool, poolSize);
        refKey = Arrays.copyOf(refKey, refCount);
        refSub = Arrays.copyOf(refSub, refCount);
        refList = Arrays.copyOf(refList, refCount);
        stored.clear();
        bucketEntries.clear();
        listRefs.clear();
    }

    /** The candidate list (offset in {@link #pool}) for {@code address}. */
    int lookup(int address) {
        int e = root[address >>> 16];
        int shift = 12;
        while (e > 0) {
            e = nodes[(e << 4) | ((address >>> shift) & 15)];
            shift -= 4;
        }
        return -e;
    }

    /** Above depth 16: fills root entries. {@code block} is the first /16 block under the node. */
    private void top(PrefixTrie t, int node, int depth, int block, int[] path) {
        int[] own = merge(path, entries(t.ownRules(node)));
        int span = 1 << (12 - depth); // /16 blocks per nibble at this depth
        for (int n = 0; n < 16; n++) {
            int[] slot = merge(own, entries(t.slotRules(node, n)));
            int child = t.child(node, n);
            int first = block + n * span;
            if (child != 0 && depth + 4 < 16) {
                top(t, child, depth + 4, first, slot);
            } else if (child != 0) {
                root[first] = below(t, child, 16, slot);
            } else {
                Arrays.fill(root, first, first + span, -store(slot));
            }
        }
    }

    /** At depth 16..32: a node id, or minus a list offset when there is nothing to tell apart below. */
    private int below(PrefixTrie t, int node, int depth, int[] path) {
        int[] own = merge(path, entries(t.ownRules(node)));
        if (depth == 32) {
            return -store(own);
        }
        boolean leaf = true;
        for (int n = 0; n < 16 && leaf; n++) {
            leaf = t.child(node, n) == 0 && t.slotRules(node, n) == null;
        }
        if (leaf) {
            return -store(own);
        }
        int id = nodeCount++;
        if (16 * nodeCount > nodes.length) {
            nodes = Arrays.copyOf(nodes, nodes.length * 2);
        }
        for (int n = 0; n < 16; n++) {
            int[] slot = merge(own, entries(t.slotRules(node, n)));
            int child = t.child(node, n);
            // Not "nodes[...] = below(...)": below() may grow (replace) the array.
            int e = child != 0 ? below(t, child, depth + 4, slot) : -store(slot);
            nodes[16 * id + n] = e;
        }
        return id;
    }

    private int[] entries(Bucket b) {
        if (b == null) {
            return EMPTY;
        }
        int[] e = bucketEntries.get(b);
        if (e == null) {
            minRule = Math.min(minRule, b.first());
            if (b.sub != null) {
                e = new int[] {newRef(b.first(), b.sub, 0)};
            } else if (b.rules.length > INLINE) {
                e = new int[] {listRef(store(b.rules))};
            } else {
                e = b.rules;
            }
            bucketEntries.put(b, e);
        }
        return e;
    }

    private int key(int entry) {
        return entry >= 0 ? entry : refKey[-entry - 1];
    }

    /** {@code a} and {@code b} merged by key (either returned as is if the other is empty). */
    private int[] merge(int[] a, int[] b) {
        if (b.length == 0) {
            return a;
        }
        if (a.length == 0) {
            return b;
        }
        if (a.length > INLINE) {
            a = new int[] {listRef(store(a))};
        }
        int[] out = new int[a.length + b.length];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < a.length || j < b.length) {
            int e;
            if (j == b.length || (i < a.length && key(a[i]) <= key(b[j]))) {
                e = a[i++];
            } else {
                e = b[j++];
            }
            if (k == 0 || out[k - 1] != e) {
                out[k++] = e;
            }
        }
        return k == out.length ? out : Arrays.copyOf(out, k);
    }

    /** The pool offset of {@code list} (stored once per array). */
    private int store(int[] list) {
        if (list.length == 0) {
            return 0;
        }
        Integer off = stored.get(list);
        if (off != null) {
            return off;
        }
        while (poolSize + list.length + 1 > pool.length) {
            pool = Arrays.copyOf(pool, pool.length * 2);
        }
        int o = poolSize;
        System.arraycopy(list, 0, pool, o, list.length);
        pool[o + list.length] = Integer.MAX_VALUE;
        poolSize += list.length + 1;
        stored.put(list, o);
        return o;
    }

    private int listRef(int offset) {
        Integer r = listRefs.get(offset);
        if (r == null) {
            r = newRef(key(pool[offset]), null, offset);
            listRefs.put(offset, r);
        }
        return r;
    }

    private int newRef(int key, RuleIndex sub, int list) {
        if (refCount == refKey.length) {
            refKey = Arrays.copyOf(refKey, refCount * 2);
            refSub = Arrays.copyOf(refSub, refCount * 2);
            refList = Arrays.copyOf(refList, refCount * 2);
        }
        refKey[refCount] = key;
        refSub[refCount] = sub;
        refList[refCount] = list;
        return -(++refCount);
    }
}
