package io.dmm.management.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dmm.core.policy.ManagementSettings;
import io.dmm.core.runtime.DmmRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The system properties by which {@code dmm ps} recognises a DMM JVM follow the runtime. */
class DiscoveryPropertiesTest {
    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty(DiscoveryProperties.RUNTIME);
        System.clearProperty(DiscoveryProperties.POLICY_VERSION);
        System.clearProperty(DiscoveryProperties.JMX);
    }

    @Test
    void publishedWhileRunningUpdatedOnChangesClearedOnClose() throws Exception {
        Path file = Files.writeString(dir.resolve("p.json"), DmmMBeansTest.POLICY);
        try (DmmRuntime runtime = DmmRuntime.fromFile(file, null)) {
            MBeanSlot slot = MBeanSlot.inServer(runtime, runtime.control(), MBeanServerFactory.newMBeanServer(), true);
            try {
                slot.prepare(new ManagementSettings(false, 1000, null, true, null, null)).run();
                assertEquals(file.toString(), System.getProperty(DiscoveryProperties.RUNTIME));
                assertEquals("1", System.getProperty(DiscoveryProperties.POLICY_VERSION));
                assertEquals("true", System.getProperty(DiscoveryProperties.JMX));
                runtime.control().addRule(-1, "{\"port\": 9, \"stack\": \"a\"}");
                assertEquals("2", System.getProperty(DiscoveryProperties.POLICY_VERSION));
                assertEquals(file + " (edited at runtime)", System.getProperty(DiscoveryProperties.RUNTIME));
                slot.prepare(new ManagementSettings(false, 1000, null, false, null, null)).run();
                assertEquals("false", System.getProperty(DiscoveryProperties.JMX));
            } finally {
                slot.close();
            }
            assertNull(System.getProperty(DiscoveryProperties.RUNTIME));
            assertNull(System.getProperty(DiscoveryProperties.POLICY_VERSION));
        }
    }
}
