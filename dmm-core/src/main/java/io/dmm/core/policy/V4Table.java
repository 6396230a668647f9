package io.dmm.core.policy;

import java.util.Arrays;

/**
 * The flat, lookup-side form of an IPv4 {@link PrefixTrie}: a DIR-16 style table. The top 16 bits
 * of an address index a 65,536-entry root directly (the top 8 bits, in a 256-entry root, for small
 * tables such as most sub-indexes' — so that they do not cost 256 KB each); below that, nodes of 16 ints (one cache line)
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
    /** Tries with at least this many nodes get a 16-bit root, smaller ones an 8-bit one. */
    static final int BIG = 1024;

    final int[] root;
    /** 32 minus the root's bits: {@code root[address >>> rootShift]}. */
    final int rootShift;
    int[] nodes = new int[16 * 4];
    private int nodeCount = 1;
    /** Path-compressed subtrees: {prefix bits, mask, result inside, result outside} each. */
    int[] leaves = new int[4 * 4];
    private int leafCount;

    /** The one place with rules in a subtree: a prefix and its bucket. */
    private record Place(int bits, int length, Bucket bucket) {
    }

    /** Builds from a frozen IPv4 trie. */
    V4Table(PrefixTrie trie, RuleIndex.Rules rules, int satisfied) {
        super(rules, satisfied);
        int rootBits = trie.nodeCount() >= BIG ? 16 : 8;
        root = new int[1 << rootBits];
        rootShift = 32 - rootBits;
        top(trie, 0, 0, 0, EMPTY);
        nodes = Arrays.copyOf(nodes, 16 * nodeCount);
        leaves = Arrays.copyOf(leaves, 4 * leafCount);
        finish();
    }

    /** The {@link ListPool#result} (candidate list offset, or odd: an unconditional rule) for {@code address}. */
    int lookup(int address) {
        return lookup(root[address >>> rootShift], address);
    }

    /** {@link #lookup(int)} given the root entry for the address, {@code root[address >>> rootShift]}. */
    int lookup(int rootEntry, int address) {
        int e = rootEntry;
        int shift = rootShift - 4;
        while (e > 0) {
            if ((e & 1) != 0) {
                int l = (e >>> 1) << 2;
                return ((address ^ leaves[l]) & leaves[l + 1]) == 0 ? leaves[l + 2] : leaves[l + 3];
            }
            e = nodes[(e << 3) | ((address >>> shift) & 15)]; // node e >>> 1, 16 ints each
            shift -= 4;
        }
        return -e;
    }

    /** Above the root's depth: fills root entries. {@code block} is the first root entry under the node. */
    private void top(PrefixTrie t, int node, int depth, int block, int[] path) {
        int[] own = merge(path, entries(t.ownRules(node)));
        int rootBits = 32 - rootShift;
        int span = 1 << (rootBits - 4 - depth); // root entries per nibble at this depth
        for (int n = 0; n < 16; n++) {
            int[] slot = merge(own, entries(t.slotRules(node, n)));
            int child = t.child(node, n);
            int first = block + n * span;
            if (child != 0 && depth + 4 < rootBits) {
                top(t, child, depth + 4, first, slot);
            } else if (child != 0) {
                root[first] = below(t, child, rootBits, first << rootShift, slot);
            } else {
                Arrays.fill(root, first, first + span, -result(slot));
            }
        }
    }

    /**
     * Below the root (depth 8 or 16 .. 32), for the trie node with address bits {@code bits}: a node ({@code 2 * id}), a
     * leaf ({@code 2 * id + 1}) when the subtree holds one place only, or minus a result when there is
     * nothing to tell apart below.
     */
    private int below(PrefixTrie t, int node, int depth, int bits, int[] path) {
        int[] own = merge(path, entries(t.ownRules(node)));
        if (depth == 32) {
            return -result(own);
        }
        Place p = single(t, node, depth, bits);
        if (p != null && p.length() > depth) {
            // One prefix deeper down (a chain of nodes): one check instead of walking the chain.
            int in = result(merge(path, entries(p.bucket())));
            int out = result(path);
            if (4 * leafCount + 4 > leaves.length) {
                leaves = Arrays.copyOf(leaves, leaves.length * 2);
            }
            int l = 4 * leafCount;
            leaves[l] = p.bits();
            leaves[l + 1] = Cidr.v4Mask(p.length());
            leaves[l + 2] = in;
            leaves[l + 3] = out;
            return (leafCount++ << 1) | 1;
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
            int e = child != 0 ? below(t, child, depth + 4, bits | (n << (28 - depth)), slot) : -result(slot);
            nodes[16 * id + n] = e;
        }
        return id << 1;
    }

    /**
     * The one place holding rules in the subtree of {@code node} (at {@code depth}, with address
     * bits {@code bits}), or null if there are none or several. Slot lists count as one place if
     * they fill an aligned run of slots (the expansion of one prefix) with the same rules.
     */
    private static Place single(PrefixTrie t, int node, int depth, int bits) {
        int firstSlot = -1;
        int lastSlot = -1;
        int children = 0;
        int childNibble = -1;
        for (int n = 0; n < 16; n++) {
            if (t.slotRules(node, n) != null) {
                if (firstSlot < 0) {
                    firstSlot = n;
                }
                lastSlot = n;
            }
            if (t.child(node, n) != 0) {
                children++;
                childNibble = n;
            }
        }
        Bucket own = t.ownRules(node);
        if (own != null) {
            return firstSlot < 0 && children == 0 ? new Place(bits, depth, own) : null;
        }
        if (firstSlot >= 0) {
            int count = lastSlot - firstSlot + 1;
            if (children != 0 || Integer.bitCount(count) != 1 || firstSlot % count != 0) {
                return null;
            }
            Bucket b = t.slotRules(node, firstSlot);
            for (int n = firstSlot; n <= lastSlot; n++) {
                Bucket c = t.slotRules(node, n);
                if (c == null || c.sub != null || !Arrays.equals(c.rules, b.rules)) {
                    return null;
                }
            }
            int fixed = 4 - Integer.numberOfTrailingZeros(count); // bits of the nibble the prefix fixes
            return new Place(bits | (firstSlot << (28 - depth)), depth + fixed, b);
        }
        if (children == 1 && depth < 32) {
            return single(t, t.child(node, childNibble), depth + 4, bits | (childNibble << (28 - depth)));
        }
        return null;
    }
}
