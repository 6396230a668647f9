package io.dmm.core.policy;

import static io.dmm.core.policy.Keys.full;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.Protocol;
import io.dmm.api.Role;
import java.net.Inet6Address;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleMatchTest {
    private static PortSet ports(int lo, int hi) {
        return PortSet.of(List.of(new int[] {lo, hi}), lo + "-" + hi);
    }

    @Test
    void emptyMatchMatchesEverything() {
        assertTrue(RuleMatch.any().matches(Keys.key(Role.RECEIVER, null, -1)));
        assertTrue(RuleMatch.any().isAny());
    }

    @Test
    void roleImpliesProtocol() {
        RuleMatch m = RuleMatch.builder().role(Role.SENDER).build();
        assertEquals(Protocol.UDP, m.proto());
        assertTrue(m.matches(Keys.key(Role.SENDER, "10.0.0.1", 53)));
        assertFalse(m.matches(Keys.key(Role.RECEIVER, "10.0.0.1", 53)));
        assertFalse(m.matches(Keys.key(Role.CLIENT, "10.0.0.1", 53)));
    }

    @Test
    void absentKeyValuesDoNotMatchConstrainedFields() {
        RouteKey bare = Keys.key(Role.CLIENT, null, -1);
        assertFalse(RuleMatch.builder().dst(List.of(Cidr.parse("0.0.0.0/0"))).build().matches(bare));
        assertFalse(RuleMatch.builder().src(List.of(Cidr.parse("0.0.0.0/0"))).build().matches(bare));
        assertFalse(RuleMatch.builder().port(ports(0, 65535)).build().matches(bare));
        assertFalse(RuleMatch.builder().qos(List.of("a")).build().matches(bare));
        assertFalse(RuleMatch.builder().tag(List.of("a")).build().matches(bare));
        assertFalse(RuleMatch.builder().app(List.of("a")).build().matches(bare));
        assertFalse(RuleMatch.builder().caller(List.of("com")).build().matches(bare));
    }

    @Test
    void dstIsTheServiceEndAndSrcTheClientEnd() {
        RuleMatch m = RuleMatch.builder().dst(List.of(Cidr.parse("10.0.0.0/8")))
                .src(List.of(Cidr.parse("192.168.0.0/16"))).port(ports(80, 80)).build();
        assertTrue(m.matches(full(Role.CLIENT, "10.1.1.1", 80, "192.168.3.4", null, null, null, null)));
        assertFalse(m.matches(full(Role.CLIENT, "192.168.3.4", 80, "10.1.1.1", null, null, null, null)));
        assertFalse(m.matches(full(Role.CLIENT, "10.1.1.1", 81, "192.168.3.4", null, null, null, null)));
    }

    @Test
    void callerPrefixesMatchOnNameBoundaries() {
        assertTrue(RuleMatch.callerPrefixMatches("com.acme", "com.acme.Foo"));
        assertTrue(RuleMatch.callerPrefixMatches("com.acme", "com.acme.x.Bar"));
        assertTrue(RuleMatch.callerPrefixMatches("com.acme.Foo", "com.acme.Foo"));
        assertTrue(RuleMatch.callerPrefixMatches("com.acme.Foo", "com.acme.Foo$Inner"));
        assertFalse(RuleMatch.callerPrefixMatches("com.acme", "com.acmex.Foo"));
        assertFalse(RuleMatch.callerPrefixMatches("com.acme.Foo", "com.acme"));
    }

    @Test
    void valueSetsAreAlternatives() {
        RuleMatch m = RuleMatch.builder().qos(List.of("a", "b")).tag(List.of("t")).build();
        assertTrue(m.matches(full(Role.CLIENT, null, -1, null, "b", "t", null, null)));
        assertFalse(m.matches(full(Role.CLIENT, null, -1, null, "c", "t", null, null)));
        assertFalse(m.matches(full(Role.CLIENT, null, -1, null, "a", null, null, null)));
    }

    @Test
    void v4RulesIgnoreV6KeysButMatchMappedOnes() throws Exception {
        RuleMatch m = RuleMatch.builder().dst(List.of(Cidr.parse("0.0.0.0/0"))).build();
        assertFalse(m.matches(Keys.key(Role.CLIENT, "::1", 80)));
        RouteKey mapped = new RouteKey(Protocol.TCP, Role.CLIENT, Keys.mappedV6("1.2.3.4"), 80, null, null, null,
                null, null);
        // an IPv6 key (the JDK turns most mapped addresses into IPv4 ones: this one must stay IPv6)
        assertInstanceOf(Inet6Address.class, mapped.service());
        assertTrue(m.matches(mapped));
        assertFalse(RuleMatch.builder().dst(List.of(Cidr.parse("::/0"))).build().matches(mapped));
        assertTrue(RuleMatch.builder().dst(List.of(Cidr.parse("::/0"))).build()
                .matches(Keys.key(Role.CLIENT, "::1", 80)));
    }

    @Test
    void describesItselfOnOneLine() {
        RuleMatch m = RuleMatch.builder().proto(Protocol.TCP).role(Role.CLIENT)
                .dst(List.of(Cidr.parse("127.0.0.0/8"))).port(ports(9000, 9099)).build();
        assertEquals("{proto=tcp, role=client, dst=127.0.0.0/8, port=9000-9099}", m.toString());
        assertEquals("{proto=tcp, role=client, dst=127.0.0.0/8, port=9000-9099} -> bulk",
                Rule.of(0, null, m, List.of("bulk"), "f:1").route().description());
    }
}
