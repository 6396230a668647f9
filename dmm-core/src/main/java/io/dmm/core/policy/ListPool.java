package io.dmm.core.policy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Candidate lists of the flat lookup tables ({@link V4Table}, {@link PortTable}), all in one int
 * array. A list is ascending by key and ends with {@link Integer#MAX_VALUE}; offset 0 is the empty
 * list. Each entry takes two ints. The first: {@code >= 0}, a rule index (its own key);
 * {@code < 0}, a reference {@code -(id + 1)} whose key, the smallest rule it can yield, is
 * {@link #refKey}: either a bucket's sub-index ({@link #refSub}) or another list
 * ({@link #refList}). The second, for a rule: the (protocol, role) pairs it accepts
 * ({@link RouteKey#kindBit()}), plus {@link #NEED_PORT} if its port bounds must be checked and
 * {@link #NEED_FULL} if fields other than the table's own must be — so that most candidates are
 * decided without leaving the list. A scan stops at the first entry whose key is not below the
 * best rule found so far.
 */
class ListPool {
    /** Path lists longer than this are referenced, not copied, by the lists built on them. */
    static final int INLINE = 24;
    static final int[] EMPTY = new int[0];
    static final int NEED_PORT = 1 << 30;
    static final int NEED_FULL = 1 << 31;

    int[] pool = new int[16];
    private int poolSize = 1;
    int[] refKey = new int[4];
    RuleIndex[] refSub = new RuleIndex[4];
    int[] refList = new int[4];
    private int refCount;
    /** The smallest rule index in the table: nothing to find here for a key whose best is at or below it. */
    int minRule = Integer.MAX_VALUE;

    private Map<int[], Integer> stored = new IdentityHashMap<>();
    private Map<Bucket, int[]> bucketEntries = new IdentityHashMap<>();
    private Map<Integer, Integer> listRefs = new HashMap<>();

    private final RuleIndex.Rules rules;
    private final int satisfied;

    /** @param satisfied the field (RuleIndex.DST...) whose table this is: its rules are known to match it */
    ListPool(RuleIndex.Rules rules, int satisfied) {
        this.rules = rules;
        this.satisfied = satisfied;
        pool[0] = Integer.MAX_VALUE;
        poolSize = 2;
    }

    /** The second int of rule {@code r}'s entries. */
    private int word(int r) {
        int[] q = rules.quick;
        int w = q[4 * r] & ~(NEED_PORT | NEED_FULL);
        if (q[4 * r + 1] >= 0 && satisfied != RuleIndex.PORT) {
            w |= NEED_PORT;
        }
        if ((q[4 * r + 3] & ~satisfied) != 0) {
            w |= NEED_FULL;
        }
        return w;
    }

    /** Ends building: trims the arrays and drops the building maps. */
    void finish() {
        pool = Arrays.copyOf(pool, poolSize);
        refKey = Arrays.copyOf(refKey, refCount);
        refSub = Arrays.copyOf(refSub, refCount);
        refList = Arrays.copyOf(refList, refCount);
        stored = null;
        bucketEntries = null;
        listRefs = null;
    }

    /** Entries standing for a bucket: its sub-index, a reference to its (long) list, or its rules. */
    int[] entries(Bucket b) {
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
    int[] merge(int[] a, int[] b) {
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
        return truncated(out, k);
    }

    /** Whether rule entry {@code e} matches every key that reaches it (nothing but its table's field). */
    private boolean unconditional(int e) {
        return e >= 0 && rules.allKinds != 0 && word(e) == rules.allKinds;
    }

    /**
     * The first {@code length} entries of {@code list} without dead ones. A rule that needs no check
     * but its (protocol, role) pair answers every key of those pairs that reaches it, so a later
     * rule accepting only pairs answered before it is never the answer (nor is one accepting none),
     * and once every pair is answered the rest of the list is dead. References are kept.
     */
    private int[] truncated(int[] list, int length) {
        int all = rules.allKinds;
        if (all == 0) {
            return length == list.length ? list : Arrays.copyOf(list, length);
        }
        int[] out = null;
        int k = 0;
        int answered = 0;
        for (int i = 0; i < length; i++) {
            int e = list[i];
            boolean keep = true;
            if (e >= 0) {
                int w = word(e);
                int kinds = w & all;
                keep = (kinds & ~answered) != 0;
                if (keep && (w & (NEED_PORT | NEED_FULL)) == 0) {
                    answered |= kinds;
                }
            }
            if (keep) {
                if (out != null) {
                    out[k] = e;
                }
                k++;
            } else if (out == null) {
                out = Arrays.copyOf(list, length);
            }
            if (answered == all) {
                break;
            }
        }
        if (out == null) {
            return k == list.length ? list : Arrays.copyOf(list, k);
        }
        return k == out.length ? out : Arrays.copyOf(out, k);
    }

    /**
     * What a table slot holds for {@code list}: {@code 2r + 1} (odd) if its first entry is an
     * unconditional rule {@code r} — the answer, without reading the pool — else the list's pool
     * offset (even).
     */
    int result(int[] list) {
        return list.length > 0 && unconditional(list[0]) ? 2 * list[0] + 1 : store(list);
    }

    /** The pool offset of {@code list} (stored once per array). */
    int store(int[] list) {
        if (list.length == 0) {
            return 0;
        }
        Integer off = stored.get(list);
        if (off != null) {
            return off;
        }
        int[] key = list;
        list = truncated(list, list.length);
        while (poolSize + 2 * list.length + 2 > pool.length) {
            pool = Arrays.copyOf(pool, pool.length * 2);
        }
        int o = poolSize;
        for (int i = 0; i < list.length; i++) {
            int e = list[i];
            pool[o + 2 * i] = e;
            pool[o + 2 * i + 1] = e >= 0 ? word(e) : 0;
        }
        pool[o + 2 * list.length] = Integer.MAX_VALUE;
        poolSize += 2 * list.length + 2;
        stored.put(key, o);
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
