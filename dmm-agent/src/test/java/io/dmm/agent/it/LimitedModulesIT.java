package io.dmm.agent.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's core needs only java.base and java.instrument: in a JVM started with
 * {@code --limit-modules java.base,java.instrument} the program runs and is routed, its logs go to
 * System.Logger, and the management plane (which needs java.management) is left out with one line
 * saying why; the kernel stack sets standard options, and refuses jdk.net's saying why. A JVM with every module still gets the management plane, logging through
 * java.util.logging with the class that logged named in the record.
 */
class LimitedModulesIT {
    private static final String MANAGEMENT_OFF =
            "DMM management (MBeans, HTTP endpoint, remote JMX) is off: this JVM lacks the module(s) "
                    + "java.management, java.rmi, java.management.rmi";

    @TempDir
    Path tmp;
    private Path policy;

    /** The probe's policy with a standard option (java.base's) on its kernel stack. */
    @BeforeEach
    void policyWithEndpoint() throws Exception {
        Files.writeString(tmp.resolve("token"), "it-token");
        policy = probePolicy("\"SO_SNDBUF\": 65536");
    }

    /** The probe's policy, its stack "kernel" with these options, asking for the HTTP endpoint too. */
    private Path probePolicy(String kernelOptions) throws Exception {
        String probe = Files.readString(ChildJvm.POLICY).strip();
        String kernel = "{\"name\": \"kernel\", \"type\": \"kernel\"}";
        assertTrue(probe.contains(kernel), probe);
        Path file = tmp.resolve("policy-" + kernelOptions.hashCode() + ".json");
        Files.writeString(file, probe.substring(0, probe.length() - 1)
                .replace(kernel, "{\"name\": \"kernel\", \"type\": \"kernel\", \"options\": {" + kernelOptions + "}}")
                + ", \"management\": {\"http\": {\"port\": 0, \"tokenFile\": \"token\"}}}");
        return file;
    }

    @Test
    void withJavaBaseAndJavaInstrumentOnlyTheProgramIsRoutedWithoutManagement() throws Exception {
        ChildJvm.Result r = ChildJvm.java("--limit-modules", "java.base,java.instrument",
                "-javaagent:" + ChildJvm.AGENT_JAR + "=config=" + policy,
                "-cp", ChildJvm.TEST_CLASSES.toString(), ProbeApp.class.getName()).assertOk();
        AgentIT.assertRoutedAsProbePolicySays(r, true);
        assertEquals(1, r.err().split(Pattern.quote(MANAGEMENT_OFF), -1).length - 1, r::describe);
        assertTrue(r.err().contains("the policy's management section asks for the HTTP endpoint on "), r::describe);
        assertFalse(r.err().contains("HTTP endpoint listening"), r::describe);
        assertFalse(r.err().contains("SLF4J"), "one SLF4J binding, found without complaint\n" + r.describe());
    }

    @Test
    void anOptionOfModuleJdkNetIsRefusedWithItsReasonWhenTheJvmLacksIt() throws Exception {
        ChildJvm.Result r = ChildJvm.java("--limit-modules", "java.base,java.instrument",
                "-javaagent:" + ChildJvm.AGENT_JAR + "=config=" + probePolicy("\"TCP_KEEPIDLE\": 30"),
                "-cp", ChildJvm.TEST_CLASSES.toString(), ProbeApp.class.getName());
        assertEquals(2, r.exit(), r::describe);
        assertTrue(r.err().contains("socket option \"TCP_KEEPIDLE\" needs JDK module jdk.net, which this JVM lacks"),
                r::describe);
    }

    @Test
    void withEveryModuleTheManagementPlaneRuns() throws Exception {
        ChildJvm.Result r = ChildJvm.java("-javaagent:" + ChildJvm.AGENT_JAR + "=config=" + policy,
                "-cp", ChildJvm.TEST_CLASSES.toString(), ProbeApp.class.getName()).assertOk();
        AgentIT.assertRoutedAsProbePolicySays(r, true);
        assertTrue(r.err().contains("DMM HTTP endpoint listening on "), r::describe);
        assertTrue(Pattern.compile("io\\.dmm\\.management\\.http\\.HttpEndpoint\\S* \\S+\\R\\w+: DMM HTTP endpoint listening")
                .matcher(r.err()).find(), "java.util.logging names the class that logged\n" + r.describe());
        assertFalse(r.err().contains("is off"), r::describe);
        assertFalse(r.err().contains("SLF4J"), "one SLF4J binding, found without complaint\n" + r.describe());
    }
}
