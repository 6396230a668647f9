package io.dmm.core.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.core.DmmSelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        List<String> args = new ArrayList<>(List.of("-Djava.net.preferIPv4Stack=true"));
        args.addAll(jvmArgs);
        return ChildJvm.run(dir, args, Ipv4StackScenario.class, mode);
    }

    private void sameAsJdk(String policy) throws Exception {
        String jdk = run(List.of(), "jdk");
        Path file = Files.writeString(dir.resolve("policy.json"), policy);
        String dmm = run(List.of("--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
                "-Djava.nio.channels.spi.SelectorProvider=" + DmmSelectorProvider.class.getName(),
                "-Ddmm.config=" + file), "dmm");
        assertTrue(dmm.contains("R provider " + DmmSelectorProvider.class.getName()), dmm);
        assertTrue(jdk.contains("IPv6 not available"), "the reference run is IPv4-only: " + jdk);
        assertEquals(ChildJvm.transcript(jdk), ChildJvm.transcript(dmm), "DMM run:\n" + dmm);
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
