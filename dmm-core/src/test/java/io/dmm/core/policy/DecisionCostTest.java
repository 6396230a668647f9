package io.dmm.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.Protocol;
import io.dmm.api.Role;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The uncached decision path allocates nothing for IPv4 keys, and the cache stays bounded. */
class DecisionCostTest {
    private static CompiledPolicy policy(int cacheCapacity) {
        List<RuleMatch> matches = List.of(
                RuleMatch.builder().dst(List.of(Cidr.parse("10.0.0.0/8"))).proto(Protocol.UDP).build(),
                RuleMatch.builder().dst(List.of(Cidr.parse("10.1.2.0/23"), Cidr.parse("2001:db8::/32"))).build(),
                RuleMatch.builder().port(PortSet.of(List.<int[]>of(new int[] {80, 90}), "80-90")).build(),
                RuleMatch.builder().src(List.of(Cidr.parse("192.168.0.0/16"))).build(),
                RuleMatch.builder().qos(List.of("a", "b")).build(),
                RuleMatch.builder().tag(List.of("t")).build(),
                RuleMatch.builder().app(List.of("x")).build(),
                RuleMatch.builder().caller(List.of("com.acme")).build(),
                RuleMatch.builder().role(Role.RECEIVER).build());
        List<Rule> rules = new ArrayList<>();
        for (RuleMatch m : matches) {
            rules.add(Rule.of(rules.size(), null, m, List.of("s"), "t"));
        }
        return new CompiledPolicy("t", List.of(), rules, new Route(-1, "t: default", List.of("d"), "d"),
                cacheCapacity);
    }

    @Test
    void uncachedIpv4DecisionsDoNotAllocate() {
        CompiledPolicy p = policy(0);
        RouteKey[] keys = {
            Keys.full(Role.CLIENT, "10.1.3.4", 81, "192.168.1.1", "b", "t", "x", "com.acme.Foo"),
            Keys.full(Role.SENDER, "10.9.9.9", 5000, null, null, null, null, null),
            Keys.full(Role.CLIENT, "8.8.8.8", 443, null, null, null, null, "org.Other"),
            Keys.full(Role.RECEIVER, "0.0.0.0", 53, null, "zz", null, null, "com.acme.x.Y"),
        };
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long sink = 0;
        for (int i = 0; i < 20_000; i++) {
            sink += p.route(keys[i & 3]).index();
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 100_000; i++) {
            sink += p.route(keys[i & 3]).index();
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        // A little slack for the measurement itself; one allocation per decision would be >= 1.6 MB.
        assertTrue(allocated < 50_000, "allocated " + allocated + " bytes for 100000 decisions");
        // The keys hit a dst prefix, a wider dst prefix, nothing, and a caller prefix.
        assertEquals(List.of(1, 0, -1, 7), java.util.Arrays.stream(keys).map(k -> p.route(k).index()).toList());
        assertEquals(120_000 / 4 * (1 + 0 - 1 + 7), sink);
    }

    @Test
    void theCacheIsBounded() {
        CompiledPolicy p = policy(100);
        for (int i = 0; i < 5000; i++) {
            RouteKey k = Keys.full(Role.CLIENT, "10.0." + (i >> 8 & 255) + "." + (i & 255), 80, null, null, null,
                    null, null);
            assertEquals(p.routeByLinearScan(k), p.route(k));
            assertTrue(p.cachedDecisions() <= 100);
        }
        assertTrue(p.cachedDecisions() > 0);
        assertEquals(0, p.uncached().cachedDecisions());
    }
}
