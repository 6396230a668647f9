package io.dmm.management.jmx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dmm.core.policy.ManagementSettings;
import io.dmm.core.runtime.DmmRuntime;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DMM's MBeans over a runtime built here, in an MBean server of their own: attributes, operations
 * (and how their errors reach a client), and that rule and stack MBeans follow policy changes.
 */
class DmmMBeansTest {
    private static final ManagementSettings JMX_ON = new ManagementSettings(false, 1000, null, true, null, null);

    static final String POLICY = """
            {
              "management": {"watch": false},
              "stacks": [
                {"name": "a", "type": "kernel"},
                {"name": "b", "type": "kernel"}
              ],
              "default": "a",
              "rules": [
                {"name": "loopback clients", "proto": "tcp", "role": "client", "dst": "127.0.0.0/8", "stacks": ["b", "a"]},
                {"proto": "udp", "stack": "a"}
              ]
            }
            """;

    @TempDir
    Path dir;
    private Path file;
    private DmmRuntime runtime;
    private MBeanServer server;
    private MBeanSlot slot;

    @BeforeEach
    void start() throws Exception {
        file = Files.writeString(dir.resolve("policy.json"), POLICY);
        runtime = DmmRuntime.fromFile(file, null);
        server = MBeanServerFactory.newMBeanServer();
        slot = MBeanSlot.inServer(runtime, runtime.control(), server, false);
        slot.prepare(JMX_ON).run();
    }

