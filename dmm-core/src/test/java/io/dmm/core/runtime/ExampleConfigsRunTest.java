package io.dmm.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.core.config.PolicyLoader;
import io.dmm.core.policy.Policy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example policy under config/ not only parses but starts: its stack instances are built by
 * the real providers (so a mistyped kernel option in an example fails here), then closed.
 */
class ExampleConfigsRunTest {
    @TestFactory
    Stream<DynamicTest> everyExampleStartsItsStacks() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("..", "config"))) {
            return files.filter(f -> f.toString().endsWith(".json"))
                    .filter(f -> !f.getFileName().toString().equals("rd_config.json"))
                    .sorted().toList().stream()
                    .map(f -> DynamicTest.dynamicTest(f.toString(), () -> {
                        Policy policy = PolicyLoader.load(f);
                        try (DmmRuntime runtime = new DmmRuntime(policy)) {
                            assertEquals(policy.stacks().size(), runtime.stats().stacks().size());
                        }
                    }));
        }
    }
}
