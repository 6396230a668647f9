package io.dmm.management.remote;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.management.http.HttpEndpoint;
import io.dmm.management.http.ListeningSockets;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.core.testsupport.TestStacks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.Attribute;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote JMX connector of a runtime whose policy enables it on 127.0.0.1, port 0, with a
 * password file and an access file: logins, what each user may do, where it listens, and how
 * policy changes keep, move or close it.
 */
class RemoteJmxTest {
    private static final ObjectName RUNTIME = name("java.lang:type=Runtime");
    private static final ObjectName MEMORY = name("java.lang:type=Memory");

    @TempDir
    Path dir;
    private Path policyFile;
    private DmmRuntime rt;

    @BeforeEach
    void start() throws IOException {
        secret("jmx.password", "monitor pw-monitor\ncontrol pw-control\nnobody pw-nobody\n");
        Files.writeString(dir.resolve("jmx.access"), "monitor readonly\ncontrol readwrite\n");
        policyFile = dir.resolve("policy.json");
        Files.writeString(policyFile, policy(0, "jmx.password"));
        rt = DmmRuntime.fromFile(policyFile, TestStacks.providers());
    }

    @AfterEach
    void stop() {
        if (rt != null) {
            rt.close();
        }
    }

    private static ObjectName name(String n) {
        try {
            return new ObjectName(n);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Path secret(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    private static String policy(int port, String passwordFile) {
        return """
                {
                  "stacks": [{"name": "k1", "type": "kernel"}],
                  "management": {"watch": false,
                    "jmxRemote": {"address": "127.0.0.1", "port": %d, "passwordFile": "%s",
                                  "accessFile": "jmx.access"}}
                }
                """.formatted(port, passwordFile);
    }

    private RemoteJmxSlot slot() {
        return rt.management().slot(RemoteJmxSlot.class);
    }

    private JMXConnector connect(String user, String password) throws IOException {
        Map<String, Object> env = new HashMap<>();
        if (user != null) {
            env.put(JMXConnector.CREDENTIALS, new String[] {user, password});
        }
        return JMXConnectorFactory.connect(new JMXServiceURL(slot().serviceUrl()), env);
    }

    @Test
    void theRightPasswordGivesThePlatformMBeansOfThisJvm() throws Exception {
        InetSocketAddress a = slot().boundAddress();
        assertEquals("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + a.getPort() + "/jmxrmi", slot().serviceUrl());
        try (JMXConnector c = connect("monitor", "pw-monitor")) {
            MBeanServerConnection mbs = c.getMBeanServerConnection();
            assertEquals(ProcessHandle.current().pid(), mbs.getAttribute(RUNTIME, "Pid"));
            assertTrue(mbs.getMBeanCount() > 0);
        }
    }

    @Test
    void wrongOrMissingCredentialsAreRefused() {
        assertThrows(SecurityException.class, () -> connect("monitor", "wrong").close());
        assertThrows(SecurityException.class, () -> connect("stranger", "pw-monitor").close());
        assertThrows(SecurityException.class, () -> connect(null, null).close());
    }

    @Test
    void theAccessFileDecidesWhoMayWrite() throws Exception {
        try (JMXConnector ro = connect("monitor", "pw-monitor");
             JMXConnector rw = connect("control", "pw-control")) {
            Object verbose = ro.getMBeanServerConnection().getAttribute(MEMORY, "Verbose");
            assertThrows(SecurityException.class, () -> ro.getMBeanServerConnection()
                    .setAttribute(MEMORY, new Attribute("Verbose", verbose)));
            rw.getMBeanServerConnection().setAttribute(MEMORY, new Attribute("Verbose", verbose));
        }
        try (JMXConnector none = connect("nobody", "pw-nobody")) {
            // in the password file, not in the access file: may log in, may do nothing
            assertThrows(SecurityException.class, () -> none.getMBeanServerConnection().getAttribute(RUNTIME, "Pid"));
        }
    }

    @Test
    void registryAndConnectorShareOneLoopbackPort() {
        InetSocketAddress a = slot().boundAddress();
        assertTrue(a.getAddress().isLoopbackAddress());
        Set<InetSocketAddress> onPort = ListeningSockets.ofThisProcess().stream().filter(s -> s.getPort() == a.getPort())
                .collect(Collectors.toSet());
        assertEquals(Set.of(new InetSocketAddress(a.getAddress(), a.getPort())), onPort);
    }

    @Test
    void aReloadWithTheSameSettingsKeepsConnectedClients() throws Exception {
        try (JMXConnector c = connect("monitor", "pw-monitor")) {
            InetSocketAddress before = slot().boundAddress();
            assertEquals(2, rt.control().reload().version());
            assertEquals(before, slot().boundAddress());
            assertEquals(ProcessHandle.current().pid(), c.getMBeanServerConnection().getAttribute(RUNTIME, "Pid"));
        }
    }

    @Test
    void anotherPasswordFileOnTheSameAddressReplacesTheConnector() throws Exception {
        secret("other.password", "monitor new-pw\n");
        InetSocketAddress before = slot().boundAddress();
        Files.writeString(policyFile, policy(before.getPort(), "other.password"));
        rt.control().reload();
        assertEquals(before, slot().boundAddress());
        assertThrows(SecurityException.class, () -> connect("monitor", "pw-monitor").close());
        try (JMXConnector c = connect("monitor", "new-pw")) {
            assertEquals(ProcessHandle.current().pid(), c.getMBeanServerConnection().getAttribute(RUNTIME, "Pid"));
        }
        assertEquals(1, ListeningSockets.ofThisProcess().stream().filter(s -> s.getPort() == before.getPort()).count());
    }

    @Test
    void aReloadWithAnotherPortMovesTheConnector() throws Exception {
        int oldPort = slot().boundAddress().getPort();
        int newPort = freePort();
        Files.writeString(policyFile, policy(newPort, "jmx.password"));
        rt.control().reload();
        assertEquals(newPort, slot().boundAddress().getPort());
        try (JMXConnector c = connect("monitor", "pw-monitor")) {
            assertEquals(ProcessHandle.current().pid(), c.getMBeanServerConnection().getAttribute(RUNTIME, "Pid"));
        }
        Set<Integer> ports = ListeningSockets.ofThisProcess().stream().map(InetSocketAddress::getPort)
                .collect(Collectors.toSet());
        assertFalse(ports.contains(oldPort), "the port-0 registry's socket was closed");
        assertTrue(ports.contains(newPort));
    }

    @Test
    void aPolicyWithoutJmxRemoteClosesIt() throws Exception {
        int port = slot().boundAddress().getPort();
        Files.writeString(policyFile, """
                {"stacks": [{"name": "k1", "type": "kernel"}], "management": {"watch": false}}
                """);
        rt.control().reload();
        assertNull(slot().boundAddress());
        assertNull(slot().serviceUrl());
        assertFalse(ListeningSockets.ofThisProcess().stream().anyMatch(s -> s.getPort() == port));
    }

    @Test
    void aPortInUseRejectsTheWholeChangeAndReleasesWhatOtherSlotsPrepared() throws Exception {
        InetSocketAddress before = slot().boundAddress();
        secret("token", "t0ken");
        int httpPort = freePort();
        try (ServerSocketChannel taken = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = ((InetSocketAddress) taken.getLocalAddress()).getPort();
            Files.writeString(policyFile, """
                    {
                      "stacks": [{"name": "k1", "type": "kernel"}],
                      "management": {"watch": false,
                        "http": {"address": "127.0.0.1", "port": %d, "tokenFile": "token"},
                        "jmxRemote": {"address": "127.0.0.1", "port": %d, "passwordFile": "jmx.password"}}
                    }
                    """.formatted(httpPort, port));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> rt.control().reload());
            assertTrue(e.getMessage().contains("cannot open the remote JMX connector on 127.0.0.1:" + port),
                    e.getMessage());
        }
        assertEquals(1, rt.status().version());
        assertEquals(before, slot().boundAddress());
        assertNull(rt.management().slot(HttpEndpoint.class).boundAddress());
        assertFalse(ListeningSockets.ofThisProcess().stream().anyMatch(s -> s.getPort() == httpPort),
                "the HTTP port bound for the abandoned change was given back");
        try (JMXConnector c = connect("monitor", "pw-monitor")) {
            assertNotNull(c.getConnectionId());
        }
    }

    @Test
    void aPasswordFileOthersCanReadIsRefused() throws Exception {
        Path open = dir.resolve("open.password");
        Files.writeString(open, "monitor pw\n");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        Path p = dir.resolve("open.json");
        Files.writeString(p, policy(0, "open.password"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DmmRuntime.fromFile(p, TestStacks.providers()).close());
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void aPolicyWithoutJmxRemoteOpensNoPort() throws Exception {
        Set<InetSocketAddress> before = ListeningSockets.ofThisProcess();
        Path p = dir.resolve("plain.json");
        Files.writeString(p, """
                {"stacks": [{"name": "k1", "type": "kernel"}], "management": {"watch": false}}
                """);
        try (DmmRuntime plain = DmmRuntime.fromFile(p, TestStacks.providers())) {
            assertNull(plain.management().slot(RemoteJmxSlot.class).boundAddress());
            Set<InetSocketAddress> opened = new java.util.HashSet<>(ListeningSockets.ofThisProcess());
            opened.removeAll(before);
            assertEquals(Set.of(), opened, "listeners this runtime opened");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocketChannel s = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return ((InetSocketAddress) s.getLocalAddress()).getPort();
        }
    }
}
