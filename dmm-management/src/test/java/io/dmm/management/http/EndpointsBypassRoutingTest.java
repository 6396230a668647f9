package io.dmm.management.http;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With DMM as the JVM's SelectorProvider and a policy that routes every socket to a userspace
 * stack owning 127.0.0.1/8 (in memory, invisible to the kernel), the HTTP endpoint and the JMX
 * connector must still listen on the kernel's 127.0.0.1: they are opened on the JDK's own channels,
 * not routed by the policy they manage. A routed listener could not be reached from this JVM.
 */
class EndpointsBypassRoutingTest {
    @TempDir
    Path dir;

    @Test
    void theManagementPortsAreKernelSocketsWhateverThePolicySays() throws Exception {
        String token = "probe-" + ProcessHandle.current().pid();
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, token);
        Path passwords = dir.resolve("jmx.password");
        Files.writeString(passwords, "admin pw-admin\n");
        Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, """
                {
                  "stacks": [{"name": "u1", "type": "userspace", "address": "127.0.0.1/8",
                              "device": {"driver": "loopback"}}],
                  "default": "u1",
                  "management": {"watch": false,
                    "http": {"port": 0, "tokenFile": "token"},
                    "jmxRemote": {"port": 0, "passwordFile": "jmx.password"}}
                }
                """);
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Djava.nio.channels.spi.SelectorProvider=io.dmm.core.DmmSelectorProvider",
                "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
                "-Ddmm.config=" + policy, "-cp", System.getProperty("java.class.path"), EndpointProbe.class.getName());
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        lines.add(l);
                    }
                } catch (IOException e) {
                    // the child is gone
                }
            });
            String routed = await(lines, output, "ROUTED ");
            String httpPort = await(lines, output, "HTTP ");
            String jmxUrl = await(lines, output, "JMX ");
            assertTrue(routed.startsWith("io.dmm.") && routed.endsWith(" u1"),
                    "the policy routes an ordinary listener to u1: " + routed);

            try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                        + "/v1/stacks")).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                assertEquals("u1", Json.map(Json.list(Json.object(r.body()).get("stacks")).get(0)).get("name"));
            }
            try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(jmxUrl),
                    Map.of(JMXConnector.CREDENTIALS, new String[] {"admin", "pw-admin"}))) {
                assertEquals(child.pid(), c.getMBeanServerConnection()
                        .getAttribute(new ObjectName("java.lang:type=Runtime"), "Pid"));
            }
        } finally {
            child.getOutputStream().close();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The rest of the next line starting with {@code prefix}; fails with the child's output if it never comes. */
    private static String await(BlockingQueue<String> lines, List<String> output, String prefix)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String l = lines.poll(100, TimeUnit.MILLISECONDS);
            if (l == null) {
                continue;
            }
            output.add(l);
            if (l.startsWith(prefix)) {
                return l.substring(prefix.length());
            }
        }
        fail("the probe JVM did not print " + prefix + "; its output:\n" + String.join("\n", output));
        return null;
    }
}
