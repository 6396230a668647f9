package io.dmm.core.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.core.DmmSelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Djava.net.preferIPv4Stack=true} makes the JDK's channels INET only: opening an INET6 one
 * fails with "IPv6 not available", the others are IPv4 sockets that refuse IPv6 addresses. DMM's
 * routed channels and java.net sockets must do the same on every stack: {@link Ipv4StackScenario}
 * in two child JVMs with the property, the JDK's and DMM's (channels and java.net factories), must
 * print the same lines.
 */
class PreferIpv4StackTest {
    @TempDir
    Path dir;

    private String run(List<String> jvmArgs, String mode) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.add("-Djava.net.preferIPv4Stack=true");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Ipv4StackScenario.class.getName());
        cmd.add(mode);
        // output to a file, not a pipe read to its end: a hung child must fail the test, not hang it
        Path log = Files.createTempFile(dir, "scenario", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = p.waitFor(60, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly().waitFor();
        }
        String out = Files.readString(log);
        assertTrue(finished, "scenario did not finish in 60 s: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("DONE"), out);
        return out;
    }

    private static String transcript(String out) {
        return out.lines().filter(l -> l.startsWith("T ")).collect(Collectors.joining("\n"));
    }

    private void sameAsJdk(String policy) throws Exception {
        String jdk = run(List.of(), "jdk");
        Path file = Files.writeString(dir.resolve("policy.json"), policy);
        String dmm = run(List.of("--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
                "-Djava.nio.channels.spi.SelectorProvider=" + DmmSelectorProvider.class.getName(),
                "-Ddmm.config=" + file), "dmm");
        assertTrue(dmm.contains("R provider " + DmmSelectorProvider.class.getName()), dmm);
        assertTrue(jdk.contains("IPv6 not available"), "the reference run is IPv4-only: " + jdk);
        assertEquals(transcript(jdk), transcript(dmm), "DMM run:\n" + dmm);
    }

    @Test
    void kernelStackIsIpv4OnlyAsTheJdk() throws Exception {
        sameAsJdk("""
                {"stacks": [{"name": "kernel", "type": "kernel"}], "default": "kernel"}
                """);
    }

    /** The userspace stack has IPv6 of its own; with the property the channels on it refuse it as the JDK's. */
    @Test
    void userspaceStackIsIpv4OnlyAsTheJdk() throws Exception {
        sameAsJdk("""
                {"stacks": [{"name": "u1", "type": "userspace", "address": "127.0.0.1/8", "device": {"driver": "loopback"}}],
                 "default": "u1"}
                """);
    }
}
