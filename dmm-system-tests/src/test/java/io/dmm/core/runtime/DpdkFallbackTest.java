package io.dmm.core.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DPDK missing: a child JVM runs in a mount namespace where DPDK's EAL library is hidden (a bind
 * mount of /dev/null over it, undone when the namespace goes), so loading DPDK fails as on a machine
 * without the dpdk package. The instance on the DPDK port must be DOWN, naming the library, and
 * rules fall back (the checks are {@link DpdkFallbackProbe#runAndCheck}'s). Needs root and DPDK.
 */
class DpdkFallbackTest {
    private static final String EAL_LIBRARY = "/usr/lib/x86_64-linux-gnu/librte_eal.so.23";

    @TempDir
    Path dir;

    @Test
    void missingDpdkLeavesTheInstanceDownAndRulesFallBack() throws Exception {
        assertTrue(Files.exists(Path.of(EAL_LIBRARY)), "this test hides DPDK's " + EAL_LIBRARY
                + " from a child JVM, so DPDK must be installed: apt-get install dpdk libdpdk-dev");
        List<String> hidden = List.of("unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
                "mount --bind /dev/null " + EAL_LIBRARY + " && exec \"$@\"", "sh");
        DpdkFallbackProbe.runAndCheck(dir, hidden, List.of(), "librte_eal.so.23");
    }
}
