package io.dmm.core.policy;

import io.dmm.api.Protocol;
import io.dmm.api.Role;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The compiled form of a policy's rules: finds the first matching rule without trying them all.
 *
 * <p>Each rule is filed under exactly one of its constrained fields, the most selective one, in this
 * order: {@code dst} (prefix tries, IPv4 and IPv6, see {@link PrefixTrie}), {@code port} (a bucket
 * per port, when the rule names at most {@value #MAX_INDEXED_PORTS} ports), {@code src} (tries),
 * {@code qos}, {@code tag}, {@code app} (hash maps), {@code caller} (prefix table), else a residual
 * list. A key can only match rules filed in the places it reaches: the trie nodes on its address's
 * path, its port's bucket, the buckets of its values, the prefixes of its caller and the residual
 * list. Each bucket is sorted, so it is scanned only until its first fully matching rule or until
 * it passes the best index found so far; the smallest index wins, which is exactly "first match in
 * file order".
 *
 * <p>A bucket holding many rules that differ in further fields (many ports for one destination,
 * say) gets a sub-index of the same kind over those fields, so the cost of a decision depends on
 * how many rules really overlap a key, not on the number of rules. Lookup allocates nothing: the
 * key carries its addresses as bits ({@link RouteKey#serviceBits()}).
 *
 * <p>For IPv4 and ports, what a lookup reads is flattened after building into one int array of
 * candidate lists ({@link ListPool}): IPv4 tries become {@link V4Table}s (a 65,536-entry root, then
 * 16-int nodes or one-prefix leaves, whose slots hold the merged list of every rule on the address's
 * path, or the answer itself), and indexes over many ports get a {@link PortTable}. A list entry
 * carries the rule's (protocol, role) bits and what else must be checked, so most candidates are
 * decided without leaving the list; the rest use {@link Rules#quick} and then
 * {@link RuleMatch#matches}. An IPv4 decision thus costs a handful of dependent loads per table,
 * whatever the number of rules. IPv6 still walks the {@link PrefixTrie}.
 */
final class RuleIndex {
    static final int MAX_INDEXED_PORTS = 1024;
    /** Buckets with more rules than this get a sub-index when their rules can be told apart. */
    static final int DEFAULT_SPLIT_THRESHOLD = 16;

    static final int DST = 1;
    static final int PORT = 2;
    static final int SRC = 4;
    static final int QOS = 8;
    static final int TAG = 16;
    static final int APP = 32;
    static final int CALLER = 64;

    private final RuleMatch[] matches;
    /** See {@link Rules#quick}. */
    private final int[] quick;
    private final Rules rules;
    private final V4Table dst4;
    private final PrefixTrie dst6;
    private final V4Table src4;
    private final PrefixTrie src6;
    private final PortBuckets ports;
    private final PortTable portTable;
    private final Map<String, Bucket> qos;
    private final Map<String, Bucket> tag;
    private final Map<String, Bucket> app;
    private final CallerPrefixTable callers;
    private final Bucket residual;

    RuleIndex(List<Rule> rules) {
        this(rules, DEFAULT_SPLIT_THRESHOLD);
    }

    /** With another split threshold: tests use a tiny one so that sub-indexes are exercised. */
    RuleIndex(List<Rule> rules, int splitThreshold) {
        this(new Rules(rules.stream().map(Rule::match).toArray(RuleMatch[]::new)), allIndices(rules.size()), 0,
                splitThreshold);
    }

    private static int[] allIndices(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return all;
    }

    /**
     * An index over {@code subset} (ascending) of {@code matches}, filing rules only under fields
     * not in {@code used} (those already told the rules of a bucket apart).
     */
    RuleIndex(Rules rules, int[] subset, int used, int threshold) {
        this.rules = rules;
        this.matches = rules.matches;
        this.quick = rules.quick;
        PrefixTrie d4 = null;
        PrefixTrie d6 = null;
        PrefixTrie s4 = null;
        PrefixTrie s6 = null;
        Map<Integer, IntList> portLists = new HashMap<>();
        Map<String, IntList> qosLists = new HashMap<>();
        Map<String, IntList> tagLists = new HashMap<>();
        Map<String, IntList> appLists = new HashMap<>();
        Map<String, IntList> callerLists = new HashMap<>();
        IntList rest = new IntList();
        for (int i : subset) {
            RuleMatch m = matches[i];
            switch (fieldFor(m, used)) {
                case DST -> {
                    for (Cidr c : m.dst()) {
                        if (c.isV4()) {
                            d4 = insert(d4, 32, c, i);
                        } else {
                            d6 = insert(d6, 128, c, i);
                        }
                    }
                }
                case PORT -> {
                    PortSet p = m.port();
                    for (int r = 0; r < p.rangeCount(); r++) {
                        for (int port = p.rangeFrom(r); port <= p.rangeTo(r); port++) {
                            portLists.computeIfAbsent(port, k -> new IntList()).addAscending(i);
                        }
                    }
                }
                case SRC -> {
                    for (Cidr c : m.src()) {
                        if (c.isV4()) {
                            s4 = insert(s4, 32, c, i);
                        } else {
                            s6 = insert(s6, 128, c, i);
                        }
                    }
                }
                case QOS -> fileUnder(m.qos(), qosLists, i);
                case TAG -> fileUnder(m.tag(), tagLists, i);
                case APP -> fileUnder(m.app(), appLists, i);
                case CALLER -> fileUnder(m.caller(), callerLists, i);
                default -> rest.addAscending(i);
            }
        }
        dst4 = flat(freeze(d4, used | DST, threshold), DST);
        dst6 = freeze(d6, used | DST, threshold);
        src4 = flat(freeze(s4, used | SRC, threshold), SRC);
        src6 = freeze(s6, used | SRC, threshold);
        if (portLists.isEmpty()) {
            ports = null;
            portTable = null;
        } else {
            Map<Integer, Bucket> byPort = new HashMap<>();
            portLists.forEach((port, l) -> byPort.put(port, Bucket.of(l.toArray(), rules, used | PORT, threshold)));
            // The table costs 256 KB: only for indexes over many rules (not for most sub-indexes).
            boolean big = byPort.size() >= PortTable.MIN_PORTS && subset.length >= PortTable.MIN_RULES;
            ports = big ? null : new PortBuckets(byPort);
            portTable = big ? new PortTable(byPort, rules) : null;
        }
        qos = buckets(qosLists, used | QOS, threshold);
        tag = buckets(tagLists, used | TAG, threshold);
        app = buckets(appLists, used | APP, threshold);
        Map<String, Bucket> callerBuckets = buckets(callerLists, used | CALLER, threshold);
        callers = callerBuckets == null ? null : new CallerPrefixTable(callerBuckets);
        int[] r = rest.toArray();
        // The residual rules have no field left to tell them apart: a plain scan.
        residual = r.length == 0 ? null : Bucket.of(r, rules, ~0, Integer.MAX_VALUE);
    }

    /**
     * The rules an index and its sub-indexes are over, with a compact form of each rule's commonest
     * conditions for the list scans: four ints per rule, {@code quick[4r..4r+3]}, read in one cache
     * line instead of following the rule's objects. {@code [4r]}: the (protocol, role) pairs the rule
     * accepts, as bits ({@link RouteKey#kindBit()}); {@code [4r+1], [4r+2]}: the smallest and largest
     * port it accepts (-1..65535 if unconstrained, so that "no port" passes); {@code [4r+3]}: the
     * fields (DST, SRC, PORT when the port set is not one range, QOS|TAG|APP|CALLER) that the quick
     * test does not decide, for which {@link RuleMatch#matches} is asked.
     */
    static final class Rules {
        final RuleMatch[] matches;
        final int[] quick;
        /** The kind bits of a rule without protocol or role; 0 if those are not told apart by bits. */
        final int allKinds;

        Rules(RuleMatch[] matches) {
            this.matches = matches;
            this.quick = new int[4 * matches.length];
            Protocol[] protocols = Protocol.values();
            Role[] roles = Role.values();
            boolean kindsFit = protocols.length * roles.length <= 30;
            int all = 0;
            for (Protocol p : protocols) {
                for (Role role : roles) {
                    all |= RouteKey.kindBit(p, role);
                }
            }
            this.allKinds = kindsFit ? all : 0;
            for (int r = 0; r < matches.length; r++) {
                RuleMatch m = matches[r];
                int kinds = kindsFit ? 0 : -1;
                if (kindsFit) {
                    for (Protocol p : protocols) {
                        for (Role role : roles) {
                            if ((m.proto() == null || m.proto() == p) && (m.role() == null || m.role() == role)) {
                                kinds |= RouteKey.kindBit(p, role);
                            }
                        }
                    }
                }
                int rest = kindsFit ? 0 : QOS;
                int lo = -1;
                int hi = 65535;
                PortSet ports = m.port();
                if (ports != null) {
                    lo = ports.rangeFrom(0);
                    hi = ports.rangeTo(ports.rangeCount() - 1);
                    if (ports.rangeCount() > 1) {
                        rest |= PORT;
                    }
                }
                rest |= (m.dst() != null ? DST : 0) | (m.src() != null ? SRC : 0) | (m.qos() != null ? QOS : 0)
                        | (m.tag() != null ? TAG : 0) | (m.app() != null ? APP : 0) | (m.caller() != null ? CALLER : 0);
                quick[4 * r] = kinds;
                quick[4 * r + 1] = lo;
                quick[4 * r + 2] = hi;
                quick[4 * r + 3] = rest;
            }
        }
    }

    /** The field a rule is filed under, given the fields already used; 0 for the residual list. */
    static int fieldFor(RuleMatch m, int used) {
        if ((used & DST) == 0 && m.dst() != null) {
            return DST;
        }
        if ((used & PORT) == 0 && m.port() != null && m.port().size() <= MAX_INDEXED_PORTS) {
            return PORT;
        }
        if ((used & SRC) == 0 && m.src() != null) {
            return SRC;
        }
        if ((used & QOS) == 0 && m.qos() != null) {
            return QOS;
        }
        if ((used & TAG) == 0 && m.tag() != null) {
            return TAG;
        }
        if ((used & APP) == 0 && m.app() != null) {
            return APP;
        }
        if ((used & CALLER) == 0 && m.caller() != null) {
            return CALLER;
        }
        return 0;
    }

    private static PrefixTrie insert(PrefixTrie trie, int depth, Cidr c, int rule) {
        // A rule listing several prefixes of which one contains another is filed at each; the scan
        // stops at the first full match, so that costs nothing but a little memory.
        PrefixTrie t = trie == null ? new PrefixTrie(depth) : trie;
        t.insert(c.trieHi(), c.trieLo(), c.prefixLength(), rule);
        return t;
    }

    private PrefixTrie freeze(PrefixTrie trie, int used, int threshold) {
        if (trie != null) {
            trie.freeze(list -> Bucket.of(list, rules, used, threshold));
        }
        return trie;
    }

    private V4Table flat(PrefixTrie v4, int field) {
        return v4 == null ? null : new V4Table(v4, rules, field);
    }

    private static void fileUnder(List<String> values, Map<String, IntList> lists, int rule) {
        for (String v : values) {
            lists.computeIfAbsent(v, k -> new IntList()).addAscending(rule);
        }
    }

    private Map<String, Bucket> buckets(Map<String, IntList> lists, int used, int threshold) {
        if (lists.isEmpty()) {
            return null;
        }
        Map<String, Bucket> m = new HashMap<>(lists.size() * 2);
        lists.forEach((k, v) -> m.put(k, Bucket.of(v.toArray(), rules, used, threshold)));
        return m;
    }

    /** Index of the first rule (in file order) matching {@code key}, or -1. */
    int find(RouteKey key) {
        int best = find(key, key.serviceBits(), key.sourceBits(), Integer.MAX_VALUE);
        return best == Integer.MAX_VALUE ? -1 : best;
    }

    /** The smallest matching rule index below {@code best}, else {@code best}. */
    private int find(RouteKey key, AddressBits svc, AddressBits src, int best) {
        if (residual != null) {
            best = scan(residual, key, svc, src, best);
        }
        int port = key.port();
        // The first loads into the dst, port and src tables do not depend on each other: issue them
        // together, so that in a big index their cache misses overlap instead of following each other.
        boolean dstV4 = dst4 != null && key.serviceIsV4();
        int dstEntry = dstV4 ? dst4.root[key.serviceV4() >>> dst4.rootShift] : 0;
        boolean byPort = portTable != null && port >= 0;
        int portList = byPort ? portTable.lookup(port) : 0;
        int portFirst = byPort ? portTable.pool[portList] : 0;
        boolean srcV4 = src4 != null && key.sourceIsV4();
        int srcEntry = srcV4 ? src4.root[key.sourceV4() >>> src4.rootShift] : 0;
        if (dstV4) {
            if (dst4.minRule < best) {
                best = scanResult(dst4, dst4.lookup(dstEntry, key.serviceV4()), key, svc, src, best);
            }
        } else if (dst6 != null && svc.isV6()) {
            best = walk(dst6, svc, key, svc, src, best);
        }
        if (byPort) {
            // portFirst: the list's first entry (a rule index, or a reference if negative).
            if (portTable.minRule < best && portFirst < best) {
                best = scanList(portTable, portList, key, svc, src, best);
            }
        } else if (ports != null && port >= 0) {
            Bucket b = ports.get(port);
            if (b != null) {
                best = scan(b, key, svc, src, best);
            }
        }
        if (srcV4) {
            if (src4.minRule < best) {
                best = scanResult(src4, src4.lookup(srcEntry, key.sourceV4()), key, svc, src, best);
            }
        } else if (src6 != null && src.isV6()) {
            best = walk(src6, src, key, svc, src, best);
        }
        best = scanValue(qos, key.qos(), key, svc, src, best);
        best = scanValue(tag, key.tag(), key, svc, src, best);
        best = scanValue(app, key.app(), key, svc, src, best);
        String caller = key.caller();
        if (callers != null && caller != null) {
            best = scanCallerPrefixes(caller, key, svc, src, best);
        }
        return best;
    }

    private int walk(PrefixTrie trie, AddressBits a, RouteKey key, AddressBits svc, AddressBits src, int best) {
        long hi = a.trieHi();
        long lo = a.trieLo();
        int node = 0;
        int max = trie.maxDepth();
        for (int depth = 0; ; depth += trie.stride()) {
            Bucket b = trie.ownRules(node);
            if (b != null) {
                best = scan(b, key, svc, src, best);
            }
            if (depth == max) {
                return best;
            }
            int n = PrefixTrie.nibble(hi, lo, depth);
            b = trie.slotRules(node, n);
            if (b != null) {
                best = scan(b, key, svc, src, best);
            }
            node = trie.child(node, n);
            if (node == 0) {
                return best;
            }
        }
    }

    /** For a {@link ListPool#result}: an unconditional rule (odd) or a list to scan (even). */
    private int scanResult(ListPool t, int result, RouteKey key, AddressBits svc, AddressBits src, int best) {
        if ((result & 1) != 0) {
            return Math.min(best, result >>> 1);
        }
        return scanList(t, result, key, svc, src, best);
    }

    /** Scans a candidate list of {@code t} from pool offset {@code off} (see {@link ListPool}). */
    private int scanList(ListPool t, int off, RouteKey key, AddressBits svc, AddressBits src, int best) {
        int[] pool = t.pool;
        int kind = key.kindBit();
        int port = key.port();
        for (; ; off += 2) {
            int e = pool[off];
            if (e >= 0) {
                if (e >= best) {
                    return best;
                }
                int w = pool[off + 1];
                if ((w & kind) != 0 && ((w & (ListPool.NEED_PORT | ListPool.NEED_FULL)) == 0
                        || slowCheck(e, w, port, key, svc, src))) {
                    return e;
                }
            } else {
                int id = -e - 1;
                if (t.refKey[id] >= best) {
                    return best;
                }
                RuleIndex sub = t.refSub[id];
                best = sub != null ? sub.find(key, svc, src, best)
                        : scanList(t, t.refList[id], key, svc, src, best);
            }
        }
    }

    private boolean slowCheck(int r, int w, int port, RouteKey key, AddressBits svc, AddressBits src) {
        if ((w & ListPool.NEED_PORT) != 0 && (port < quick[4 * r + 1] || port > quick[4 * r + 2])) {
            return false;
        }
        return (w & ListPool.NEED_FULL) == 0 || matches[r].matches(key, svc, src);
    }

    private int scanValue(Map<String, Bucket> buckets, String value, RouteKey key, AddressBits svc,
                          AddressBits src, int best) {
        if (buckets == null || value == null) {
            return best;
        }
        Bucket b = buckets.get(value);
        return b == null ? best : scan(b, key, svc, src, best);
    }

    private int scanCallerPrefixes(String caller, RouteKey key, AddressBits svc, AddressBits src, int best) {
        int h = 0;
        int n = caller.length();
        for (int i = 0; i <= n; i++) {
            if (i == n || RuleMatch.isNameBoundary(caller.charAt(i))) {
                Bucket b = callers.find(caller, i, h);
                if (b != null) {
                    best = scan(b, key, svc, src, best);
                }
            }
            if (i < n) {
                h = 31 * h + caller.charAt(i);
            }
        }
        return best;
    }

    /** The first rule of {@code bucket} below {@code best} that fully matches, else {@code best}. */
    private int scan(Bucket bucket, RouteKey key, AddressBits svc, AddressBits src, int best) {
        if (bucket.first() >= best) {
            return best;
        }
        if (bucket.sub != null) {
            return bucket.sub.find(key, svc, src, best);
        }
        for (int r : bucket.rules) {
            if (r >= best) {
                return best;
            }
            if (matches[r].matches(key, svc, src)) {
                return r;
            }
        }
        return best;
    }
}
