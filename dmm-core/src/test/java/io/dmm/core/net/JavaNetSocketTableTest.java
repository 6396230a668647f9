package io.dmm.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * java.net Socket, ServerSocket and DatagramSocket on DMM's SocketImpls appear in the socket table
 * as the channels under them do: run in a child JVM ({@link SocketTableScenario}), since the JDK's
 * socket factories can be set once per JVM.
 */
class JavaNetSocketTableTest {
    @TempDir
    Path dir;

    @Test
    void javaNetSocketsAreRowsOfTheJvmWideTable() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.json"), """
                {"stacks": [{"name": "kernel", "type": "kernel"}, {"name": "alt", "type": "kernel"}],
                 "default": "kernel",
                 "rules": [{"role": "server", "stack": "alt"}]}
                """);
        Path log = dir.resolve("scenario.out");
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Ddmm.config=" + policy, "-cp", System.getProperty("java.class.path"),
                SocketTableScenario.class.getName());
        // output to a file, not a pipe read to its end: a hung child must fail the test, not hang it
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = p.waitFor(60, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly().waitFor();
        }
        String out = Files.readString(log);
        assertTrue(finished, "the scenario did not finish in 60 s:\n" + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("DONE"), out);
    }
}
