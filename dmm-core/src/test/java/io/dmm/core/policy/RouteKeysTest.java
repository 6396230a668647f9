package io.dmm.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dmm.api.RouteExplanation;
import io.dmm.api.RouteHints;
import io.dmm.api.RouteQuery;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteKeysTest {
    @Test
    void queryBecomesKey() {
        RouteQuery q = RouteQuery.tcpClient(new InetSocketAddress(Keys.ip("10.0.0.7"), 9000))
                .withSource(Keys.ip("192.168.1.2")).withHints(RouteHints.qos("low-latency").withTag("t"))
                .withCaller("com.acme.Foo");
        RouteKey k = RouteKeys.of(q, "jvm-app");
        assertEquals(Keys.full(io.dmm.api.Role.CLIENT, "10.0.0.7", 9000, "192.168.1.2", "low-latency", "t",
                "jvm-app", "com.acme.Foo"), k);
        assertEquals("own", RouteKeys.of(q.withApp("own"), "jvm-app").app());
    }

    @Test
    void absentAndUnresolvedServiceAddresses() {
        RouteKey none = RouteKeys.of(new RouteQuery(io.dmm.api.Protocol.UDP, io.dmm.api.Role.SENDER, null, null,
                null, null, null), null);
        assertNull(none.service());
        assertEquals(-1, none.port());
        RouteKey unresolved = RouteKeys.of(RouteQuery.tcpClient(InetSocketAddress.createUnresolved("db", 5432)),
                null);
        assertNull(unresolved.service());
        assertEquals(5432, unresolved.port());
    }

    @Test
    void explanations() {
        RouteKey k = Keys.tcpClient("10.0.0.7", 9000);
        Route rule = new Route(3, "p.json:12", List.of("bulk", "kernel"), "{dst=10.0.0.0/8} -> [bulk, kernel]");
        RouteExplanation e = RouteKeys.explain(k, rule);
        assertEquals(3, e.ruleIndex());
        assertEquals("p.json:12", e.source());
        assertEquals(List.of("bulk", "kernel"), e.stacks());
        assertEquals("tcp client dst=10.0.0.7 port=9000: rule #3 (p.json:12) {dst=10.0.0.0/8} -> [bulk, kernel]",
                e.reason());
        RouteExplanation d = RouteKeys.explain(k, new Route(-1, "p.json: default", List.of("kernel"), "default"));
        assertEquals("tcp client dst=10.0.0.7 port=9000: no rule matched; default route (p.json: default) -> kernel",
                d.reason());
    }
}
