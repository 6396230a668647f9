package io.dmm.core.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The compiled form of a policy's rules: finds the first matching rule without trying them all.
 *
 * <p>Each rule is filed under exactly one of its constrained fields, the most selective one, in this
 * order: {@code dst} (prefix tries, IPv4 and IPv6, see {@link PrefixTrie}), {@code port} (one slot per port, when the rule
 * names at most {@value #MAX_INDEXED_PORTS} ports), {@code src} (tries), {@code qos}, {@code tag},
 * {@code app} (hash maps), {@code caller} (prefix table), else a residual list. A key can only match
 * rules filed in the places it reaches: the trie nodes on its address's path, its port's slot, the
 * hash entries of its values, the prefixes of its caller and the residual list. Each such list is
 * sorted, so it is scanned only until its first fully matching rule or until it passes the best
 * index found so far; the smallest index wins, which is exactly "first match in file order".
 *
 * <p>Cost grows with the length of the lists a key reaches (rules sharing its prefix, port or
 * value), not with the number of rules. Lookup allocates nothing but a per-thread scratch object
 * once (IPv6 addresses cost one array copy inside {@code InetAddress.getAddress()}).
 */
final class RuleIndex {
    static final int MAX_INDEXED_PORTS = 1024;

    private final RuleMatch[] matches;
    private final PrefixTrie dst4 = new PrefixTrie(32);
    private final PrefixTrie dst6 = new PrefixTrie(128);
    private final PrefixTrie src4 = new PrefixTrie(32);
    private final PrefixTrie src6 = new PrefixTrie(128);
    private final int[][] ports;
    private final Map<String, int[]> qos;
    private final Map<String, int[]> tag;
    private final Map<String, int[]> app;
    private final CallerPrefixTable callers;
    private final boolean hasCallers;
    private final int[] residual;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Per-thread bits of the key being decided, so a decision does not allocate. */
    private static final class Scratch {
        final AddressBits svc = new AddressBits();
        final AddressBits src = new AddressBits();
    }

    RuleIndex(List<Rule> rules) {
        matches = new RuleMatch[rules.size()];
        IntList[] portLists = null;
        Map<String, IntList> qosLists = new HashMap<>();
        Map<String, IntList> tagLists = new HashMap<>();
        Map<String, IntList> appLists = new HashMap<>();
        Map<String, IntList> callerLists = new HashMap<>();
        IntList rest = new IntList();
        for (int i = 0; i < matches.length; i++) {
            RuleMatch m = rules.get(i).match();
            matches[i] = m;
            if (m.dst() != null) {
                fileUnder(m.dst(), dst4, dst6, i);
            } else if (m.port() != null && m.port().size() <= MAX_INDEXED_PORTS) {
                if (portLists == null) {
                    portLists = new IntList[65536];
                }
                PortSet p = m.port();
                for (int r = 0; r < p.rangeCount(); r++) {
                    for (int port = p.rangeFrom(r); port <= p.rangeTo(r); port++) {
                        if (portLists[port] == null) {
                            portLists[port] = new IntList();
                        }
                        portLists[port].addAscending(i);
                    }
                }
            } else if (m.src() != null) {
                fileUnder(m.src(), src4, src6, i);
            } else if (m.qos() != null) {
                fileUnder(m.qos(), qosLists, i);
            } else if (m.tag() != null) {
                fileUnder(m.tag(), tagLists, i);
            } else if (m.app() != null) {
                fileUnder(m.app(), appLists, i);
            } else if (m.caller() != null) {
                fileUnder(m.caller(), callerLists, i);
            } else {
                rest.addAscending(i);
            }
        }
        dst4.freeze();
        dst6.freeze();
        src4.freeze();
        src6.freeze();
        if (portLists != null) {
            ports = new int[65536][];
            for (int p = 0; p < 65536; p++) {
                ports[p] = portLists[p] == null ? null : portLists[p].toArray();
            }
        } else {
            ports = null;
        }
        qos = freeze(qosLists);
        tag = freeze(tagLists);
        app = freeze(appLists);
        hasCallers = !callerLists.isEmpty();
        callers = hasCallers ? new CallerPrefixTable(callerLists) : CallerPrefixTable.empty();
        int[] r = rest.toArray();
        residual = r.length == 0 ? null : r;
    }

    private static void fileUnder(List<Cidr> cidrs, PrefixTrie v4, PrefixTrie v6, int rule) {
        // A rule listing several prefixes of which one contains another is filed at each; the scan
        // stops at the first full match, so that costs nothing but a little memory.
        for (Cidr c : cidrs) {
            (c.isV4() ? v4 : v6).insert(c.trieHi(), c.trieLo(), c.prefixLength(), rule);
        }
    }

    private static void fileUnder(List<String> values, Map<String, IntList> lists, int rule) {
        for (String v : values) {
            lists.computeIfAbsent(v, k -> new IntList()).addAscending(rule);
        }
    }

    private static Map<String, int[]> freeze(Map<String, IntList> lists) {
        if (lists.isEmpty()) {
            return null;
        }
        Map<String, int[]> m = new HashMap<>(lists.size() * 2);
        lists.forEach((k, v) -> m.put(k, v.toArray()));
        return m;
    }

    /** Index of the first rule (in file order) matching {@code key}, or -1. */
    int find(RouteKey key) {
        Scratch s = SCRATCH.get();
        AddressBits svc = s.svc;
        AddressBits src = s.src;
        svc.load(key.service());
        src.load(key.source());
        int best = Integer.MAX_VALUE;
        if (residual != null) {
            best = scan(residual, key, svc, src, best);
        }
        if (svc.isPresent()) {
            best = walk(svc.isV4() ? dst4 : dst6, svc, key, svc, src, best);
        }
        int port = key.port();
        if (ports != null && port >= 0) {
            int[] l = ports[port];
            if (l != null) {
                best = scan(l, key, svc, src, best);
            }
        }
        if (src.isPresent()) {
            best = walk(src.isV4() ? src4 : src6, src, key, svc, src, best);
        }
        best = scanValue(qos, key.qos(), key, svc, src, best);
        best = scanValue(tag, key.tag(), key, svc, src, best);
        best = scanValue(app, key.app(), key, svc, src, best);
        String caller = key.caller();
        if (hasCallers && caller != null) {
            best = scanCallerPrefixes(caller, key, svc, src, best);
        }
        return best == Integer.MAX_VALUE ? -1 : best;
    }

    private int walk(PrefixTrie trie, AddressBits a, RouteKey key, AddressBits svc, AddressBits src, int best) {
        long hi = a.trieHi();
        long lo = a.trieLo();
        int node = 0;
        int max = trie.maxDepth();
        for (int depth = 0; ; depth += trie.stride()) {
            int[] l = trie.ownRules(node);
            if (l != null) {
                best = scan(l, key, svc, src, best);
            }
            if (depth == max) {
                return best;
            }
            int n = PrefixTrie.nibble(hi, lo, depth);
            l = trie.slotRules(node, n);
            if (l != null) {
                best = scan(l, key, svc, src, best);
            }
            node = trie.child(node, n);
            if (node == 0) {
                return best;
            }
        }
    }

    private int scanValue(Map<String, int[]> lists, String value, RouteKey key, AddressBits svc, AddressBits src,
                          int best) {
        if (lists == null || value == null) {
            return best;
        }
        int[] l = lists.get(value);
        return l == null ? best : scan(l, key, svc, src, best);
    }

    private int scanCallerPrefixes(String caller, RouteKey key, AddressBits svc, AddressBits src, int best) {
        int h = 0;
        int n = caller.length();
        for (int i = 0; i <= n; i++) {
            if (i == n || RuleMatch.isNameBoundary(caller.charAt(i))) {
                int[] l = callers.find(caller, i, h);
                if (l != null) {
                    best = scan(l, key, svc, src, best);
                }
            }
            if (i < n) {
                h = 31 * h + caller.charAt(i);
            }
        }
        return best;
    }

    /** The first rule of {@code list} below {@code best} that fully matches, else {@code best}. */
    private int scan(int[] list, RouteKey key, AddressBits svc, AddressBits src, int best) {
        for (int r : list) {
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
