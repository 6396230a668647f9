package io.dmm.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.api.Role;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The compiled index must decide exactly like trying every rule in order. Rules and keys are drawn
 * from small pools of addresses, ports and names so that they overlap and collide a lot.
 */
class RuleIndexPropertyTest {
    private static final String[] V4_BASES = {"10.0.0.0", "10.1.0.0", "10.1.2.0", "192.168.1.0", "127.0.0.0",
            "0.0.0.0", "224.0.0.0"};
    private static final String[] V6_BASES = {"2001:db8::", "2001:db8:1::", "fd00::", "::", "fe80::"};
    private static final String[] NAMES = {"a", "b", "c"};
    private static final String[] CALLER_PREFIXES = {"com", "com.acme", "com.acme.Foo", "org", "org.x.Y"};
    private static final String[] CALLERS = {"com.acme.Foo", "com.acme.Foo$Inner", "com.acmex.Foo", "com.acme.x.Bar",
            "org.x.Y", "org.x.Yz", "net.Z", "com"};

    @Property(tries = 400)
    void indexDecidesLikeALinearScan(@ForAll("rules") List<RuleMatch> matches, @ForAll("keys") List<RouteKey> keys) {
        List<Rule> rules = new ArrayList<>();
        for (RuleMatch m : matches) {
            rules.add(Rule.of(rules.size(), null, m, List.of("s"), "t:" + rules.size()));
        }
        RuleIndex index = new RuleIndex(rules);
        // A tiny split threshold gives nearly every bucket a sub-index, so those are checked too.
        RuleIndex split = new RuleIndex(rules, 1);
        LinearMatcher linear = new LinearMatcher(rules);
        for (RouteKey k : keys) {
            int expected = linear.find(k);
            assertEquals(expected, index.find(k), () -> "key " + k + " rules " + matches);
            assertEquals(expected, split.find(k), () -> "split index, key " + k + " rules " + matches);
        }
    }

    /**
     * Hundreds of rules over the same small pools: every address is covered by dozens of prefixes,
     * so {@link V4Table}'s merged path lists grow past {@link V4Table#INLINE} and are referenced
     * instead of copied, and buckets get sub-indexes at the default threshold.
     */
    @Property(tries = 60)
    void bigOverlappingRuleSetsDecideLikeALinearScan(@ForAll("manyRules") List<RuleMatch> matches,
                                                     @ForAll("manyKeys") List<RouteKey> keys) {
        indexDecidesLikeALinearScan(matches, keys);
    }

    @Provide
    Arbitrary<List<RuleMatch>> manyRules() {
        return rule().list().ofMinSize(100).ofMaxSize(400);
    }

    @Provide
    Arbitrary<List<RouteKey>> manyKeys() {
        return key().list().ofMinSize(50).ofMaxSize(100);
    }

    @Property(tries = 100)
    void compiledPolicyAgreesWithItsReferenceWithAndWithoutCache(@ForAll("rules") List<RuleMatch> matches,
                                                                @ForAll("keys") List<RouteKey> keys) {
        List<Rule> rules = new ArrayList<>();
        for (RuleMatch m : matches) {
            rules.add(Rule.of(rules.size(), null, m, List.of("s" + rules.size()), "t:" + rules.size()));
        }
        Route def = new Route(-1, "t: default", List.of("d"), "default -> d");
        CompiledPolicy cached = new CompiledPolicy("t", List.of(), rules, def, 8);
        CompiledPolicy uncached = cached.uncached();
        for (int round = 0; round < 2; round++) {
            for (RouteKey k : keys) {
                Route expected = cached.routeByLinearScan(k);
                assertEquals(expected, uncached.route(k));
                assertEquals(expected, cached.route(k));
            }
        }
    }

