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
}
