package io.dmm.agent.compat;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.agent.it.ChildJvm;
import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one compatibility app in a child JVM under the agent with compat-policy.json and Netty on the
 * class path, and hands back its facts.
 */
record CompatRun(ChildJvm.Result result, long millis) {
    static final String POLICY = ChildJvm.TEST_CLASSES.resolve("compat-policy.json").toString();

    static CompatRun app(Class<?> app, String... jvmOptionsThenArgs) throws Exception {
        return run(List.of(), app, List.of(jvmOptionsThenArgs));
    }

    static CompatRun run(List<String> jvmOptions, Class<?> app, List<String> args) throws Exception {
        return run(POLICY, jvmOptions, app, args);
    }

    /** As {@link #run(List, Class, List)} under the policy file {@code policy}. */
    static CompatRun run(String policy, List<String> jvmOptions, Class<?> app, List<String> args) throws Exception {
        String frameworks = Files.readString(ChildJvm.MODULE.resolve("target/compat-classpath.txt")).strip();
        List<String> cmd = new ArrayList<>();
        cmd.add("-javaagent:" + ChildJvm.AGENT_JAR + "=config=" + policy);
        cmd.add("-Dio.netty.transport.noNative=true");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(ChildJvm.TEST_CLASSES + File.pathSeparator + frameworks);
        cmd.add(app.getName());
        cmd.addAll(args);
        long start = System.nanoTime();
        ChildJvm.Result r = ChildJvm.java(cmd.toArray(String[]::new));
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println(app.getSimpleName() + " ran in " + millis + " ms\n" + r.describe());
        r.assertOk();
        assertEquals("io.dmm.core.DmmSelectorProvider", r.facts().get("provider"), r.describe());
        return new CompatRun(r, millis);
    }

    Map<String, String> facts() {
        Map<String, String> f = result.facts();
        f.put("duration.ms", Long.toString(millis));
        return f;
    }

    String describe() {
        return result.describe();
    }

    long num(String key) {
        String v = result.facts().get(key);
        assertNotNull(v, () -> "no fact " + key + "\n" + describe());
        return Long.parseLong(v);
    }
}
