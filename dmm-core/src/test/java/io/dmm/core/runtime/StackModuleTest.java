package io.dmm.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.DmmConfigException;
import io.dmm.api.RouteExplanation;
import io.dmm.api.RouteHints;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stack module jar dropped into the policy's {@code stackModules} directory while the runtime
 * runs brings a new stack type: the next policy change that names the type loads it. The module is
 * compiled by the test, so its class is on no class path DMM started with.
 */
class StackModuleTest {
    private static final String PROVIDER = """
            package demo.relay;

            import io.dmm.api.Protocol;
            import io.dmm.api.spi.StackHealth;
            import io.dmm.api.spi.StackInstance;
            import io.dmm.api.spi.StackProvider;
            import io.dmm.api.spi.StackSettings;
            import java.io.IOException;
            import java.net.InetAddress;
            import java.net.ProtocolFamily;
            import java.nio.channels.DatagramChannel;
            import java.nio.channels.ServerSocketChannel;
            import java.nio.channels.SocketChannel;
            import java.util.Map;

            /** A stack type of its own that carries sockets on the kernel (what a module might wrap). */
            public final class RelayStackProvider implements StackProvider {
                public String type() { return "relay"; }

                public StackInstance create(StackSettings settings) {
                    StackInstance kernel = new io.dmm.stack.kernel.KernelStackProvider().create(settings);
                    return new StackInstance() {
                        public String name() { return kernel.name(); }
                        public String type() { return "relay"; }
                        public boolean supports(Protocol p, ProtocolFamily f) { return kernel.supports(p, f); }
                        public StackHealth health() { return kernel.health(); }
                        public SocketChannel openSocketChannel(ProtocolFamily f) throws IOException {
                            return kernel.openSocketChannel(f);
                        }
                        public ServerSocketChannel openServerSocketChannel(ProtocolFamily f) throws IOException {
                            return kernel.openServerSocketChannel(f);
                        }
                        public DatagramChannel openDatagramChannel(ProtocolFamily f) throws IOException {
                            return kernel.openDatagramChannel(f);
                        }
                        public InetAddress sourceAddress() { return kernel.sourceAddress(); }
                        public Map<String, Long> counters() { return Map.of("relayed", 1L); }
                        public void close() { kernel.close(); }
                    };
                }
            }
            """;

    @Test
    void aJarDroppedIntoTheModuleDirectoryAddsAStackType(@TempDir Path dir) throws Exception {
        Path modules = Files.createDirectory(dir.resolve("stack-modules"));
        Path file = dir.resolve("policy.json");
        Files.writeString(file, """
                {"management": {"watch": false, "stackModules": "stack-modules"},
                 "stacks": [{"name": "k", "type": "kernel"}]}
                """);
        try (DmmRuntime rt = DmmRuntime.fromFile(file, null);
             ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String relay = "{\"name\": \"r1\", \"type\": \"relay\"}";
            DmmConfigException unknown = assertThrows(DmmConfigException.class, () -> rt.control().addStack(relay));
            assertTrue(unknown.getMessage().contains("unknown stack type \"relay\"")
                    && unknown.getMessage().contains("stack-modules"), unknown.getMessage());

            buildModule(dir.resolve("build"), modules.resolve("relay-stack.jar"));
            assertEquals(2, rt.control().addStack(relay).version());
            assertEquals("relay", rt.stats().stack("r1").orElseThrow().type());
            try (SocketChannel ch = rt.openSocketChannel(null, RouteHints.stack("r1"))) {
                ch.connect(server.getLocalAddress());
                RouteExplanation e = Router.explainChannel(ch).orElseThrow();
                assertEquals(List.of("r1"), e.stacks());
            }
            assertEquals(1L, rt.stats().stack("r1").orElseThrow().stackCounters().get("relayed"));
        }
    }

    /**
     * Holding the runtime API (the HTTP token, read-write JMX) must not amount to running code: a
     * pushed policy that points {@code stackModules} at a directory of jars is refused where its
     * management section starts, nothing of it is applied, and the jar's type stays unknown. The
     * local policy file, reloaded, may.
     */
    @Test
    void aPushedPolicyCannotLoadStackModules(@TempDir Path dir) throws Exception {
        Path modules = Files.createDirectory(dir.resolve("stack-modules"));
        buildModule(dir.resolve("build"), modules.resolve("relay-stack.jar"));
        Path file = dir.resolve("policy.json");
        Files.writeString(file, """
                {"management": {"watch": false},
                 "stacks": [{"name": "k", "type": "kernel"}]}
                """);
        String pushed = """
                {"stacks": [{"name": "k", "type": "kernel"}, {"name": "r1", "type": "relay"}],
                 "management": {"watch": false, "stackModules": "%s"}}
                """.formatted(modules);
        try (DmmRuntime rt = DmmRuntime.fromFile(file, null)) {
            DmmConfigException refused = assertThrows(DmmConfigException.class,
                    () -> rt.control().apply(pushed, "push.json"));
            assertTrue(refused.getMessage().startsWith("push.json:2:16: management: a pushed policy cannot change"
                    + " the management settings (here stackModules)"), refused.getMessage());
            assertEquals(1, rt.status().version(), "nothing applied");
            assertTrue(rt.stats().stack("r1").isEmpty());
            DmmConfigException unknown = assertThrows(DmmConfigException.class,
                    () -> rt.control().addStack("{\"name\": \"r1\", \"type\": \"relay\"}"));
            assertTrue(unknown.getMessage().contains("unknown stack type \"relay\""), unknown.getMessage());

            Files.writeString(file, pushed); // the same text as the local file: allowed
            assertEquals(2, rt.control().reload().version());
            assertEquals("relay", rt.stats().stack("r1").orElseThrow().type());
        }
    }

    /** Compiles the provider against the test's class path and jars it with its service entry. */
    private static void buildModule(Path build, Path jar) throws IOException {
        Path src = build.resolve("src/demo/relay/RelayStackProvider.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, PROVIDER);
        Path classes = Files.createDirectories(build.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                src.toString());
        assertEquals(0, rc, "javac of the test module");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            try (var files = Files.walk(classes)) {
                for (Path p : files.filter(Files::isRegularFile).toList()) {
                    j.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                    j.write(Files.readAllBytes(p));
                    j.closeEntry();
                }
            }
            j.putNextEntry(new JarEntry("META-INF/services/io.dmm.api.spi.StackProvider"));
            j.write("demo.relay.RelayStackProvider\n".getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
    }
}
