package io.dmm.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import io.dmm.api.DmmSockets;
import io.dmm.api.DmmStats;
import io.dmm.api.StackStats;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the README's main job (the demo, with config/demo.json) in-process and checks that every
 * connection went where the policy says and came back intact; and, in child JVMs, the demo on a
 * host without IPv6 and the demo that stays up.
 */
class DmmDemoTest {
    private static final Path CONFIG = Path.of("..", "config", "demo.json").toAbsolutePath().normalize();

    @Test
    void demoRoutesEachConnectionByThePolicyAndEchoes() throws Exception {
        assertTrue(Files.isRegularFile(CONFIG), "missing " + CONFIG);
        System.setProperty("dmm.config", CONFIG.toString());

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

    /** A JVM that cannot use IPv6 (as on a host with IPv6 disabled) runs the rest of the demo and says what it left out. */
    @Test
    void withoutIpv6TheDemoLeavesTheIpv6PartOutWithOneLine() throws Exception {
        Process p = demo(List.of("-Djava.net.preferIPv4Stack=true")).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(0, p.exitValue(), output);
        assertEquals(1, output.lines().filter(l -> l.startsWith("note: no IPv6 on this host")).count(), output);
        assertFalse(output.contains("IPv6 client"), output);
        assertLine(output, "plain client", "stack kernel");
        assertLine(output, "client of the userspace network", "stack user0");
        assertTrue(output.contains("8 connections, 0 failed"), output);
    }

    /** {@code --stay}: after the demo the JVM and its servers stay up (for ./dmm ps, status, sockets) until it is stopped. */
    @Test
    void withStayTheDemoKeepsItsServersUpUntilStopped() throws Exception {
        Process p = demo(List.of(), "--stay").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            InetSocketAddress echo = null;
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("staying up as pid ")) {
                seen.append(line).append('\n');
                if (echo == null && line.contains("tcp echo on 127.0.0.1:")) {
                    String port = line.substring(line.indexOf("127.0.0.1:") + 10).split("\\s+")[0];
                    echo = new InetSocketAddress("127.0.0.1", Integer.parseInt(port));
                }
            }
            assertTrue(line != null, "the demo ended without staying up:\n" + seen);
            assertEquals("staying up as pid " + p.pid() + " until Ctrl-C; meanwhile, in another terminal:", line, seen.toString());
            assertTrue(seen.toString().contains("9 connections, 0 failed"), seen.toString());
            assertTrue(echo != null, seen.toString());
            assertFalse(p.waitFor(1, TimeUnit.SECONDS), "the demo exited instead of staying up");
            // ./dmm ps finds it: its management plane published the property the command looks for
            VirtualMachine vm = VirtualMachine.attach(String.valueOf(p.pid()));
            try {
                assertNotNull(vm.getSystemProperties().getProperty("io.dmm.runtime"),
                        "the demo JVM does not publish io.dmm.runtime: ./dmm ps would not list it");
            } finally {
                vm.detach();
            }
            // its echo server still answers
            try (Socket s = new Socket(echo.getAddress(), echo.getPort())) {
                s.getOutputStream().write("still there\n".getBytes(StandardCharsets.UTF_8));
                String reply = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                assertTrue(reply != null && reply.endsWith(" still there"), String.valueOf(reply));
            }
        } finally {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the demo did not stop on SIGTERM");
        }
    }

    /** The demo as ./dmm demo runs it, in a child JVM with this test's class path. */
    private static ProcessBuilder demo(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(jvmOptions);
        cmd.add("-Ddmm.config=" + CONFIG);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(DmmDemo.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    private static void assertLine(String output, String label, String expected) {
        String line = output.lines().filter(l -> l.contains(label)).findFirst().orElse("");
        assertTrue(line.contains(expected), "expected '" + expected + "' on the line of '" + label + "':\n" + output);
    }
}
