package io.dmm.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the JVM-wide policy comes from — {@code -Ddmm.config}, else {@code DMM_CONFIG}, else the
 * built-in default — and that a bad policy fails the first DMM call with its located error. Each
 * case runs in a child JVM: the global runtime is built once per JVM, and a test cannot set its
 * own environment.
 */
class GlobalPolicySourceTest {
    @TempDir
    Path dir;

    private Path write(String name, String json) throws IOException {
        return Files.writeString(dir.resolve(name), json);
    }

    private record Result(int exit, String out) {
    }

    private Result probe(List<String> jvmArgs, Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(PolicySourceProbe.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("DMM_CONFIG");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe did not finish: " + out);
        return new Result(p.exitValue(), out);
    }

    private static final String TWO_STACKS = """
            {"stacks": [{"name": "a", "type": "kernel"}, {"name": "b", "type": "kernel"}]}
            """;

    @Test
    void builtInDefaultWhenNothingIsConfigured() throws Exception {
        Result r = probe(List.of(), Map.of());
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("STACKS kernel\n"), r.out());
    }

    @Test
    void environmentVariableIsUsedWithoutTheProperty() throws Exception {
        Path file = write("env.json", TWO_STACKS);
        Result r = probe(List.of(), Map.of("DMM_CONFIG", file.toString()));
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("STACKS a,b\n"), r.out());
    }

    @Test
    void systemPropertyWinsOverTheEnvironment() throws Exception {
        Path file = write("prop.json", """
                {"stacks": [{"name": "p", "type": "kernel"}]}
                """);
        Path env = write("env.json", TWO_STACKS);
        Result r = probe(List.of("-Ddmm.config=" + file), Map.of("DMM_CONFIG", env.toString()));
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("STACKS p\n"), r.out());
    }

    @Test
    void badPolicyFailsTheFirstCallNamingFileLineColumnAndPath() throws Exception {
        Path file = write("bad.json", """
                {
                  "stacks": [{"name": "kernel", "type": "kernel"}],
                  "rules": [
                    {"dst": "10.0.0.0/33", "stack": "kernel"}
                  ]
                }
                """);
        Result r = probe(List.of("-Ddmm.config=" + file), Map.of());
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.out().contains("CONFIG-ERROR " + file + ":4:"), r.out());
        assertTrue(r.out().contains("rules[0].dst: \"10.0.0.0/33\" is not a CIDR"), r.out());
    }

    @Test
    void badStackSettingsFailTheWholePolicy() throws Exception {
        Path file = write("badopt.json", """
                {"stacks": [
                  {"name": "kernel", "type": "kernel"},
                  {"name": "bulk", "type": "kernel", "options": {"SO_SNDBUFF": 1}}
                ]}
                """);
        Result r = probe(List.of("-Ddmm.config=" + file), Map.of());
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.out().contains(file + ":3:"), r.out());
        assertTrue(r.out().contains("stacks[1].options"), r.out());
        assertTrue(r.out().contains("SO_SNDBUF"), "did-you-mean expected: " + r.out());
    }
}
