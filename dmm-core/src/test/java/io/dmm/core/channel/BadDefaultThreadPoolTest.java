package io.dmm.core.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.core.DmmAsynchronousChannelProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With a bad {@code java.nio.channels.DefaultThreadPool.*} property the JDK's first open of an
 * asynchronous channel in the default group fails (the group is made then), and so does every
 * later one: DMM's asynchronous provider must fail the same opens with the same errors.
 */
class BadDefaultThreadPoolTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"java.nio.channels.DefaultThreadPool.threadFactory=Missing",
            "java.nio.channels.DefaultThreadPool.initialSize=NaN"})
    void opensInTheDefaultGroupFailAsTheJdks(String property) throws Exception {
        String jdk = ChildJvm.run(dir, List.of("-D" + property), BadDefaultThreadPoolScenario.class);
        Path policy = Files.writeString(dir.resolve("policy.json"),
                "{\"stacks\": [{\"name\": \"kernel\", \"type\": \"kernel\"}], \"default\": \"kernel\"}");
        String dmm = ChildJvm.run(dir, List.of("-D" + property, "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
                "-Djava.nio.channels.spi.AsynchronousChannelProvider=" + DmmAsynchronousChannelProvider.class.getName(),
                "-Ddmm.config=" + policy), BadDefaultThreadPoolScenario.class);
        assertTrue(dmm.contains("R async provider " + DmmAsynchronousChannelProvider.class.getName()), dmm);
        assertTrue(jdk.contains("T first socket ! java.lang.Error: "),
                "the reference run fails its first open: " + jdk);
        assertEquals(ChildJvm.transcript(jdk), ChildJvm.transcript(dmm), "DMM run:\n" + dmm);
    }
}
