package io.dmm.agent.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./dmm run [--config FILE] -- <java arguments>}, the launcher at the repository root, end to end. */
class LauncherRunIT {
    private static final Path LAUNCHER = ChildJvm.MODULE.getParent().resolve("dmm");

    @TempDir
    Path tmp;

    private static ChildJvm.Result dmm(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ChildJvm.MODULE.toFile());
        // the JDK this test runs on, so the launcher does not have to look for one
        pb.environment().put("DMM_JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("DMM_CONFIG");
        return ChildJvm.run(pb);
    }

    @Test
    void runsAProgramUnderTheAgentWithThePolicy() throws Exception {
        ChildJvm.Result r = dmm("run", "--config", ChildJvm.POLICY.toString(), "--",
                "-cp", ChildJvm.TEST_CLASSES.toString(), ProbeApp.class.getName()).assertOk();
        AgentIT.assertRoutedAsProbePolicySays(r, true);
    }

    @Test
    void aRelativeConfigPathIsResolvedWhereTheLauncherWasStarted() throws Exception {
        ChildJvm.Result r = dmm("run", "--config=target/test-classes/probe-policy.json", "--",
                "-cp", ChildJvm.TEST_CLASSES.toString(), ProbeApp.class.getName()).assertOk();
        assertEquals("servers", r.facts().get("tcp.server.stacks"), r.describe());
    }

    @Test
    void aBadPolicyStopsTheProgramBeforeMain() throws Exception {
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"stacks\": [], \"default\": \"nowhere\"}");
        ChildJvm.Result r = dmm("run", "--config", bad.toString(), "--",
                "-cp", ChildJvm.TEST_CLASSES.toString(), ProbeApp.class.getName());
        assertEquals(2, r.exit(), r.describe());
        assertTrue(r.err().contains("dmm-agent: " + bad), r.describe());
        assertFalse(r.out().contains("main=ran"), r.describe());
    }

    @Test
    void usageErrorsAreExplained() throws Exception {
        ChildJvm.Result nothing = dmm("run", "--config", ChildJvm.POLICY.toString());
        assertNotEquals(0, nothing.exit());
        assertTrue(nothing.err().contains("give the java arguments after --"), nothing.describe());
        ChildJvm.Result missing = dmm("run", "--config", tmp.resolve("none.json").toString(), "--", "-version");
        assertNotEquals(0, missing.exit());
        assertTrue(missing.err().contains("policy file not found"), missing.describe());
    }
}
