package io.dmm.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.api.Protocol;
import io.dmm.api.Role;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shapes of rule sets that stress particular parts of the index. */
class RuleIndexTest {
    private static List<Rule> rules(List<RuleMatch> matches) {
        List<Rule> rules = new ArrayList<>();
        for (RuleMatch m : matches) {
            rules.add(Rule.of(rules.size(), null, m, List.of("s"), "t"));
        }
        return rules;
    }

    private static PortSet port(int p) {
        return PortSet.of(List.<int[]>of(new int[] {p, p}), Integer.toString(p));
    }

    @Test
    void manyRulesForOnePrefixAreToldApartByPort() {
        List<RuleMatch> m = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            m.add(RuleMatch.builder().dst(List.of(Cidr.parse("10.0.0.0/8"))).port(port(1000 + i)).build());
        }
        m.add(RuleMatch.builder().dst(List.of(Cidr.parse("10.0.0.0/8"))).build());
        RuleIndex index = new RuleIndex(rules(m));
        assertEquals(1234, index.find(Keys.tcpClient("10.1.2.3", 2234)));
        assertEquals(5000, index.find(Keys.tcpClient("10.1.2.3", 80)));
        assertEquals(-1, index.find(Keys.tcpClient("11.1.2.3", 2234)));
        assertEquals(5000, index.find(Keys.tcpClient("10.1.2.3", -1)));
    }

    @Test
    void prefixesOfEveryLengthAreFound() {
        List<RuleMatch> m = new ArrayList<>();
        for (int len = 32; len >= 0; len--) {
            m.add(RuleMatch.builder().dst(List.of(Cidr.parse("10.1.2.3/" + len))).proto(Protocol.UDP).build());
        }
        for (int len = 128; len >= 0; len--) {
            m.add(RuleMatch.builder().dst(List.of(Cidr.parse("2001:db8::1/" + len))).build());
        }
        RuleIndex index = new RuleIndex(rules(m));
        LinearMatcher linear = new LinearMatcher(rules(m));
        // For each length, an address that shares exactly that many leading bits with 10.1.2.3.
        int base = 0x0A010203;
        for (int shared = 0; shared <= 32; shared++) {
            int a = shared == 32 ? base : base ^ (1 << (31 - shared));
            String text = (a >>> 24 & 255) + "." + (a >>> 16 & 255) + "." + (a >>> 8 & 255) + "." + (a & 255);
            RouteKey k = Keys.key(Role.SENDER, text, 1);
            assertEquals(32 - shared, index.find(k), text);
            assertEquals(linear.find(k), index.find(k));
        }
        RouteKey v6 = Keys.key(Role.CLIENT, "2001:db8::1", 1);
        assertEquals(33, index.find(v6));
        RouteKey other = Keys.key(Role.CLIENT, "8000::", 1);
        assertEquals(33 + 128, index.find(other));
    }

    /**
     * Thousands of random rules, routing-table-like (spread over the IPv4 space) and crowded into one
     * /8: big enough that the flat tables grow all their arrays and reference long path lists.
     */
    @Test
    void bigRandomPoliciesDecideLikeALinearScan() {
        for (boolean dense : new boolean[] {false, true}) {
            java.util.SplittableRandom random = new java.util.SplittableRandom(dense ? 7 : 11);
            List<RuleMatch> m = new ArrayList<>();
            List<int[]> prefixes = new ArrayList<>();
            for (int i = 0; i < 4000; i++) {
                RuleMatch.Builder b = RuleMatch.builder();
                int kind = random.nextInt(10);
                // A few short prefixes (they shadow much of what follows them), mostly /12../32.
                int len = random.nextInt(50) == 0 ? 1 + random.nextInt(16) : 12 + random.nextInt(21);
                int a = (dense ? 0x0A000000 | random.nextInt(1 << 24) : random.nextInt()) & Cidr.v4Mask(len);
                if (kind < 7) {
                    b.dst(List.of(Cidr.parse(v4(a) + "/" + len)));
                    prefixes.add(new int[] {a, len});
                } else if (kind == 7) {
                    b.src(List.of(Cidr.parse(v4(a) + "/" + len)));
                }
                if (random.nextInt(3) == 0) {
                    b.role(Role.values()[random.nextInt(Role.values().length)]);
                }
                if (random.nextInt(3) == 0) {
                    int lo = random.nextInt(2000);
                    b.port(PortSet.of(List.<int[]>of(new int[] {lo, lo + random.nextInt(50)}), "p"));
                }
                if (kind == 9 || random.nextInt(8) == 0) {
                    b.qos(List.of("q" + random.nextInt(3)));
                }
                m.add(b.build());
            }
            List<Rule> rules = rules(m);
            RuleIndex index = new RuleIndex(rules);
            RuleIndex split = new RuleIndex(rules, 2);
            LinearMatcher linear = new LinearMatcher(rules);
            for (int i = 0; i < 4000; i++) {
                int a;
                if (random.nextBoolean()) {
                    int[] p = prefixes.get(random.nextInt(prefixes.size()));
                    a = p[0] | (random.nextInt() & ~Cidr.v4Mask(p[1]));
                } else {
                    a = dense ? 0x0A000000 | random.nextInt(1 << 24) : random.nextInt();
                }
                Role role = Role.values()[random.nextInt(Role.values().length)];
                RouteKey k = Keys.full(role, v4(a), random.nextInt(2100), v4(random.nextInt()),
                        random.nextInt(4) == 0 ? "q" + random.nextInt(3) : null, null, null, null);
                int expected = linear.find(k);
                assertEquals(expected, index.find(k), k::toString);
                assertEquals(expected, split.find(k), k::toString);
            }
        }
    }

    private static String v4(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 255) + "." + (a >>> 8 & 255) + "." + (a & 255);
    }
}
