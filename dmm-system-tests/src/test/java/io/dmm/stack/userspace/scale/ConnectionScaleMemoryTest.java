package io.dmm.stack.userspace.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * 100,000 concurrent connections on one userspace instance fit in a JVM of at most 2 GiB RSS (issue
 * 15): runs the benchmarks' {@code ConnectionScaleMemory} (100,000 clients connected to a server on
 * one instance with a loopback device, so 200,000 TCP endpoints, 64 bytes each way on each, all kept
 * open) in a JVM limited to a 1 GiB heap and 512 MiB of direct memory, and checks the RSS it reports
 * with every connection open. In the system tier for
 * its weight (about a minute, a GiB), not for any host need; it uses the jar {@code mvn package}
 * builds in dmm-benchmarks, which the reactor builds before this module.
 */
class ConnectionScaleMemoryTest {
    private static final Pattern ROW = Pattern.compile("\\| ([0-9,]+) \\| ([0-9,]+) MiB \\| ([0-9,]+) MiB \\|");
    private static final long MAX_RSS_MIB = 2048;

    @Test
    void oneHundredThousandConnectionsFitIn2GiB() throws Exception {
        Path jar = Path.of("..", "dmm-benchmarks", "target", "benchmarks.jar").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(jar), "missing " + jar + ": build dmm-benchmarks first (mvn package)");
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Xmx1g", "-XX:MaxDirectMemorySize=512m", "--enable-native-access=ALL-UNNAMED",
                "-cp", jar.toString(), "io.dmm.benchmarks.ConnectionScaleMemory", "100000", "64", String.valueOf(MAX_RSS_MIB));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), out);
        System.out.println(out);
        Matcher m = ROW.matcher(out);
        assertTrue(m.find(), "no result row in:\n" + out);
        assertEquals(200_000, Long.parseLong(m.group(1).replace(",", "")), out);
        long rssMib = Long.parseLong(m.group(2).replace(",", ""));
        assertTrue(rssMib <= MAX_RSS_MIB, "RSS " + rssMib + " MiB with 100,000 connections open:\n" + out);
        assertEquals(0, p.exitValue(), out);
    }
}
