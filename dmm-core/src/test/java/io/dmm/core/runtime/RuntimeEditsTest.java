package io.dmm.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.DmmConfigException;
import io.dmm.api.DmmControl;
import io.dmm.api.PolicyStatus;
import io.dmm.api.Protocol;
import io.dmm.api.Role;
import io.dmm.api.RouteHints;
import io.dmm.api.RouteQuery;
import io.dmm.api.RuleStats;
import io.dmm.core.config.PolicyLoader;
import io.dmm.core.routing.StackHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime API's policy edits: rules and stacks added, replaced and removed while the runtime runs. */
class RuntimeEditsTest {
    private static final String POLICY = """
            {"stacks": [{"name": "k1", "type": "kernel"}, {"name": "k2", "type": "kernel"}],
             "default": "k1",
             "rules": [{"name": "web", "proto": "tcp", "role": "client", "port": 443, "stack": "k2"}]}
            """;

    private static String stackFor(DmmControl c, int port) {
        return c.explain(RouteQuery.tcpClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)))
                .stacks().get(0);
    }

    @Test
    void rulesAreAddedReplacedAndRemovedEachAsANewVersion() {
        try (DmmRuntime rt = new DmmRuntime(PolicyLoader.parse(POLICY, "edits.json"))) {
            DmmControl c = rt.control();
            assertEquals(1, c.policy().version());
            PolicyStatus s = c.addRule(0, "{\"name\": \"db\", \"port\": 5432, \"stack\": \"k2\"}");
            assertEquals(2, s.version());
            assertEquals(2, s.rules());
            assertTrue(s.origin().startsWith("edits.json") && s.origin().endsWith("(edited at runtime)"), s.origin());
            assertEquals("k2", stackFor(c, 5432));
            assertEquals("k2", stackFor(c, 443));

            c.replaceRule(1, "{\"name\": \"web\", \"port\": 443, \"stack\": \"k1\"}");
            assertEquals("k1", stackFor(c, 443));
            c.addRule(-1, "{\"port\": 8080, \"stack\": \"k2\"}");
            assertEquals(List.of("db", "web", "8080"), ruleNames(c));
            c.removeRule(0);
            assertEquals("k1", stackFor(c, 5432));
            assertEquals(5, c.policy().version());
            assertEquals("removeRule #0", c.policy().lastChange().trigger());
        }
    }

    private static List<String> ruleNames(DmmControl c) {
        return c.stats().rules().stream().filter(r -> r.index() >= 0)
                .map(r -> r.rule().startsWith("db") ? "db" : r.rule().startsWith("web") ? "web" : "8080").toList();
    }

    @Test
    void badEditsAreRejectedWithLocatedErrorsAndChangeNothing() {
        try (DmmRuntime rt = new DmmRuntime(PolicyLoader.parse(POLICY, "edits.json"))) {
            DmmControl c = rt.control();
            DmmConfigException undefined = assertThrows(DmmConfigException.class,
                    () -> c.addRule(0, "{\"port\": 1, \"stack\": \"k3\"}"));
            assertTrue(undefined.getMessage().startsWith("<runtime API: addRule>:1:"), undefined.getMessage());
            assertTrue(undefined.getMessage().contains("\"k3\" is not a defined stack"), undefined.getMessage());
            DmmConfigException unknownKey = assertThrows(DmmConfigException.class,
                    () -> c.replaceRule(0, "{\"prot\": \"tcp\", \"stack\": \"k1\"}"));
            assertTrue(unknownKey.getMessage().contains("did you mean \"proto\""), unknownKey.getMessage());
            IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> c.removeRule(3));
            assertTrue(range.getMessage().contains("no rule #3"), range.getMessage());
            IllegalArgumentException used = assertThrows(IllegalArgumentException.class, () -> c.removeStack("k2"));
            assertTrue(used.getMessage().contains("rule #0"), used.getMessage());
            DmmConfigException duplicate = assertThrows(DmmConfigException.class,
                    () -> c.addStack("{\"name\": \"k1\", \"type\": \"kernel\"}"));
            assertTrue(duplicate.getMessage().contains("duplicate stack name"), duplicate.getMessage());
            DmmConfigException badSetting = assertThrows(DmmConfigException.class,
                    () -> c.addStack("{\"name\": \"k3\", \"type\": \"kernel\", \"colour\": 1}"));
            assertTrue(badSetting.getMessage().contains("colour"), badSetting.getMessage());

            PolicyStatus s = c.policy();
            assertEquals(1, s.version(), "nothing was applied");
            assertFalse(s.lastChange().applied());
            assertTrue(s.lastChange().error().contains("colour"), s.lastChange().error());
            assertEquals(List.of("k1", "k2"), rt.registry().names());
            assertEquals("k2", stackFor(c, 443));
        }
    }

    @Test
    void addedStackStartsAndRemovedStackStopsAfterItsLastSocket() throws Exception {
        try (DmmRuntime rt = new DmmRuntime(PolicyLoader.parse(POLICY, "edits.json"));
             ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            DmmControl c = rt.control();
            StackHandle k1 = rt.registry().get("k1");

            c.addStack("{\"name\": \"k3\", \"type\": \"kernel\"}");
            StackHandle k3 = rt.registry().get("k3");
            assertSame(k1, rt.registry().get("k1"), "an unchanged instance is kept, not restarted");
            c.addRule(0, "{\"port\": " + port + ", \"stack\": \"k3\"}");
            SocketChannel onK3 = rt.openSocketChannel(null, RouteHints.none());
            onK3.connect(server.getLocalAddress());
            assertEquals(1, k3.activeSockets());

            IllegalArgumentException stillUsed = assertThrows(IllegalArgumentException.class,
                    () -> c.removeStack("k3"));
            assertTrue(stillUsed.getMessage().contains("still used by rule #0"), stillUsed.getMessage());
            c.removeRule(0);
            c.removeStack("k3");
            assertNull(rt.registry().get("k3"));
            assertEquals(List.of(k3), rt.registry().retiring());
            assertEquals("retiring", rt.stats().stack("k3").orElseThrow().admin());
            assertTrue(onK3.isConnected(), "its open socket keeps working");

            onK3.close();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!rt.registry().retiring().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(rt.registry().retiring().isEmpty(), "stopped after its last socket closed");
            assertEquals("DOWN", k3.stats().health());
        }
    }

    @Test
    void hitCountersSurviveChangesThatKeepTheRule() {
        try (DmmRuntime rt = new DmmRuntime(PolicyLoader.parse(POLICY, "edits.json"))) {
            InetSocketAddress web = new InetSocketAddress(InetAddress.getLoopbackAddress(), 443);
            for (int i = 0; i < 3; i++) {
                rt.router().decide(Protocol.TCP, Role.CLIENT, web, null, RouteHints.none(), null);
            }
            rt.control().addRule(0, "{\"port\": 1, \"stack\": \"k1\"}");
            RuleStats webRule = rt.stats().rules().get(1);
            assertTrue(webRule.rule().startsWith("web:"), webRule.rule());
            assertEquals(3, webRule.decisions());
            assertEquals(0, rt.stats().rules().get(0).decisions());
        }
    }

    @Test
    void reloadReadsTheFileAgainAndApplyTakesAWholePolicy(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p.json");
        Files.writeString(file, POLICY.replace("{\"stacks\"", "{\"management\": {\"watch\": false}, \"stacks\""));
        try (DmmRuntime rt = DmmRuntime.fromFile(file, null)) {
            DmmControl c = rt.control();
            assertFalse(rt.management().fileWatch().watching(), "\"watch\": false");
            Files.writeString(file, POLICY.replace("\"port\": 443, \"stack\": \"k2\"", "\"port\": 443, \"stack\": \"k1\""));
            assertEquals(2, c.reload().version());
            assertEquals("k1", stackFor(c, 443));
            assertTrue(rt.management().fileWatch().watching(), "the new version's default: watched");

            Files.writeString(file, "{\"stacks\": []}");
            DmmConfigException bad = assertThrows(DmmConfigException.class, c::reload);
            assertTrue(bad.getMessage().startsWith(file + ":1:"), bad.getMessage());
            assertEquals(2, c.policy().version());

            PolicyStatus pushed = c.apply(POLICY, "pushed.json");
            assertEquals(3, pushed.version());
            assertEquals("pushed.json", pushed.origin());
            assertEquals("k2", stackFor(c, 443));
        }
        try (DmmRuntime rt = new DmmRuntime(PolicyLoader.parse(POLICY, "x.json"))) {
            IllegalStateException noFile = assertThrows(IllegalStateException.class, rt.control()::reload);
            assertTrue(noFile.getMessage().contains("not loaded from a file"), noFile.getMessage());
        }
    }
}
