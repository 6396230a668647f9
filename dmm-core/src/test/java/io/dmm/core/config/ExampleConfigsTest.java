package io.dmm.core.config;

import static io.dmm.core.policy.Keys.full;
import static io.dmm.core.policy.Keys.tcpClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.Role;
import io.dmm.core.policy.Policy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The example policies under the project's config/ directory must stay valid. */
class ExampleConfigsTest {
    /** Tests run in dmm-core/; the examples live at the project root. */
    static final Path CONFIG = Path.of("..", "config");

    static List<Path> exampleFiles() throws IOException {
        try (Stream<Path> files = Files.walk(CONFIG)) {
            // rd_config.json is not loadable on its own: module_config.json brings it in.
            return files.filter(f -> f.toString().endsWith(".json"))
                    .filter(f -> !f.getFileName().toString().equals("rd_config.json"))
                    .sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyExampleLoads() throws IOException {
        List<Path> files = exampleFiles();
        assertTrue(files.size() >= 3, "expected the example files, found " + files);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.toString(), () -> {
            Policy p = PolicyLoader.load(f);
            assertFalse(p.stacks().isEmpty());
        }));
    }

    @Test
    void exampleJsonRoutesAsDocumented() {
        Policy p = PolicyLoader.load(CONFIG.resolve("example.json"));
        assertEquals(List.of("kernel", "bulk", "fast"), p.stacks().stream().map(s -> s.name()).toList());
        assertEquals("bulk", p.route(tcpClient("127.0.0.1", 9000)).stacks().get(0));
        assertEquals(List.of("fast", "kernel"),
                p.route(full(Role.CLIENT, "10.0.0.1", 80, null, "low-latency", null, null, null)).stacks());
        assertEquals(2, p.route(tcpClient("2001:db8::1", 443)).index());
        assertTrue(p.route(tcpClient("10.0.0.1", 80)).isDefault());
    }

    @Test
    void dmmOverlayCombinesBoth() {
        Policy p = PolicyLoader.load(CONFIG.resolve("dmm-overlay.json"));
        assertEquals(List.of("kernel", "bulk"), p.stacks().stream().map(s -> s.name()).toList());
        assertEquals(0, p.route(full(Role.CLIENT, "192.168.1.5", 80, null, null, "bulk", null, null)).index());
        assertEquals("{dst=192.168.1.0/24} -> kernel", p.route(tcpClient("192.168.1.5", 80)).description());
    }
}
