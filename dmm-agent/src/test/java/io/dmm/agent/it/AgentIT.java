package io.dmm.agent.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -javaagent:dmm-agent.jar=config=...}: a plain JDK program gets routed channels. */
class AgentIT {
    @TempDir
    Path tmp;

    @Test
    void theProgramsOwnNioCallsGiveRoutedChannelsRoutedAsThePolicySays() throws Exception {
        ChildJvm.Result r = ChildJvm.java("-javaagent:" + ChildJvm.AGENT_JAR + "=config=" + ChildJvm.POLICY,
                "-cp", ChildJvm.TEST_CLASSES.toString(), ProbeApp.class.getName()).assertOk();
        assertRoutedAsProbePolicySays(r, true);
        assertEquals("true", r.facts().get("javaNetOpen"), r.describe());
    }

    @Test
    void asynchronousChannelsAreRoutedAsThePolicySays() throws Exception {
        ChildJvm.Result r = ChildJvm.java("-javaagent:" + ChildJvm.AGENT_JAR + "=config=" + ChildJvm.POLICY,
                "-cp", ChildJvm.TEST_CLASSES.toString(), AsyncProbe.class.getName()).assertOk();
        assertAsyncRoutedAsProbePolicySays(r);
    }

    static void assertAsyncRoutedAsProbePolicySays(ChildJvm.Result r) {
        Map<String, String> f = r.facts();
        String why = r.describe();
        assertEquals("io.dmm.core.DmmAsynchronousChannelProvider", f.get("async.provider"), why);
        assertEquals("RoutedAsynchronousServerSocketChannel,RoutedAsynchronousSocketChannel", f.get("async.classes"), why);
        assertEquals("async", f.get("async.echo"), why);
        assertEquals("servers", f.get("async.server.stacks"), why);
        assertEquals("servers", f.get("async.accepted.stacks"), why);
        assertEquals("kernel", f.get("async.client.stacks"), why);
        // server: listener + accepted, 5 bytes each way; client: one connect, 5 bytes each way
        assertTrue(f.get("stats").matches(".*\\|servers +kernel +UP +1 +2 +0 +0 +0 +5 +5\\|.*"), why);
        assertTrue(f.get("stats").matches(".*\\|kernel +kernel +UP +1 +1 +0 +1 +0 +5 +5\\|.*"), why);
    }

    @Test
    void anotherAsynchronousProviderOnTheCommandLineIsRefused() throws Exception {
        ChildJvm.Result r = ChildJvm.java("-Djava.nio.channels.spi.AsynchronousChannelProvider=sun.nio.ch.LinuxAsynchronousChannelProvider",
                "-javaagent:" + ChildJvm.AGENT_JAR, "-cp", ChildJvm.TEST_CLASSES.toString(), AsyncProbe.class.getName());
        assertEquals(2, r.exit(), r.describe());
        assertTrue(r.err().contains("java.nio.channels.spi.AsynchronousChannelProvider"), r.describe());
    }

    /**
     * @param javaNetRouted whether java.net sockets go through DMM too: under the agent they do (it
     *                      installs the SocketImpl factories); with only the system property they
     *                      are the JDK's, and only the NIO channels are counted
     */
    static void assertRoutedAsProbePolicySays(ChildJvm.Result r, boolean javaNetRouted) {
        Map<String, String> f = r.facts();
        String why = r.describe();
        assertEquals("io.dmm.core.DmmSelectorProvider", f.get("provider"), why);
        assertEquals("RoutedSocketChannel,RoutedSocketChannel,RoutedSocketChannel", f.get("open.socket"), why);
        assertEquals("RoutedServerSocketChannel,RoutedServerSocketChannel", f.get("open.server"), why);
        assertEquals("RoutedDatagramChannel,RoutedDatagramChannel", f.get("open.datagram"), why);
        assertEquals("true", f.get("open.sameProvider"), why);
        assertEquals("ping", f.get("tcp.echo"), why);
        assertEquals("servers", f.get("tcp.server.stacks"), why);
        assertEquals("kernel", f.get("tcp.client.stacks"), why);
        assertEquals("DmmSelector", f.get("selector.class"), why);
        assertEquals("true", f.get("selector.sameProvider"), why);
        assertEquals("hello", f.get("selector.echo"), why);
        assertEquals("net", f.get("net.echo"), why);
        assertEquals("java.net.Socket true", f.get("net.impl"), why);
        assertEquals("dgram", f.get("net.udp"), why);
        assertEquals("udp", f.get("udp.echo"), why);
        assertEquals("udp", f.get("udp.sender.stacks"), why);
        assertEquals("1 sun.nio.ch", f.get("pipe"), why);
        assertEquals("2 sun.nio.ch sun.nio.ch", f.get("unix"), why);
        // per-stack counters: the echo's 4 bytes each way on the server's stack
        if (javaNetRouted) {
            // three servers (blocking, selector-driven, java.net) and their accepted channels; three clients
            assertTrue(f.get("stats").matches(".*\\|servers +kernel +UP +3 +6 +0 +0 +0 +12 +12\\|.*"), why);
            assertTrue(f.get("stats").matches(".*\\|kernel +kernel +UP +3 +3 +0 +3 +0 +12 +12\\|.*"), why);
            assertTrue(f.get("stats").matches(".*\\|udp +kernel +UP +4 +4 +0 +0 +0 +8 +8\\|.*"), why);
        } else {
            assertTrue(f.get("stats").matches(".*\\|servers +kernel +UP +2 +4 +0 +0 +0 +9 +9\\|.*"), why);
            assertTrue(f.get("stats").matches(".*\\|kernel +kernel +UP +2 +2 +0 +2 +0 +9 +9\\|.*"), why);
            assertTrue(f.get("stats").matches(".*\\|udp +kernel +UP +2 +2 +0 +0 +0 +3 +3\\|.*"), why);
        }
    }

