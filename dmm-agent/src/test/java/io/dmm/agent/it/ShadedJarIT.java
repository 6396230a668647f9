package io.dmm.agent.it;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** What is inside dmm-agent.jar: DMM, its dependencies relocated, its services, the agent manifest. */
class ShadedJarIT {
    @Test
    void thirdPartyClassesAreRelocatedAndServicesKept() throws Exception {
        try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
            List<String> names = jar.stream().map(ZipEntry::getName).toList();
            List<String> unrelocated = names.stream()
                    .filter(n -> n.startsWith("com/") || n.startsWith("org/") || n.contains("/com/fasterxml/"))
                    .toList();
            assertEquals(List.of(), unrelocated);
            assertTrue(names.contains("io/dmm/shaded/jackson/core/JsonFactory.class"));
            assertTrue(names.contains("io/dmm/shaded/slf4j/LoggerFactory.class"));
            assertTrue(names.contains("io/dmm/core/DmmSelectorProvider.class"));
            assertTrue(names.contains("io/dmm/jdk/platform/PlatformChannels.class"));
            // both stack types the agent ships: the kernel and the userspace stack
            assertEquals(List.of("io.dmm.stack.kernel.KernelStackProvider", "io.dmm.stack.userspace.UserspaceStackProvider"),
                    service(jar, "io.dmm.api.spi.StackProvider").lines().map(String::strip).sorted().toList());
            assertEquals("io.dmm.core.runtime.GlobalRuntimeBinding", service(jar, "io.dmm.api.spi.DmmRuntimeBinding"));
            // DMM's own binding to the JDK's logging, the only one: slf4j-jdk14 would need java.logging
            assertEquals("io.dmm.agent.logging.SystemLoggingProvider",
                    service(jar, "io.dmm.shaded.slf4j.spi.SLF4JServiceProvider"));
            assertEquals("io.dmm.management.ManagementModule", service(jar, "io.dmm.core.runtime.ManagementPlugin"));
            Manifest m = jar.getManifest();
            assertEquals("io.dmm.agent.DmmAgent", m.getMainAttributes().getValue("Premain-Class"));
            assertEquals("io.dmm.agent.DmmAgent", m.getMainAttributes().getValue("Agent-Class"));
        }
    }

    private static String service(JarFile jar, String name) throws Exception {
        ZipEntry e = jar.getEntry("META-INF/services/" + name);
        assertNotNull(e, name);
        return new String(jar.getInputStream(e).readAllBytes()).strip();
    }
}
