package io.dmm.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.DmmSockets;
import io.dmm.api.StackStats;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * DPDK unusable, seen from a child JVM whose policy puts stack "dp" on a DPDK port: {@link #main}
 * prints the instance's health and reason, where a socket with a fallback went, and what a socket
 * routed to "dp" alone got; {@link #runAndCheck} starts that JVM (behind a command prefix of the
 * test's choice) and checks it all. Used by DpdkUnusableFallbackTest (default tier) and by the
 * system tier's DpdkFallbackTest, which hides DPDK's real library.
 */
public final class DpdkFallbackProbe {
    private DpdkFallbackProbe() {
    }

    /**
     * Runs the probe as {@code prefix + java + jvmOptions + probe} with the policy written into
     * {@code dir}, and checks that the DPDK instance is DOWN with a reason that contains
     * {@code reason} and the install hint, logged once; that a rule with a fallback connects over the
     * kernel; and that a socket routed to the DPDK instance alone fails with the reason.
     */
    public static void runAndCheck(Path dir, List<String> prefix, List<String> jvmOptions, String reason) throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.json"), """
                {"stacks": [{"name": "kernel", "type": "kernel"},
                            {"name": "dp", "type": "userspace", "address": "10.99.0.2/24",
                             "device": {"driver": "dpdk", "port": "net_tap_dmmfb,iface=dmmfb0"}}],
                 "default": "kernel",
                 "rules": [{"name": "loopback, DPDK first", "dst": "127.0.0.0/8", "stacks": ["dp", "kernel"]},
                           {"name": "DPDK only", "dst": "10.99.0.0/24", "stack": "dp"}]}
                """);
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.addAll(jvmOptions);
        cmd.add("-Ddmm.config=" + policy);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(DpdkFallbackProbe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), "the probe failed: " + cmd + "\n" + out);
        assertTrue(out.contains("HEALTH DOWN"), out);
        String detail = line(out, "DETAIL ");
        assertTrue(detail.contains(reason) && detail.contains("apt-get install dpdk libdpdk-dev"), detail);
        assertTrue(out.contains("FALLBACK kernel connected true"), out);
        String only = line(out, "DPDK-ONLY ");
        assertTrue(only.contains("dp is DOWN") && only.contains("apt-get install dpdk"), only);
        // one clear error: logged once, whatever the number of sockets
        assertEquals(1, out.lines().filter(l -> l.contains("ERROR") && l.contains("DPDK")).count(), out);
    }

    private static String line(String out, String prefix) throws IOException {
        return out.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new IOException("no line " + prefix + "in:\n" + out));
    }

    public static void main(String[] args) throws Exception {
        StackStats dp = DmmSockets.stats().stack("dp").orElseThrow();
        System.out.println("HEALTH " + dp.health());
        System.out.println("DETAIL " + dp.healthDetail());
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel c = DmmSockets.open()) {
                c.connect(server.getLocalAddress());
                System.out.println("FALLBACK " + DmmSockets.routeOf(c).orElseThrow().stacks().getFirst()
                        + " connected " + c.isConnected());
            }
        }
        try (SocketChannel c = DmmSockets.open()) {
            c.connect(new InetSocketAddress("10.99.0.1", 80));
            System.out.println("DPDK-ONLY connected?!");
        } catch (IOException e) {
            System.out.println("DPDK-ONLY " + e.getMessage());
        }
    }
}
