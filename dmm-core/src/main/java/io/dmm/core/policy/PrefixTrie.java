package io.dmm.core.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A trie of address prefixes (one per address family) that consumes the address four bits at a
 * time, so a walk takes at most 8 (IPv4) or 32 (IPv6) steps whatever the number of rules: fewer
 * steps than a binary trie means fewer cache misses, which is what a lookup in a big policy
 * costs.
 *
 * <p>A node sits at a depth that is a multiple of 4. A prefix whose length is that depth is filed
 * in the node's own list. A prefix 1 to 3 bits longer is filed ("expanded") in every one of the
 * node's 16 nibble slots that it covers. Walking an address therefore visits, for each node on its
 * path, the node's own list and the list of the slot for the address's next nibble — exactly the
 * rules whose prefix contains the address. Lists hold ascending rule indices (rules are inserted
 * in index order), so the caller can stop scanning early.
 *
 * <p>The root is node 0 and never a child, so 0 as a child means "no child"; -1 means "no list".
 */
final class PrefixTrie {
    private static final int STRIDE = 4;
    private static final int FANOUT = 1 << STRIDE;

    private final int maxDepth;
    private int[] children = new int[FANOUT * 16];
    private int[] slotLists = new int[FANOUT * 16];
    private int[] ownLists = new int[16];
    private int nodeCount = 1;
    private final List<IntList> building = new ArrayList<>();
    private Bucket[] lists;

    /** @param maxDepth 32 for IPv4, 128 for IPv6 (a multiple of 4) */
    PrefixTrie(int maxDepth) {
        this.maxDepth = maxDepth;
        Arrays.fill(slotLists, 0, FANOUT, -1);
        ownLists[0] = -1;
    }

    /** Adds rule {@code rule} under the prefix given by the top {@code length} bits of hi:lo. */
    void insert(long hi, long lo, int length, int rule) {
        int node = 0;
        int depth = 0;
        while (depth + STRIDE <= length) {
            int slot = FANOUT * node + nibble(hi, lo, depth);
            int child = children[slot];
            if (child == 0) {
                child = newNode();
                children[slot] = child;
            }
            node = child;
            depth += STRIDE;
        }
        int rest = length - depth;
        if (rest == 0) {
            ownLists[node] = add(ownLists[node], rule);
            return;
        }
        // The prefix fixes the top `rest` bits of the next nibble: it covers 2^(4-rest) slots.
        int first = nibble(hi, lo, depth) & (FANOUT - (1 << (STRIDE - rest)));
        for (int n = first; n < first + (1 << (STRIDE - rest)); n++) {
            int slot = FANOUT * node + n;
            slotLists[slot] = add(slotLists[slot], rule);
        }
    }

    private int add(int list, int rule) {
        if (list < 0) {
            list = building.size();
            building.add(new IntList());
        }
        building.get(list).addAscending(rule);
        return list;
    }

    private int newNode() {
        if (nodeCount == ownLists.length) {
            ownLists = Arrays.copyOf(ownLists, nodeCount * 2);
            children = Arrays.copyOf(children, FANOUT * nodeCount * 2);
            slotLists = Arrays.copyOf(slotLists, FANOUT * nodeCount * 2);
        }
        int n = nodeCount++;
        ownLists[n] = -1;
        Arrays.fill(slotLists, FANOUT * n, FANOUT * n + FANOUT, -1);
        return n;
    }

    /** Ends building: rule lists become buckets. */
    void freeze(java.util.function.Function<int[], Bucket> toBucket) {
        lists = new Bucket[building.size()];
        for (int i = 0; i < lists.length; i++) {
            lists[i] = toBucket.apply(building.get(i).toArray());
        }
        ownLists = Arrays.copyOf(ownLists, nodeCount);
        children = Arrays.copyOf(children, FANOUT * nodeCount);
        slotLists = Arrays.copyOf(slotLists, FANOUT * nodeCount);
        building.clear();
    }

    /** The 4 address bits starting at {@code depth} (a multiple of 4, so never split across hi/lo). */
    static int nibble(long hi, long lo, int depth) {
        return depth < 64 ? (int) (hi >>> (60 - depth)) & 15 : (int) (lo >>> (124 - depth)) & 15;
    }

    /** How many nodes the trie has (a measure of its size). */
    int nodeCount() {
        return nodeCount;
    }

    int maxDepth() {
        return maxDepth;
    }

    int stride() {
        return STRIDE;
    }

    /** Rules whose prefix ends exactly at {@code node}'s depth, or null. */
    Bucket ownRules(int node) {
        int l = ownLists[node];
        return l < 0 ? null : lists[l];
    }

    /** Rules whose prefix ends 1..3 bits below {@code node} and covers nibble {@code n}, or null. */
    Bucket slotRules(int node, int n) {
        int l = slotLists[FANOUT * node + n];
        return l < 0 ? null : lists[l];
    }

    /** The child of {@code node} for nibble {@code n}, or 0 if there is none. */
    int child(int node, int n) {
        return children[FANOUT * node + n];
    }
}
