package io.dmm.core.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A binary trie of address prefixes (one per address family). Each node stands for one prefix and
 * holds the ascending indices of the rules whose prefix ends exactly there, so that walking an
 * address from the root visits every rule prefix that contains it, in at most 32 (IPv4) or 128
 * (IPv6) steps, whatever the number of rules.
 *
 * <p>Nodes are numbered; the root is node 0, which is never a child, so 0 in a child array means
 * "no child".
 */
final class PrefixTrie {
    private final int maxDepth;
    private int[] zero = new int[16];
    private int[] one = new int[16];
    private final List<IntList> building = new ArrayList<>();
    private int nodes = 1;
    private int[][] lists;

    PrefixTrie(int maxDepth) {
        this.maxDepth = maxDepth;
        building.add(null);
    }

    /** Adds rule {@code rule} under the prefix given by the top {@code length} bits of hi:lo. */
    void insert(long hi, long lo, int length, int rule) {
        int node = 0;
        for (int depth = 0; depth < length; depth++) {
            int bit = bit(hi, lo, depth);
            int[] children = bit == 0 ? zero : one;
            int child = children[node];
            if (child == 0) {
                child = newNode();
                children = bit == 0 ? zero : one; // newNode may have grown the arrays
                children[node] = child;
            }
            node = child;
        }
        IntList l = building.get(node);
        if (l == null) {
            l = new IntList();
            building.set(node, l);
        }
        l.addAscending(rule);
    }

    private int newNode() {
        if (nodes == zero.length) {
            zero = Arrays.copyOf(zero, nodes * 2);
            one = Arrays.copyOf(one, nodes * 2);
        }
        building.add(null);
        return nodes++;
    }

    /** Ends building: rule lists become arrays. */
    void freeze() {
        lists = new int[nodes][];
        for (int i = 0; i < nodes; i++) {
            IntList l = building.get(i);
            lists[i] = l == null ? null : l.toArray();
        }
        zero = Arrays.copyOf(zero, nodes);
        one = Arrays.copyOf(one, nodes);
        building.clear();
    }

    static int bit(long hi, long lo, int depth) {
        return depth < 64 ? (int) (hi >>> (63 - depth)) & 1 : (int) (lo >>> (127 - depth)) & 1;
    }

    boolean isEmpty() {
        return nodes == 1 && lists[0] == null;
    }

    int maxDepth() {
        return maxDepth;
    }

    /** Rules ending at {@code node}, or null. */
    int[] rulesAt(int node) {
        return lists[node];
    }

    /** The child of {@code node} for {@code bit}, or 0 if there is none. */
    int child(int node, int bit) {
        return bit == 0 ? zero[node] : one[node];
    }
}
