package io.dmm.core.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs a scenario's main class in a child JVM of this test's classpath, for behaviour that depends
 * on a system property read once per JVM; the scenario prints its transcript as "T " lines.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * Runs {@code main} with {@code jvmArgs} and {@code args} to its end (60 s at most), logging to a
     * file in {@code dir}; asserts it exited 0 after printing DONE, and returns its output.
     */
    static String run(Path dir, List<String> jvmArgs, Class<?> main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
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

    /** The "T " lines of a run's output. */
    static String transcript(String out) {
        return out.lines().filter(l -> l.startsWith("T ")).collect(Collectors.joining("\n"));
    }
}
