package io.dmm.agent.it;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * Without the agent: {@code -Djava.nio.channels.spi.SelectorProvider=io.dmm.core.DmmSelectorProvider}
 * and the DMM jar on the class path. The kernel stack then needs {@code --add-exports}.
 */
class PropertyOnlyIT {
    private static final String PROVIDER = "-Djava.nio.channels.spi.SelectorProvider=io.dmm.core.DmmSelectorProvider";
    private static final String ASYNC_PROVIDER =
            "-Djava.nio.channels.spi.AsynchronousChannelProvider=io.dmm.core.DmmAsynchronousChannelProvider";
    private static final String CLASS_PATH = ChildJvm.AGENT_JAR + File.pathSeparator + ChildJvm.TEST_CLASSES;

    @Test
    void withAddExportsTheProgramGetsRoutedChannels() throws Exception {
        ChildJvm.Result r = ChildJvm.java(PROVIDER, "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
                "-Ddmm.config=" + ChildJvm.POLICY, "-cp", CLASS_PATH, ProbeApp.class.getName()).assertOk();
        AgentIT.assertRoutedAsProbePolicySays(r, false);
    }

    @Test
    void theAsynchronousProviderPropertyRoutesAsynchronousChannels() throws Exception {
        ChildJvm.Result r = ChildJvm.java(PROVIDER, ASYNC_PROVIDER, "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
                "-Ddmm.config=" + ChildJvm.POLICY, "-cp", CLASS_PATH, AsyncProbe.class.getName()).assertOk();
        AgentIT.assertAsyncRoutedAsProbePolicySays(r);
    }

    @Test
    void withoutAddExportsTheFirstAsynchronousGroupFailsNamingTheFlag() throws Exception {
        ChildJvm.Result r = ChildJvm.java(ASYNC_PROVIDER, "-Ddmm.config=" + ChildJvm.POLICY, "-cp", CLASS_PATH,
                AsyncProbe.class.getName());
        assertNotEquals(0, r.exit(), r.describe());
        assertTrue(r.err().contains("DMM is the system AsynchronousChannelProvider"), r.describe());
        assertTrue(r.err().contains("Add --add-exports java.base/sun.nio.ch=ALL-UNNAMED"), r.describe());
        assertFalse(r.out().contains("async.echo="), r.describe());
    }

    @Test
    void theSeparateModuleJarsWorkToo() throws Exception {
        String moduleJars = Files.readString(ChildJvm.MODULE.resolve("target/classpath.txt")).strip();
        assertTrue(moduleJars.contains("dmm-core"), moduleJars);
        assertTrue(moduleJars.contains("jackson-core"), moduleJars);
        ChildJvm.Result r = ChildJvm.java(PROVIDER, "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
                "-Ddmm.config=" + ChildJvm.POLICY, "-cp", moduleJars + File.pathSeparator + ChildJvm.TEST_CLASSES,
                ProbeApp.class.getName()).assertOk();
        AgentIT.assertRoutedAsProbePolicySays(r, false);
    }

    @Test
    void withoutAddExportsTheFirstKernelSocketFailsNamingTheFlag() throws Exception {
        ChildJvm.Result r = ChildJvm.java(PROVIDER, "-Ddmm.config=" + ChildJvm.POLICY, "-cp", CLASS_PATH,
                ProbeApp.class.getName());
        assertNotEquals(0, r.exit(), r.describe());
        assertTrue(r.err().contains("Add --add-exports java.base/sun.nio.ch=ALL-UNNAMED"), r.describe());
        assertFalse(r.out().contains("tcp.echo="), r.describe());
    }
}