    @AfterEach
    void stop() {
        if (slot != null) {
            slot.close();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    private Set<String> dmmNames() throws Exception {
        Set<String> names = new TreeSet<>();
        for (ObjectName n : server.queryNames(new ObjectName("io.dmm:*"), null)) {
            names.add(n.getCanonicalName());
        }
        return names;
    }

    private Object attr(ObjectName name, String attribute) throws Exception {
        return server.getAttribute(name, attribute);
    }

    private Object invoke(ObjectName name, String op, Object... args) throws Exception {
        String[] sig = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            sig[i] = args[i] instanceof Integer ? "int" : String.class.getName();
        }
        return server.invoke(name, op, args, sig);
    }

    /** What a client of {@code op} gets thrown: the MBean's exception, unwrapped from the server's. */
    private RuntimeException failure(ObjectName name, String op, Object... args) {
        RuntimeMBeanException e = assertThrows(RuntimeMBeanException.class, () -> invoke(name, op, args));
        RuntimeException target = e.getTargetException();
        assertTrue(target.getClass().getName().startsWith("java."),
                "a JMX client may lack DMM's classes, got " + target.getClass());
        assertNull(target.getCause(), "no cause of a class the client may lack");
        return target;
    }

    @Test
    void registersThePolicyEachStackEachRuleAndTheSocketTable() throws Exception {
        assertEquals(new TreeSet<>(Set.of(
                "io.dmm:type=Policy", "io.dmm:type=Sockets",
                "io.dmm:name=a,type=Stack", "io.dmm:name=b,type=Stack",
                "io.dmm:index=0,type=Rule", "io.dmm:index=1,type=Rule", "io.dmm:index=default,type=Rule")),
                dmmNames());
    }

    @Test
    void policyAttributesDescribeTheRunningVersion() throws Exception {
        ObjectName p = DmmObjectNames.POLICY;
        assertEquals(1L, attr(p, "Version"));
        assertEquals(file.toString(), attr(p, "Origin"));
        assertEquals(file.toString(), attr(p, "File"));
        assertEquals(2, attr(p, "RuleCount"));
        assertEquals(2, attr(p, "StackCount"));
        assertArrayEquals(new String[] {"a", "b"}, (String[]) attr(p, "StackNames"));
        assertFalse(((String) attr(p, "AppliedAt")).isEmpty());
        assertEquals("", attr(p, "LastChangeAt"));
        assertEquals("", attr(p, "LastChangeTrigger"));
        assertEquals(false, attr(p, "LastChangeApplied"));
        assertEquals("", attr(p, "LastChangeError"));
        // open types only: every attribute's type is a JDK type a generic client has
        for (MBeanAttributeInfo a : server.getMBeanInfo(p).getAttributes()) {
            assertNotNull(a.getDescriptor().getFieldValue("openType"), a.getName());
            assertTrue(a.getType().matches("(\\[L)?javax?\\..*|[a-z]+"),
                    a.getName() + ": " + a.getType());
        }
        MBeanOperationInfo addRule = Arrays.stream(server.getMBeanInfo(p).getOperations())
                .filter(o -> o.getName().equals("addRule")).findFirst().orElseThrow();
        assertEquals("position", addRule.getSignature()[0].getName());
        assertEquals("ruleJson", addRule.getSignature()[1].getName());
    }

    @Test
    void explainReturnsTheRuleItsSourceAndStacks() throws Exception {
        CompositeData e = (CompositeData) invoke(DmmObjectNames.POLICY, "explain", "tcp", "client", "127.0.0.1:443");
        assertEquals(0, e.get("rule"));
        assertEquals(file + ":9", e.get("source"));
        assertArrayEquals(new String[] {"b", "a"}, (String[]) e.get("stacks"));
        assertEquals(1L, e.get("policyVersion"));
        assertTrue(((String) e.get("reason")).contains("rule #0"), (String) e.get("reason"));

        CompositeData d = (CompositeData) invoke(DmmObjectNames.POLICY, "explain", "tcp", "client", "203.0.113.5:443");
        assertEquals(-1, d.get("rule"));
        assertArrayEquals(new String[] {"a"}, (String[]) d.get("stacks"));

        CompositeData hinted = (CompositeData) invoke(DmmObjectNames.POLICY, "explain", "tcp", "client",
                "127.0.0.1:443", "", "", "", "a", "", "");
        assertEquals("explicit stack hint", hinted.get("source"));

        assertEquals("role \"sender\" is not a tcp role: expected client or server",
                failure(DmmObjectNames.POLICY, "explain", "tcp", "sender", "127.0.0.1:443").getMessage());
        assertInstanceOf(IllegalArgumentException.class,
                failure(DmmObjectNames.POLICY, "explain", "tcp", "client", "localhost:443"));
    }

    @Test
    void ruleEditsReRegisterTheRuleMBeans() throws Exception {
        ObjectName rule0 = DmmObjectNames.rule(0);
        assertEquals(file + ":9", attr(rule0, "Source"));
        assertArrayEquals(new String[] {"b", "a"}, (String[]) attr(rule0, "Stacks"));
        assertEquals("0", attr(rule0, "Index"));
        assertEquals("default", attr(DmmObjectNames.rule(-1), "Index"));

        assertEquals(2L, invoke(DmmObjectNames.POLICY, "addRule", 0, "{\"port\": 5432, \"stack\": \"b\"}"));
        assertTrue(server.isRegistered(DmmObjectNames.rule(2)), "three rules now");
        assertEquals(2L, attr(rule0, "PolicyVersion"));
        assertTrue(((String) attr(rule0, "Rule")).contains("5432"), (String) attr(rule0, "Rule"));
        assertEquals(file + ":9", attr(DmmObjectNames.rule(1), "Source"), "the old rule 0 moved down");
        assertEquals("addRule", attr(DmmObjectNames.POLICY, "LastChangeTrigger"));
        assertEquals(true, attr(DmmObjectNames.POLICY, "LastChangeApplied"));

        assertEquals(3L, invoke(DmmObjectNames.POLICY, "removeRule", 2));
        assertEquals(4L, invoke(DmmObjectNames.POLICY, "replaceRule", 1, "{\"proto\": \"udp\", \"stack\": \"b\"}"));
        assertFalse(server.isRegistered(DmmObjectNames.rule(2)));
        assertArrayEquals(new String[] {"b"}, (String[]) attr(DmmObjectNames.rule(1), "Stacks"));
        assertEquals(4L, attr(DmmObjectNames.POLICY, "Version"));
    }

    @Test
    void ruleHitsCountDecisions() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel client = runtime.openSocketChannel(null, null)) {
            client.connect(listener.getLocalAddress());
            assertEquals(1L, attr(DmmObjectNames.rule(0), "Hits"));
            assertEquals(0L, attr(DmmObjectNames.rule(-1), "Hits"));
            ObjectName b = DmmObjectNames.stack("b");
            assertEquals(1L, attr(b, "Decisions"));
            assertEquals(1L, attr(b, "SocketsActive"));
            assertEquals(1L, attr(b, "ConnectsOk"));
            assertEquals("kernel", attr(b, "Type"));
            assertEquals("UP", attr(b, "Health"));
            assertEquals("", attr(b, "HealthDetail"));
            assertEquals(file + ":5", attr(b, "Source"));
            assertInstanceOf(TabularData.class, attr(b, "StackCounters"));
        }
    }

    @Test
    void rejectedChangesReachTheClientWithTheLocatedErrorAndChangeNothing() throws Exception {
        RuntimeException bad = failure(DmmObjectNames.POLICY, "apply", "{\"stacks\": [{\"name\": \"a\"}]}", "push.json");
        assertInstanceOf(IllegalArgumentException.class, bad);
        assertTrue(bad.getMessage().startsWith("push.json:1:"), bad.getMessage());
        assertTrue(bad.getMessage().contains("stacks[0]"), bad.getMessage());
        assertEquals(1L, attr(DmmObjectNames.POLICY, "Version"));
        assertEquals(false, attr(DmmObjectNames.POLICY, "LastChangeApplied"));
        assertEquals(bad.getMessage(), attr(DmmObjectNames.POLICY, "LastChangeError"));

        Files.writeString(file, POLICY.replace("\"127.0.0.0/8\"", "\"127.0.0.0/33\""));
        RuntimeException reload = failure(DmmObjectNames.POLICY, "reload");
        assertInstanceOf(IllegalArgumentException.class, reload);
        assertTrue(reload.getMessage().startsWith(file + ":9:"), reload.getMessage());
        assertTrue(reload.getMessage().contains("rules[0].dst"), reload.getMessage());
        assertEquals("reload", attr(DmmObjectNames.POLICY, "LastChangeTrigger"));
        assertEquals(1L, attr(DmmObjectNames.POLICY, "LastChangeVersion"));

        assertEquals("no rule #7: the policy has 2 rules (#0..#1)",
                failure(DmmObjectNames.POLICY, "removeRule", 7).getMessage());
        RuntimeException inUse = failure(DmmObjectNames.POLICY, "removeStack", "b");
        assertInstanceOf(IllegalArgumentException.class, inUse);
        assertTrue(inUse.getMessage().contains("rule"), inUse.getMessage());

        Files.writeString(file, POLICY);
        assertEquals(2L, invoke(DmmObjectNames.POLICY, "reload"));
    }

    @Test
    void drainAndUndrainAStack() throws Exception {
        ObjectName b = DmmObjectNames.stack("b");
        assertEquals("active", attr(b, "Admin"));
        invoke(b, "drain");
        assertEquals("draining", attr(b, "Admin"));
        assertEquals("draining", runtime.stats().stack("b").orElseThrow().admin());
        invoke(b, "undrain");
        assertEquals("active", attr(b, "Admin"));
    }

    @Test
    void addedStacksAppearAndRemovedOnesRetireThenGo() throws Exception {
        assertEquals(2L, invoke(DmmObjectNames.POLICY, "addStack", "{\"name\": \"c\", \"type\": \"kernel\"}"));
        ObjectName c = DmmObjectNames.stack("c");
        assertEquals("active", attr(c, "Admin"));
        assertEquals(3L, invoke(DmmObjectNames.POLICY, "removeStack", "c"));
        // unused, it stops after a short grace; its MBean goes at the next check
        awaitTrue(() -> !server.isRegistered(c), "the stopped instance's MBean is unregistered");
    }

    @Test
    void aReplacedInstanceWithOpenSocketsKeepsAnMBeanBesideItsSuccessor() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            SocketChannel client = runtime.openSocketChannel(null, null);
            client.connect(listener.getLocalAddress());
            String changed = POLICY.replace("{\"name\": \"b\", \"type\": \"kernel\"}",
                    "{\"name\": \"b\", \"type\": \"kernel\", \"options\": {\"TCP_NODELAY\": true}}");
            invoke(DmmObjectNames.POLICY, "apply", changed, "changed.json");
            ObjectName retiring = DmmObjectNames.retiringStack("b", 1);
            assertEquals("active", attr(DmmObjectNames.stack("b"), "Admin"));
            assertEquals("retiring", attr(retiring, "Admin"));
            assertEquals(1L, attr(retiring, "SocketsActive"));
            RuntimeException refused = failure(retiring, "drain");
            assertInstanceOf(IllegalStateException.class, refused);
            assertTrue(refused.getMessage().contains("retiring"), refused.getMessage());
            client.close();
            awaitTrue(() -> !server.isRegistered(retiring), "the retired instance's MBean is unregistered");
            assertTrue(server.isRegistered(DmmObjectNames.stack("b")));
        }
    }

    /**
     * A test runtime's management plane has no MBean slot (only the JVM-wide runtime's has), so the
     * settings of each applied version are handed to this test's slot as the plane would.
     */
    @Test
    void aPolicyWithJmxOffUnregistersAndOnAgainRegisters() throws Exception {
        runtime.onChange(status -> slot.prepare(runtime.router().policy().management()).run());
        // from the policy file only: a pushed policy cannot change the management settings
        Files.writeString(file, POLICY.replace("\"watch\": false", "\"watch\": false, \"jmx\": false"));
        invoke(DmmObjectNames.POLICY, "reload");
        assertEquals(Set.of(), dmmNames());
        assertFalse(slot.registered());
        Files.writeString(file, POLICY);
        runtime.control().reload();
        assertEquals(7, dmmNames().size(), dmmNames().toString());
        assertEquals(3L, attr(DmmObjectNames.POLICY, "Version"));
    }

    @Test
    void aSecondRuntimeDoesNotFailAndTakesTheNamesOnceTheyAreFree() throws Exception {
        try (DmmRuntime second = DmmRuntime.fromFile(file, null)) {
            MBeanSlot other = MBeanSlot.inServer(second, second.control(), server, false);
            try {
                other.prepare(JMX_ON).run();
                assertFalse(other.registered(), "the names belong to the first runtime");
                invoke(DmmObjectNames.POLICY, "addRule", -1, "{\"port\": 1, \"stack\": \"a\"}");
                assertEquals(2L, runtime.status().version(), "operations reach the first runtime");
                assertEquals(1L, second.status().version());
                slot.close();
                awaitTrue(other::registered, "the second runtime registers once the names are free");
                assertEquals(1L, attr(DmmObjectNames.POLICY, "Version"));
            } finally {
                other.close();
            }
        }
    }

    @Test
    void closingUnregistersEverything() throws Exception {
        slot.close();
        assertEquals(Set.of(), dmmNames());
    }

    @Test
    void theSocketTableListsWhatTheRuntimeTableHolds() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel client = runtime.openSocketChannel(null, null)) {
            client.connect(listener.getLocalAddress());
            CompositeData[] rows = (CompositeData[]) attr(DmmObjectNames.SOCKETS, "Sockets");
            var table = runtime.control().sockets();
            assertEquals(table.size(), rows.length);
            assertEquals(table.size(), attr(DmmObjectNames.SOCKETS, "Count"));
            for (int i = 0; i < rows.length; i++) {
                assertEquals(table.get(i).id(), rows[i].get("id"));
                assertEquals(table.get(i).stack(), rows[i].get("stack"));
            }
            // the one DMM socket here is the client (the listener is a raw JDK channel), on "b" by the
            // loopback-clients rule, connected to the listener
            assertEquals(1, rows.length, Arrays.toString(rows));
            assertEquals("b", rows[0].get("stack"));
            assertEquals("client", rows[0].get("kind"));
            assertEquals("established", rows[0].get("state"));
            assertEquals("127.0.0.1:" + ((InetSocketAddress) client.getLocalAddress()).getPort(), rows[0].get("local"));
            assertEquals("127.0.0.1:" + ((InetSocketAddress) listener.getLocalAddress()).getPort(), rows[0].get("remote"));
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within 10 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
