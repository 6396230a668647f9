package io.dmm.core.config;

import static io.dmm.core.policy.Keys.full;
import static io.dmm.core.policy.Keys.key;
import static io.dmm.core.policy.Keys.tcpClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.Role;
import io.dmm.api.spi.StackSettings;
import io.dmm.core.policy.CompiledPolicy;
import io.dmm.core.policy.Policy;
import io.dmm.core.policy.Route;
import io.dmm.core.policy.RouteKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyParsingTest {
    @TempDir
    Path dir;

    static final String STACKS = """
            "stacks": [{"name": "kernel", "type": "kernel"}, {"name": "a", "type": "kernel"},
                       {"name": "b", "type": "kernel"}]""";

    static Policy policy(String rules) {
        return PolicyLoader.parse("{" + STACKS + ", \"rules\": [" + rules + "]}", "p.json");
    }

    static String stackOf(Policy p, RouteKey k) {
        return p.route(k).stacks().get(0);
    }

    @Test
    void theFormatExampleLoads() {
        String json = """
                {
                  "stacks": [
                    {"name": "kernel", "type": "kernel"},
                    {"name": "bulk",   "type": "kernel", "options": {"SO_SNDBUF": 4194304}, "source": "127.0.0.2"},
                    {"name": "fast",   "type": "kernel"}
                  ],
                  "default": "kernel",
                  "rules": [
                    {"proto": "tcp", "role": "client", "dst": "127.0.0.0/8", "port": "9000-9099", "stack": "bulk"},
                    {"qos": "low-latency", "stacks": ["fast", "kernel"]},
                    {"dst": "2001:db8::/32", "stack": "kernel"}
                  ]
                }
                """;
        Policy p = PolicyLoader.parse(json, "policy.json");
        assertEquals("policy.json", p.origin());
        assertEquals(List.of("kernel", "bulk", "fast"), p.stacks().stream().map(s -> s.name()).toList());
        assertEquals(3, p.rules().size());
        Route r0 = p.rules().get(0);
        assertEquals("policy.json:9", r0.source());
        assertEquals("{proto=tcp, role=client, dst=127.0.0.0/8, port=9000-9099} -> bulk", r0.description());
        assertEquals("{qos=low-latency} -> [fast, kernel]", p.rules().get(1).description());
        assertEquals(r0, p.route(tcpClient("127.0.0.1", 9050)));
        assertEquals(List.of("fast", "kernel"),
                p.route(full(Role.CLIENT, "10.0.0.1", 80, null, "low-latency", null, null, null)).stacks());
        Route d = p.route(tcpClient("10.0.0.1", 80));
        assertTrue(d.isDefault());
        assertEquals(-1, d.index());
        assertEquals("policy.json: default", d.source());
        assertEquals(List.of("kernel"), d.stacks());
        assertEquals(2, p.route(tcpClient("2001:db8::5", 80)).index());
        assertFalse(p.usesCaller());
    }

    @Test
    void stackSettingsCarryTheTypeSpecificKeys() {
        Policy p = PolicyLoader.parse("""
                {"stacks": [{"name": "bulk", "type": "kernel", "options": {"SO_SNDBUF": 4194304, "TCP_NODELAY": true},
                             "source": "127.0.0.2", "ratio": 0.5, "list": [1, "x"], "nothing": null}]}""", "s.json");
        StackSettings s = p.stacks().get(0).settings();
        assertEquals("bulk", s.name());
        assertEquals("kernel", s.type());
        assertEquals("stacks[0]", s.path());
        assertEquals(List.of("name", "type", "options", "source", "ratio", "list", "nothing"), List.copyOf(s.keys()));
        assertEquals("127.0.0.2", s.string("source", null));
        assertEquals("x", s.string("absent", "x"));
        assertEquals(0.5, s.get("ratio"));
        assertEquals(List.of(1L, "x"), s.get("list"));
        assertNull(s.get("nothing"));
        assertTrue(s.has("nothing"));
        StackSettings o = s.object("options");
        assertEquals("stacks[0].options", o.path());
        assertEquals(4194304L, o.integer("SO_SNDBUF", 0));
        assertTrue(o.bool("TCP_NODELAY", false));
        assertEquals(Map.of("SO_SNDBUF", 4194304L, "TCP_NODELAY", true), s.get("options"));
        assertNull(s.object("absent"));
        assertEquals("s.json:1", p.stacks().get(0).source());
    }

    @Test
    void defaultIsTheFirstStackWhenAbsent() {
        Policy p = PolicyLoader.parse("{\"stacks\": [{\"name\": \"x\", \"type\": \"kernel\"},"
                + " {\"name\": \"kernel\", \"type\": \"kernel\"}]}", "d.json");
        assertEquals(List.of("x"), p.defaultRoute().stacks());
        assertEquals(0, p.rules().size());
    }

    @Test
    void protoAndRole() {
        Policy p = policy("""
                {"proto": "udp", "stack": "a"},
                {"role": "server", "stack": "b"}""");
        assertEquals("a", stackOf(p, key(Role.SENDER, "1.1.1.1", 53)));
        assertEquals("a", stackOf(p, key(Role.RECEIVER, "1.1.1.1", 53)));
        assertEquals("b", stackOf(p, key(Role.SERVER, "0.0.0.0", 80)));
        assertEquals("kernel", stackOf(p, key(Role.CLIENT, "1.1.1.1", 80)));
        Policy q = policy("{\"proto\": \"udp\", \"role\": \"receiver\", \"stack\": \"a\"}");
        assertEquals("a", stackOf(q, key(Role.RECEIVER, "1.1.1.1", 53)));
        assertEquals("kernel", stackOf(q, key(Role.SENDER, "1.1.1.1", 53)));
    }

    @Test
    void dstAndSrcForms() {
        Policy p = policy("""
                {"dst": "10.1.2.3", "stack": "a"},
                {"dst": ["192.168.0.0/16", "fd00::/8"], "stack": "b"},
                {"src": "172.16.0.0/12", "stack": "a"},
                {"src": ["::1", "127.0.0.1"], "stack": "b"},
                {"dst": "10.1.1.1/8", "stack": "b"}""");
        assertEquals("a", stackOf(p, tcpClient("10.1.2.3", 1)));
        assertEquals("b", stackOf(p, tcpClient("10.1.2.4", 1)));
        assertEquals("b", stackOf(p, tcpClient("192.168.9.9", 1)));
        assertEquals("b", stackOf(p, tcpClient("fd12::1", 1)));
        assertEquals("a", stackOf(p, full(Role.CLIENT, "8.8.8.8", 1, "172.20.0.1", null, null, null, null)));
        assertEquals("b", stackOf(p, full(Role.CLIENT, "8.8.8.8", 1, "::1", null, null, null, null)));
        assertEquals("kernel", stackOf(p, full(Role.CLIENT, "8.8.8.8", 1, "::2", null, null, null, null)));
        assertEquals("{dst=10.0.0.0/8} -> b", p.rules().get(4).description());
        assertEquals("{dst=[192.168.0.0/16, fd00:0:0:0:0:0:0:0/8]} -> b", p.rules().get(1).description());
    }

    @Test
    void portForms() {
        Policy p = policy("""
                {"port": 80, "stack": "a"},
                {"port": "8000-8009", "stack": "b"},
                {"port": [443, "1000-1001", "7"], "stack": "a"},
                {"port": "0-65535", "proto": "udp", "stack": "b"}""");
        assertEquals("a", stackOf(p, tcpClient("1.1.1.1", 80)));
        assertEquals("b", stackOf(p, tcpClient("1.1.1.1", 8005)));
        assertEquals("kernel", stackOf(p, tcpClient("1.1.1.1", 8010)));
        assertEquals("a", stackOf(p, tcpClient("1.1.1.1", 1001)));
        assertEquals("a", stackOf(p, tcpClient("1.1.1.1", 7)));
        assertEquals("b", stackOf(p, key(Role.SENDER, "1.1.1.1", 9)));
        assertEquals("kernel", stackOf(p, key(Role.SENDER, null, -1)));
        assertEquals("{port=[443, 1000-1001, 7]} -> a", p.rules().get(2).description());
    }

    @Test
    void valueKeysAndCaller() {
        Policy p = policy("""
                {"qos": ["low-latency", "rt"], "stack": "a"},
                {"tag": "backup", "stack": "b"},
                {"app": ["billing"], "stack": "a"},
                {"caller": ["com.acme", "org.example.Client"], "stack": "b"}""");
        assertTrue(p.usesCaller());
        assertEquals("a", stackOf(p, full(Role.CLIENT, null, -1, null, "rt", null, null, null)));
        assertEquals("b", stackOf(p, full(Role.CLIENT, null, -1, null, null, "backup", null, null)));
        assertEquals("a", stackOf(p, full(Role.CLIENT, null, -1, null, null, null, "billing", null)));
        assertEquals("b", stackOf(p, full(Role.CLIENT, null, -1, null, null, null, null, "com.acme.x.Y")));
        assertEquals("b", stackOf(p, full(Role.CLIENT, null, -1, null, null, null, null, "org.example.Client$1")));
        assertEquals("kernel", stackOf(p, full(Role.CLIENT, null, -1, null, null, null, null, "com.acmex.Y")));
    }

    @Test
    void firstMatchWinsAndEmptyRuleMatchesAll() {
        Policy p = policy("""
                {"dst": "10.0.0.0/8", "stack": "a"},
                {"name": "catch-all", "stacks": ["b", "kernel"]},
                {"dst": "10.1.0.0/16", "stack": "kernel"}""");
        assertEquals("a", stackOf(p, tcpClient("10.1.1.1", 1)));
        Route r = p.route(key(Role.RECEIVER, null, -1));
        assertEquals(1, r.index());
        assertEquals("catch-all: {} -> [b, kernel]", r.description());
    }

    @Test
    void loadedPoliciesAreCompiledAndCached() {
        Policy p = policy("{\"dst\": \"10.0.0.0/8\", \"stack\": \"a\"}");
        CompiledPolicy c = assertInstanceOf(CompiledPolicy.class, p);
        assertTrue(c.isCached());
        assertFalse(c.uncached().isCached());
        RouteKey k = tcpClient("10.2.3.4", 5);
        assertEquals(c.route(k), c.uncached().route(k));
        assertEquals(c.route(k), c.routeByLinearScan(k));
    }

    @Test
    void builtInDefault() {
        Policy p = PolicyLoader.builtInDefault();
        assertEquals("<built-in default>", p.origin());
        assertEquals(1, p.stacks().size());
        assertEquals("kernel", p.stacks().get(0).name());
        assertEquals("kernel", p.stacks().get(0).type());
        assertEquals("kernel", p.stacks().get(0).settings().name());
        assertEquals(List.of(), p.rules());
        assertEquals(List.of("kernel"), p.route(tcpClient("1.2.3.4", 80)).stacks());
    }

    @Test
    void fromSystemReadsTheSystemProperty() throws Exception {
        Path f = Files.writeString(dir.resolve("sys.json"), "{\"stacks\": [{\"name\": \"sys\", \"type\": \"kernel\"}]}");
        String old = System.getProperty(PolicyLoader.CONFIG_PROPERTY);
        try {
            System.setProperty(PolicyLoader.CONFIG_PROPERTY, f.toString());
            // whatever this JVM's $DMM_CONFIG: the property wins over it
            assertEquals("sys", PolicyLoader.fromSystem().stacks().get(0).name());
            assertEquals(f, PolicyLoader.configuredFile());
        } finally {
            if (old == null) {
                System.clearProperty(PolicyLoader.CONFIG_PROPERTY);
            } else {
                System.setProperty(PolicyLoader.CONFIG_PROPERTY, old);
            }
        }
    }

    /** The property and environment variable {@code name=value}; null when unset. */
    private static UnaryOperator<String> only(String name, String value) {
        return key -> key.equals(name) ? value : null;
    }

    @Test
    void thePropertyBeatsTheEnvironmentVariable() throws Exception {
        Path prop = Files.writeString(dir.resolve("prop.json"), "{\"stacks\": [{\"name\": \"prop\", \"type\": \"kernel\"}]}");
        Path env = Files.writeString(dir.resolve("env.json"), "{\"stacks\": [{\"name\": \"env\", \"type\": \"kernel\"}]}");
        UnaryOperator<String> property = only("dmm.config", prop.toString());
        UnaryOperator<String> environment = only("DMM_CONFIG", env.toString());
        assertEquals("prop", PolicyLoader.fromSystem(property, environment).stacks().get(0).name());
        assertEquals(prop, PolicyLoader.configuredFile(property, environment));
        // without the property (unset or blank), the environment variable names the file
        for (UnaryOperator<String> none : List.of(only("dmm.config", null), only("dmm.config", " "))) {
            assertEquals("env", PolicyLoader.fromSystem(none, environment).stacks().get(0).name());
            assertEquals(env, PolicyLoader.configuredFile(none, environment));
        }
    }

    @Test
    void neitherPropertyNorEnvironmentVariableMeansTheBuiltInDefault() {
        for (String blank : Arrays.asList(null, "", "  ")) {
            UnaryOperator<String> property = only("dmm.config", blank);
            UnaryOperator<String> environment = only("DMM_CONFIG", blank);
            assertEquals("<built-in default>", PolicyLoader.fromSystem(property, environment).origin());
            assertNull(PolicyLoader.configuredFile(property, environment));
        }
    }
}
