package io.dmm.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.RouteQuery;
import io.dmm.core.config.PolicyLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dmm-core's tests run without dmm-management on the class path: a policy asking for the HTTP
 * endpoint and remote JMX is still applied and routes, and one warning (slf4j-simple, on
 * System.err) says what is not served and why — once per change of what is asked for.
 */
class WithoutManagementModuleTest {
    private static final String WITH_ENDPOINTS = """
            {"stacks": [{"name": "k1", "type": "kernel"}],
             "management": {"watch": false, "http": {"port": 0, "tokenFile": "token"},
                            "jmxRemote": {"port": 0, "passwordFile": "jmx.password"}}}
            """;
    private static final String WITHOUT = """
            {"stacks": [{"name": "k1", "type": "kernel"}], "management": {"watch": false}}
            """;

    @TempDir
    Path dir;

    @Test
    void endpointsThePolicyAsksForAreReportedAsNotServedAndRoutingGoesOn() throws Exception {
        Files.writeString(dir.resolve("token"), "secret");
        Files.writeString(dir.resolve("jmx.password"), "admin pw\n");
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, WITH_ENDPOINTS);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (DmmRuntime rt = DmmRuntime.fromFile(policy, null)) {
            assertNotNull(rt.management().slot(UnservedManagementNote.class), "no plugin: the note stands in");
            assertEquals("k1", rt.explain(RouteQuery.tcpClient(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 80))).stacks().get(0));
            assertEquals(1, warnings(captured), captured.toString(StandardCharsets.UTF_8));
            String line = captured.toString(StandardCharsets.UTF_8);
            assertTrue(line.contains("asks for the HTTP endpoint on ") && line.contains(" and remote JMX on ")
                    && line.contains("dmm-management is not on the class path"), line);

            rt.control().reload(); // content unchanged, asked for again: no second line
            rt.change("test", p -> PolicyLoader.parse(WITH_ENDPOINTS, policy.toString()));
            assertEquals(1, warnings(captured), captured.toString(StandardCharsets.UTF_8));
            rt.change("test", p -> PolicyLoader.parse(WITHOUT, "without.json"));
            assertEquals(1, warnings(captured), "nothing asked for, nothing to say");
            rt.change("test", p -> PolicyLoader.parse(WITH_ENDPOINTS, policy.toString()));
            assertEquals(2, warnings(captured), "asked for again after a version without");
        } finally {
            System.setErr(err);
        }
    }

    private static int warnings(ByteArrayOutputStream captured) {
        return captured.toString(StandardCharsets.UTF_8).split("which is not served", -1).length - 1;
    }
}
