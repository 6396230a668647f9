package io.dmm.agent.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.systemtest.host.CommandResult;
import io.dmm.systemtest.host.NetNamespace;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linux's curl against com.sun.net.httpserver.HttpServer in a child JVM whose sockets the agent
 * routes to a userspace stack on a DPDK net_tap port (http-dpdk-policy.json): 1,000 requests, half
 * on one kept-alive connection, half each on a new connection. The tap interface DPDK makes is moved
 * into a namespace of the test's own, so curl runs on a kernel that reaches nothing else.
 */
class HttpServerOnDpdkTest {
    static final String STACK_IP = "10.231.0.2";
    static final String KERNEL_CIDR = "10.231.0.1/24";
    static final int PORT = 8080;
    static final int HALF = 500;
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    static final Path TEST_CLASSES = Path.of("target", "test-classes").toAbsolutePath();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void curlMakesAThousandRequestsToHttpServerOnDpdkThroughDmm() throws Exception {
        String tap = NetNamespace.uniqueInterfaceName("dth");
        Path policy = Files.createTempFile("http-dpdk-policy", ".json");
        Path stderr = Files.createTempFile("http-dpdk-app", ".err");
        Files.writeString(policy, Files.readString(TEST_CLASSES.resolve("http-dpdk-policy.json")).replace("@TAP@", tap));
        NetNamespace ns = NetNamespace.create();
        Process app = null;
        StringBuffer out = new StringBuffer();
        try {
            app = new ProcessBuilder(JAVA, "-javaagent:" + agentJar() + "=config=" + policy,
                    "-cp", appClassPath(), HttpServerOnDpdkApp.class.getName(), STACK_IP, Integer.toString(PORT))
                    .redirectError(stderr.toFile()).start();
            BlockingQueue<String> lines = readLines(app, out);
            String why = awaitListening(app, lines, out, stderr);
            ns.adopt(tap);
            ns.configure(tap, KERNEL_CIDR);

            String base = "http://" + STACK_IP + ":" + PORT;
            // curl's URL globbing: one invocation, one transfer per URL, reusing its connection
            // unless the request says Connection: close. -w prints, after each body, the status and
            // how many connections that transfer opened.
            CommandResult keptAlive = ns.exec(Duration.ofSeconds(60), "curl", "-sS", "--max-time", "30",
                    "-w", "%{http_code} %{num_connects}\n", base + "/k/[1-" + HALF + "]");
            CommandResult fresh = ns.exec(Duration.ofSeconds(60), "curl", "-sS", "--max-time", "30", "-H", "Connection: close",
                    "-w", "%{http_code} %{num_connects}\n", base + "/n/[1-" + HALF + "]");

            assertEquals(0, keptAlive.exitCode(), keptAlive::describe);
            assertEquals(expected("/k/", true), keptAlive.stdout(), "curl over one kept-alive connection");
            assertEquals(0, fresh.exitCode(), fresh::describe);
            assertEquals(expected("/n/", false), fresh.stdout(), "curl with a new connection per request");

            app.getOutputStream().close(); // the app's signal to stop and print its facts
            assertEquals(0, app.waitFor(30, TimeUnit.SECONDS) ? app.exitValue() : -1, () -> describe(out, stderr));
            Map<String, String> facts = facts(out.toString());
            why = describe(out, stderr);
            assertEquals("io.dmm.core.DmmSelectorProvider", facts.get("provider"), why);
            assertEquals(Integer.toString(2 * HALF), facts.get("http.requests"), why);
            // the listening socket and the HALF + 1 connections it accepted, all on the DPDK stack
            assertEquals(Integer.toString(2 + HALF), facts.get("stats.dpdk.opened"), why);
            assertEquals(Integer.toString(1 + HALF), facts.get("counter.dpdk.tcp_passive_opens"), why);
            assertEquals("0", facts.get("stats.kernel.opened"), why);
        } finally {
            try {
                if (app != null && app.isAlive()) {
                    app.destroy(); // SIGTERM: DPDK's port and EAL files are released by the shutdown hooks
                    if (!app.waitFor(20, TimeUnit.SECONDS)) app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } finally {
                ns.close();
                Files.deleteIfExists(policy);
                Files.deleteIfExists(stderr);
            }
        }
    }

    /** The shaded agent jar dmm-agent built earlier in this reactor (its path comes from the pom). */
    private static Path agentJar() {
        Path jar = Path.of(System.getProperty("dmm.agent.jar", "../dmm-agent/target/dmm-agent.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), jar + " is missing: build dmm-agent first (mvn -B verify -Psystem builds it)");
        return jar;
    }

    /** The app's own classes: this module's test classes and dmm-agent's (for {@link Compat}); DMM comes from the agent. */
    private static String appClassPath() throws Exception {
        Path compat = Path.of(Compat.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return TEST_CLASSES + File.pathSeparator + compat;
    }

    /** Waits for the app's {@code listening=} line; fails with its output if it ends or says its stack is not UP. */
    private static String awaitListening(Process app, BlockingQueue<String> lines, StringBuffer out, Path stderr) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line == null) {
                assertFalse(!app.isAlive() && lines.isEmpty(), () -> "the app ended before it listened\n" + describe(out, stderr));
                continue;
            }
            if (line.startsWith("health.dpdk=")) {
                assertEquals("health.dpdk=UP", line, () -> "the DPDK stack is not up\n" + describe(out, stderr));
            }
            if (line.startsWith("listening=")) return line;
        }
        throw new AssertionError("the app did not listen within 60 s\n" + describe(out, stderr));
    }

    private static BlockingQueue<String> readLines(Process app, StringBuffer out) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    out.append(line).append('\n');
                    lines.add(line);
                }
            } catch (Exception e) {
                out.append("(reading the app's output failed: ").append(e).append(")\n");
            }
        });
        return lines;
    }

    /** What curl prints for HALF transfers: the body, then status and connections opened. */
    private static String expected(String prefix, boolean keptAlive) {
        StringBuilder s = new StringBuilder();
        for (int i = 1; i <= HALF; i++) {
            s.append("path ").append(prefix).append(i).append('\n');
            s.append("200 ").append(!keptAlive || i == 1 ? 1 : 0).append('\n');
        }
        return s.toString();
    }

    private static Map<String, String> facts(String out) {
        Map<String, String> facts = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) facts.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return facts;
    }

    private static String describe(StringBuffer out, Path stderr) {
        try {
            return "--- app stdout\n" + out + "--- app stderr\n" + Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (Exception e) {
            return "--- app stdout\n" + out + "(no stderr: " + e + ")";
        }
    }
}