    @Provide
    Arbitrary<List<RuleMatch>> rules() {
        return rule().list().ofMinSize(0).ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<RouteKey>> keys() {
        return key().list().ofMinSize(1).ofMaxSize(30);
    }

    static Arbitrary<RuleMatch> rule() {
        Arbitrary<Role> role = Arbitraries.of(Role.class).injectNull(0.7);
        Arbitrary<io.dmm.api.Protocol> proto = Arbitraries.of(io.dmm.api.Protocol.class).injectNull(0.8);
        Arbitrary<List<Cidr>> dst = cidr().list().ofMinSize(1).ofMaxSize(3).injectNull(0.4);
        Arbitrary<List<Cidr>> src = cidr().list().ofMinSize(1).ofMaxSize(2).injectNull(0.7);
        Arbitrary<PortSet> port = ports().injectNull(0.5);
        Arbitrary<List<String>> qos = Arbitraries.of(NAMES).list().ofMinSize(1).ofMaxSize(2).injectNull(0.75);
        Arbitrary<List<String>> tag = Arbitraries.of(NAMES).list().ofMinSize(1).ofMaxSize(2).injectNull(0.8);
        Arbitrary<List<String>> app = Arbitraries.of(NAMES).list().ofMinSize(1).ofMaxSize(2).injectNull(0.8);
        Arbitrary<List<String>> caller = Arbitraries.of(CALLER_PREFIXES).list().ofMinSize(1).ofMaxSize(2)
                .injectNull(0.75);
        Arbitrary<RuleMatch.Builder> addresses = Combinators.combine(role, proto, dst, src, port)
                .as((r, p, d, s, po) -> {
                    RuleMatch.Builder b = RuleMatch.builder().role(r).dst(d).src(s).port(po);
                    return b.proto(r != null ? r.protocol() : p);
                });
        return Combinators.combine(addresses, qos, tag, app, caller)
                .as((b, q, t, a, c) -> b.qos(q).tag(t).app(a).caller(c).build());
    }

    static Arbitrary<Cidr> cidr() {
        Arbitrary<Cidr> v4 = Combinators.combine(Arbitraries.of(V4_BASES), Arbitraries.integers().between(0, 255),
                        Arbitraries.of(0, 1, 8, 16, 23, 24, 25, 30, 31, 32))
                .as((base, low, prefix) -> Cidr.parse(withLastByte(base, low) + "/" + prefix));
        Arbitrary<Cidr> v6 = Combinators.combine(Arbitraries.of(V6_BASES), Arbitraries.integers().between(0, 255),
                        Arbitraries.of(0, 7, 16, 32, 48, 64, 65, 100, 120, 127, 128))
                .as((base, low, prefix) -> Cidr.parse(base + Integer.toHexString(low) + "/" + prefix));
        return Arbitraries.oneOf(v4, v4, v6);
    }

    static Arbitrary<PortSet> ports() {
        Arbitrary<int[]> one = Arbitraries.of(0, 1, 80, 443, 8080, 65535).map(p -> new int[] {p, p});
        Arbitrary<int[]> narrow = Arbitraries.integers().between(70, 90)
                .flatMap(lo -> Arbitraries.integers().between(lo, lo + 20).map(hi -> new int[] {lo, hi}));
        Arbitrary<int[]> wide = Arbitraries.of(new int[] {0, 65535}, new int[] {1024, 65535}, new int[] {50, 2000});
        return Arbitraries.oneOf(one, narrow, wide).list().ofMinSize(1).ofMaxSize(3)
                .map(rs -> PortSet.of(rs, rs.size() + " ranges"));
    }

    static Arbitrary<RouteKey> key() {
        Arbitrary<InetAddress> address = address().injectNull(0.15);
        Arbitrary<Integer> port = Arbitraries.oneOf(Arbitraries.of(-1, 0, 1, 80, 443, 8080, 65535, 1500),
                Arbitraries.integers().between(60, 100));
        Arbitrary<String> name = Arbitraries.of(NAMES).injectNull(0.4);
        Arbitrary<String> caller = Arbitraries.of(CALLERS).injectNull(0.3);
        Arbitrary<Role> role = Arbitraries.of(Role.class);
        return Combinators.combine(role, address, port, address().injectNull(0.5), name, name, name, caller)
                .as((r, svc, p, src, q, t, a, c) -> new RouteKey(r.protocol(), r, svc, p, src, q, t, a, c));
    }

    static Arbitrary<InetAddress> address() {
        Arbitrary<InetAddress> v4 = Combinators.combine(Arbitraries.of(V4_BASES), Arbitraries.integers().between(0, 255),
                        Arbitraries.integers().between(0, 3))
                .as((base, low, third) -> Keys.ip(withThirdByte(withLastByte(base, low), third)));
        Arbitrary<InetAddress> v6 = Combinators.combine(Arbitraries.of(V6_BASES), Arbitraries.integers().between(0, 255))
                .as((base, low) -> Keys.ip(base + Integer.toHexString(low)));
        Arbitrary<InetAddress> mapped = v4.map(RuleIndexPropertyTest::mapped);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, v4), net.jqwik.api.Tuple.of(3, v6),
                net.jqwik.api.Tuple.of(1, mapped));
    }

    private static InetAddress mapped(InetAddress v4) {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(v4.getAddress(), 0, b, 12, 4);
        try {
            return Inet6Address.getByAddress(null, b, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static String withLastByte(String base, int low) {
        return base.substring(0, base.lastIndexOf('.') + 1) + low;
    }

    private static String withThirdByte(String addr, int third) {
        String[] p = addr.split("\\.");
        int v = (Integer.parseInt(p[2]) + third) & 255;
        return p[0] + "." + p[1] + "." + v + "." + p[3];
    }
}