    @Test
    void appOptionSetsDmmApp() throws Exception {
        Path policy = tmp.resolve("app.json");
        Files.writeString(policy, """
                {"stacks": [{"name": "kernel", "type": "kernel"}, {"name": "mine", "type": "kernel"}],
                 "default": "kernel",
                 "rules": [{"app": "probe", "stack": "mine"}]}
                """);
        ChildJvm.Result r = ChildJvm.java("-javaagent:" + ChildJvm.AGENT_JAR + "=config=" + policy + ",app=probe",
                "-cp", ChildJvm.TEST_CLASSES.toString(), ProbeApp.class.getName()).assertOk();
        assertEquals("mine", r.facts().get("tcp.client.stacks"), r.describe());
    }

    @Test
    void aBadPolicyStopsTheJvmBeforeMainWithTheLocatedError() throws Exception {
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, """
                {"stacks": [{"name": "k", "type": "kernal"}],
                 "default": "k"}
                """);
        ChildJvm.Result r = ChildJvm.java("-javaagent:" + ChildJvm.AGENT_JAR + "=config=" + bad,
                "-cp", ChildJvm.TEST_CLASSES.toString(), ProbeApp.class.getName());
        assertEquals(2, r.exit(), r.describe());
        assertFalse(r.out().contains("main=ran"), r.describe());
        assertTrue(r.err().contains("dmm-agent: " + bad + ":1:"), r.describe());
        assertTrue(r.err().contains("unknown stack type \"kernal\""), r.describe());
    }

    @Test
    void aMissingPolicyFileOrUnknownOptionStopsTheJvm() throws Exception {
        ChildJvm.Result missing = ChildJvm.java("-javaagent:" + ChildJvm.AGENT_JAR + "=config=" + tmp.resolve("none.json"),
                "-cp", ChildJvm.TEST_CLASSES.toString(), ProbeApp.class.getName());
        assertEquals(2, missing.exit(), missing.describe());
        assertTrue(missing.err().contains("policy file not found"), missing.describe());
        assertFalse(missing.out().contains("main=ran"), missing.describe());

        ChildJvm.Result unknown = ChildJvm.java("-javaagent:" + ChildJvm.AGENT_JAR + "=confg=x.json",
                "-cp", ChildJvm.TEST_CLASSES.toString(), ProbeApp.class.getName());
        assertEquals(2, unknown.exit(), unknown.describe());
        assertTrue(unknown.err().contains("unknown agent option 'confg'"), unknown.describe());
    }

    @Test
    void aProviderChosenBeforeTheAgentRanIsDetected() throws Exception {
        Path early = tmp.resolve("early.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", EarlyAgent.class.getName());
        String entry = EarlyAgent.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(early), manifest)) {
            jar.putNextEntry(new JarEntry(entry));
            jar.write(Files.readAllBytes(ChildJvm.TEST_CLASSES.resolve(entry)));
        }
        ChildJvm.Result r = ChildJvm.java("-javaagent:" + early, "-javaagent:" + ChildJvm.AGENT_JAR,
                "-cp", ChildJvm.TEST_CLASSES.toString(), ProbeApp.class.getName());
        assertEquals(2, r.exit(), r.describe());
        assertTrue(r.out().contains("early=sun.nio.ch."), r.describe());
        assertTrue(r.err().contains("the JVM's SelectorProvider was chosen before the DMM agent ran"), r.describe());
        assertFalse(r.out().contains("main=ran"), r.describe());
    }

    @Test
    void anotherProviderOnTheCommandLineIsRefused() throws Exception {
        ChildJvm.Result r = ChildJvm.java("-Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.EPollSelectorProvider",
                "-javaagent:" + ChildJvm.AGENT_JAR, "-cp", ChildJvm.TEST_CLASSES.toString(), ProbeApp.class.getName());
        assertEquals(2, r.exit(), r.describe());
        assertTrue(r.err().contains("sun.nio.ch.EPollSelectorProvider is set"), r.describe());
    }
}
