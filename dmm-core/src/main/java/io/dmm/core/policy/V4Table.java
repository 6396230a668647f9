package io.dmm.core.policy;

import java.util.Arrays;

/**
 * The flat, lookup-side form of an IPv4 {@link PrefixTrie}: a DIR-16 style table. The top 16 bits
 * of an address index a 65,536-entry root directly; below that, nodes of 16 ints (one cache line)
 * consume 4 bits each, so an address reaches its answer in at most 1 + 4 dependent loads, instead
 * of up to 3 loads (child, own list, slot list) for each of 8 levels in the building trie.
 *
 * <p>Each slot holds either a child node ({@code > 0}) or minus a {@link ListPool#result}: a
 * candidate list's offset in {@link #pool}, or the rule itself when the list starts with a rule
 * that matches whatever reaches it (then the pool is not read at all). A candidate list is already the merge of every list on the address's
 * path — all rules whose prefix contains the address — so a lookup scans one list instead of one per
 * level. Lists are as described in {@link ListPool}; a merged path list that would grow past
 * {@value ListPool#INLINE} entries is referenced rather than copied by the lists below it, so that
 * long lists of short prefixes are not copied into every place under them.
 */
final class V4Table extends ListPool {
    final int[] root = new int[1 << 16];
    int[] nodes = new int[16 * 4];
    private int nodeCount = 1;

    /** Builds from a frozen IPv4 trie. */
    V4Table(PrefixTrie trie, RuleIndex.Rules rules, int satisfied) {
        super(rules, satisfied);
        top(trie, 0, 0, 0, EMPTY);
        nodes = Arrays.copyOf(nodes, 16 * nodeCount);
        finish();
    }

    /** The {@link ListPool#result} (candidate list offset, or odd: an unconditional rule) for {@code address}. */
    int lookup(int address) {
        return lookup(root[address >>> 16], address);
    }

    /** {@link #lookup(int)} given the root entry for the address, {@code root[address >>> 16]}. */
    int lookup(int rootEntry, int address) {
        int e = rootEntry;
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
                Arrays.fill(root, first, first + span, -result(slot));
            }
        }
    }

    /** At depth 16..32: a node id, or minus a list offset when there is nothing to tell apart below. */
    private int below(PrefixTrie t, int node, int depth, int[] path) {
        int[] own = merge(path, entries(t.ownRules(node)));
        if (depth == 32) {
            return -result(own);
        }
        boolean leaf = true;
        for (int n = 0; n < 16 && leaf; n++) {
            leaf = t.child(node, n) == 0 && t.slotRules(node, n) == null;
        }
        if (leaf) {
            return -result(own);
        }
        int id = nodeCount++;
        if (16 * nodeCount > nodes.length) {
            nodes = Arrays.copyOf(nodes, nodes.length * 2);
        }
        for (int n = 0; n < 16; n++) {
            int[] slot = merge(own, entries(t.slotRules(node, n)));
            int child = t.child(node, n);
            // Not "nodes[...] = below(...)": below() may grow (replace) the array.
            int e = child != 0 ? below(t, child, depth + 4, slot) : -result(slot);
            nodes[16 * id + n] = e;
        }
        return id;
    }
}
