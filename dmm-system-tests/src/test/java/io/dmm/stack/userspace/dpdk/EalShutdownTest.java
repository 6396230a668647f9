package io.dmm.stack.userspace.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM that exits with DPDK stacks still open leaves nothing behind: the shutdown hook closes the
 * instances, cleans up the EAL and removes its runtime directory (/var/run/dpdk/dmm-PID).
 */
class EalShutdownTest {
    @Test
    void exitingJvmClosesItsPortsAndRemovesTheEalRuntimeDirectory() throws Exception {
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                EalShutdownProbe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("UP UP UP"), out);
        String dir = out.lines().filter(l -> l.startsWith("RUNTIME-DIR ")).findFirst().orElseThrow().substring(12);
        assertTrue(dir.endsWith("/dmm-" + p.pid()), "the default file prefix is dmm-PID: " + dir);
        assertFalse(Files.exists(Path.of(dir)), "the EAL runtime directory is removed at exit: " + dir + "\n" + out);
        assertFalse(out.contains("WARN"), out);
    }
}
