package io.dmm.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DPDK missing: a child JVM runs in a mount namespace where DPDK's EAL library is hidden (a bind
 * mount of /dev/null over it, undone when the namespace goes), so loading DPDK fails as on a machine
 * without the dpdk package. The instance on the DPDK port must be DOWN with one clear reason, the
 * JVM and the kernel stack go on, a rule with a fallback uses the kernel, and a socket routed to
 * the DPDK instance alone fails with the reason.
 */
class DpdkFallbackTest {
    private static final String EAL_LIBRARY = "/usr/lib/x86_64-linux-gnu/librte_eal.so.23";

    @TempDir
    Path dir;

    @Test
    void missingDpdkLeavesTheInstanceDownAndRulesFallBack() throws Exception {
        assertTrue(Files.exists(Path.of(EAL_LIBRARY)), "this test hides DPDK's " + EAL_LIBRARY
                + " from a child JVM, so DPDK must be installed: apt-get install dpdk libdpdk-dev");
        Path policy = Files.writeString(dir.resolve("policy.json"), """
                {"stacks": [{"name": "kernel", "type": "kernel"},
                            {"name": "dp", "type": "userspace", "address": "10.99.0.2/24",
                             "device": {"driver": "dpdk", "port": "net_tap_dmmfb,iface=dmmfb0"}}],
                 "default": "kernel",
                 "rules": [{"name": "loopback, DPDK first", "dst": "127.0.0.0/8", "stacks": ["dp", "kernel"]},
                           {"name": "DPDK only", "dst": "10.99.0.0/24", "stack": "dp"}]}
                """);
        List<String> java = new ArrayList<>();
        java.add(ProcessHandle.current().info().command().orElseThrow());
        java.add("-Ddmm.config=" + policy);
        java.add("-cp");
        java.add(System.getProperty("java.class.path"));
        java.add(DpdkFallbackProbe.class.getName());
        List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
                "mount --bind /dev/null " + EAL_LIBRARY + " && exec \"$@\"", "sh"));
        cmd.addAll(java);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), "the probe (needs root for unshare --mount) failed:\n" + out);
        assertTrue(out.contains("HEALTH DOWN"), out);
        String detail = line(out, "DETAIL ");
        assertTrue(detail.contains("librte_eal.so.23") && detail.contains("apt-get install dpdk libdpdk-dev"), detail);
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
}
