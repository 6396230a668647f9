package io.dmm.core.runtime;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DPDK unusable, on any machine and as any user: a child JVM is told to load its DPDK shim from a
 * file that is no library (the {@code dmm.dpdk.shim} property), so loading DPDK fails whether or
 * not DPDK is installed. The instance on the DPDK port must be DOWN with one clear reason, the JVM
 * and the kernel stack go on, a rule with a fallback uses the kernel, and a socket routed to the
 * DPDK instance alone fails with the reason. (The system tier's DpdkFallbackTest does the same with
 * DPDK's real library hidden.)
 */
class DpdkUnusableFallbackTest {
    @TempDir
    Path dir;

    @Test
    void anUnloadableDpdkLeavesTheInstanceDownAndRulesFallBack() throws Exception {
        DpdkFallbackProbe.runAndCheck(dir, List.of(), List.of("-Ddmm.dpdk.shim=/dev/null"), "DPDK is not usable");
    }
}
