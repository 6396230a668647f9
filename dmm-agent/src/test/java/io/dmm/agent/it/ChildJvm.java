package io.dmm.agent.it;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command (a child JVM, or the dmm launcher), bounded in time, and keeps what it printed. */
public final class ChildJvm {
    public static final Path MODULE = Path.of("").toAbsolutePath();
    public static final Path AGENT_JAR = MODULE.resolve("target/dmm-agent.jar");
    public static final Path TEST_CLASSES = MODULE.resolve("target/test-classes");
    public static final Path POLICY = TEST_CLASSES.resolve("probe-policy.json");
    public static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    public record Result(int exit, String out, String err) {
        /** The child's {@code key=value} lines. */
        public Map<String, String> facts() {
            Map<String, String> facts = new LinkedHashMap<>();
            for (String line : out.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    facts.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return facts;
        }

        public String describe() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }

        public Result assertOk() {
            assertEquals(0, exit, this::describe);
            return this;
        }
    }

    private ChildJvm() {
    }

    public static Result java(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(JAVA);
        cmd.addAll(List.of(args));
        return run(new ProcessBuilder(cmd));
    }

    public static Result run(ProcessBuilder pb) throws Exception {
        Path out = Files.createTempFile("dmm-it", ".out");
        Path err = Files.createTempFile("dmm-it", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("child did not finish in 120 s: " + pb.command() + "\n" + read(out) + read(err));
            }
            return new Result(p.exitValue(), read(out), read(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
