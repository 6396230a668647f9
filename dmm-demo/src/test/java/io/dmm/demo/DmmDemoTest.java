package io.dmm.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.DmmSockets;
import io.dmm.api.DmmStats;
import io.dmm.api.StackStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Runs the README's main job (the demo, with config/demo.json) in-process and checks that every
 * connection went where the policy says and came back intact.
 */
class DmmDemoTest {

    @Test
    void demoRoutesEachConnectionByThePolicyAndEchoes() throws Exception {
        Path config = Path.of("..", "config", "demo.json").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(config), "missing " + config);
        System.setProperty("dmm.config", config.toString());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int failures;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            failures = new DmmDemo(out).run();
        }
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, failures, output);

        assertLine(output, "plain client", "stack kernel");
        assertLine(output, "client with qos=low-latency", "stack fast");
        assertLine(output, "client of a 9000-9099 service", "stack bulk");
        assertLine(output, "inside a low-latency scope", "stack fast");
        assertLine(output, "IPv6 client", "stack v6");
        assertLine(output, "UDP sender", "stack fast");
        assertLine(output, "client of the userspace network", "stack user0");
        assertLine(output, "second client of the userspace network", "stack user0");
        assertLine(output, "UDP sender on the userspace network", "stack user0");
        // The bulk stack binds its clients to its source address before connecting.
        assertTrue(output.contains("server saw peer 127.0.0.2:"), output);

        DmmStats stats = DmmSockets.stats();
        StackStats bulk = stats.stack("bulk").orElseThrow();
        assertEquals(1, bulk.connectsOk(), output);
        assertTrue(bulk.bytesOut() > 0 && bulk.bytesIn() > 0, output);
        assertEquals(2, stats.stack("fast").orElseThrow().connectsOk(), output);
        assertTrue(output.contains("9 connections, 0 failed"), output);
        StackStats user = stats.stack("user0").orElseThrow();
        assertEquals("userspace", user.type());
        assertEquals(2, user.connectsOk(), output);
        assertEquals(2, user.stackCounters().get("tcp_passive_opens"), output);
        assertTrue(user.stackCounters().get("udp_datagrams_rx") >= 2, output);
        assertTrue(output.contains("stack user0 (userspace) counters it keeps itself:"), output);
    }

    private static void assertLine(String output, String label, String expected) {
        String line = output.lines().filter(l -> l.contains(label)).findFirst().orElse("");
        assertTrue(line.contains(expected), "expected '" + expected + "' on the line of '" + label + "':\n" + output);
    }
}
