package io.dmm.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.DmmConfigException;
import io.dmm.api.spi.StackHealth;
import io.dmm.api.spi.StackInstance;
import io.dmm.api.spi.StackProvider;
import io.dmm.api.spi.StackSettings;
import io.dmm.api.spi.testing.MapStackSettings;
import io.dmm.core.testsupport.TestStacks;
import io.dmm.stack.kernel.KernelStackProvider;
import io.dmm.stack.userspace.UserspaceStackProvider;
import io.dmm.stack.userspace.config.UserspaceSettingsReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holding the runtime API (the HTTP token, a read-write JMX login) must not amount to running code:
 * a pushed policy or an {@code addStack} edit that would start the JVM's DPDK EAL with arguments of
 * its own ({@code -d LIB} loads a shared object) is refused before any instance is built; the local
 * policy file, reloaded, may. The userspace type here reads and declares its settings as the real
 * one does, but builds no DPDK device: it records the EAL arguments each instance would start with.
 */
class PushedLocalOnlySettingsTest {
    private static final String KERNEL = "{\"name\": \"k\", \"type\": \"kernel\"}";

    private static String dpdk(String name, String eal) {
        return "{\"name\": \"" + name + "\", \"type\": \"userspace\", \"address\": \"10.9.0.1/24\",\n"
                + "  \"device\": {\"driver\": \"dpdk\", \"link\": \"l0\", \"eal\": " + eal + "}}";
    }

    private static String policy(String... stacks) {
        return "{\"management\": {\"watch\": false},\n \"stacks\": [" + String.join(",\n ", stacks) + "]}";
    }

    private final RecordingUserspace userspace = new RecordingUserspace();

    private DmmRuntime start(Path file, String text) throws Exception {
        Files.writeString(file, text);
        return DmmRuntime.fromFile(file, List.of(new KernelStackProvider(), userspace));
    }

    @Test
    void aPushedPolicyCannotStartTheEalWithItsArguments(@TempDir Path dir) throws Exception {
        try (DmmRuntime rt = start(dir.resolve("policy.json"), policy(KERNEL))) {
            DmmConfigException refused = assertThrows(DmmConfigException.class,
                    () -> rt.control().apply(policy(KERNEL, dpdk("dp0", "[\"-d\", \"/tmp/pmd.so\"]")), "push.json"));
            assertTrue(refused.getMessage().startsWith("push.json:4:53: stacks[1].device.eal: stack \"dp0\":"
                    + " \"device.eal\" can make the JVM load code"), refused.getMessage());
            assertEquals(List.of(), userspace.started, "no instance built");
            assertEquals(1, rt.status().version(), "nothing applied");
            assertTrue(rt.stats().stack("dp0").isEmpty());
        }
    }

    @Test
    void aPushedCopyOfThePolicyFileKeepsItsEal(@TempDir Path dir) throws Exception {
        try (DmmRuntime rt = start(dir.resolve("policy.json"), policy(KERNEL, dpdk("dp0", "[\"--no-huge\"]")))) {
            // the file's entry with another MTU: the instance is rebuilt, with the file's EAL arguments
            String copy = policy(KERNEL, dpdk("dp0", "[\"--no-huge\"], \"mtu\": 1400"));
            assertEquals(2, rt.control().apply(copy, "push.json").version());
            assertEquals(List.of("dp0 [--no-huge]", "dp0 [--no-huge]"), userspace.started);
        }
    }

    @Test
    void addStackCannotSetTheEal(@TempDir Path dir) throws Exception {
        try (DmmRuntime rt = start(dir.resolve("policy.json"), policy(KERNEL))) {
            DmmConfigException refused = assertThrows(DmmConfigException.class,
                    () -> rt.control().addStack(dpdk("dp1", "[\"-d\", \"/tmp/pmd.so\"]")));
            assertTrue(refused.getMessage().startsWith("<runtime API: addStack>:2:53: device.eal: stack \"dp1\":"
                    + " \"device.eal\" can make the JVM load code"), refused.getMessage());
            assertEquals(List.of(), userspace.started, "no instance built");
            assertEquals(1, rt.status().version(), "nothing applied");
        }
    }

    @Test
    void theLocalFileReloadedMayChangeTheEal(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("policy.json");
        try (DmmRuntime rt = start(file, policy(KERNEL, dpdk("dp0", "[\"--no-huge\"]")))) {
            Files.writeString(file, policy(KERNEL, dpdk("dp0", "[\"--no-huge\", \"-d\", \"/usr/lib/pmd.so\"]")));
            assertEquals(2, rt.control().reload().version());
            assertEquals(List.of("dp0 [--no-huge]", "dp0 [--no-huge, -d, /usr/lib/pmd.so]"), userspace.started);
        }
    }

    /**
     * Type "userspace" as the real provider reads and declares it; each instance is a kernel one, so
     * no DPDK is started. Records the name and the EAL arguments of every instance built.
     */
    private static final class RecordingUserspace implements StackProvider {
        final List<String> started = new CopyOnWriteArrayList<>();
        private final StackProvider real = new UserspaceStackProvider();

        @Override
        public String type() {
            return real.type();
        }

        @Override
        public Set<String> localOnlySettings() {
            return real.localOnlySettings();
        }

        @Override
        public StackInstance create(StackSettings settings) {
            started.add(settings.name() + " " + UserspaceSettingsReader.read(settings).device().dpdk().eal());
            StackInstance kernel = new KernelStackProvider().create(MapStackSettings.of(settings.name(), "kernel",
                    Map.of()));
            return new TestStacks.Wrapper(settings.name(), type(), kernel, StackHealth.UP);
        }
    }
}
