package io.dmm.agent.it;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code System.inheritedChannel()} under the agent, with a real socket on the child's standard
 * input: a connected one (as inetd or systemd's Accept=yes give; bash's /dev/tcp makes it) and a
 * listening one (systemd socket activation, Tomcat/Jetty inherited channels; perl makes it, it is
 * on every Debian).
 */
class InheritedChannelIT {
    private static final String LOOPBACK = "127.0.0.1";

    private static List<String> probe() {
        return List.of(ChildJvm.JAVA, "-javaagent:" + ChildJvm.AGENT_JAR, "-cp", ChildJvm.TEST_CLASSES.toString(),
                InheritedProbe.class.getName());
    }

    @Test
    void anInheritedConnectionIsARoutedChannelOnTheKernelStack() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            var cmd = new java.util.ArrayList<>(List.of("bash", "-c",
                    "exec \"$0\" \"$@\" 0<>/dev/tcp/" + LOOPBACK + "/" + peer.getLocalPort()));
            cmd.addAll(probe());
            ChildJvm.Result r = ChildJvm.run(new ProcessBuilder(cmd)).assertOk();
            Map<String, String> f = r.facts();
            assertEquals("RoutedSocketChannel", f.get("inherited"), r.describe());
            assertEquals("kernel", f.get("inherited.stacks"), r.describe());
            assertEquals("true", f.get("inherited.sameProvider"), r.describe());
            assertEquals("true", f.get("inherited.same"), r.describe());
            assertEquals("true", f.get("done"), r.describe());
            try (Socket s = peer.accept()) {
                assertEquals("hello from the inherited socket", firstLine(s));
            }
        }
    }

    @Test
    void anInheritedListenerIsARoutedServerWhoseConnectionsAreRouted() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            port = free.getLocalPort();
        }
        var cmd = new java.util.ArrayList<>(List.of("perl", "-MIO::Socket::INET", "-e",
                "$s = IO::Socket::INET->new(Listen => 5, LocalAddr => '" + LOOPBACK + "', LocalPort => " + port
                        + ", Proto => 'tcp', ReuseAddr => 1) or die \"listen: $!\";"
                        + " open(STDIN, '<&', $s) or die \"dup: $!\"; close($s); exec @ARGV or die \"exec: $!\""));
        cmd.addAll(probe());
        CompletableFuture<ChildJvm.Result> child = CompletableFuture.supplyAsync(() -> {
            try {
                return ChildJvm.run(new ProcessBuilder(cmd));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        String greeting = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (greeting == null && System.nanoTime() < deadline && !child.isDone()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(LOOPBACK, port), 1000);
                s.setSoTimeout(60_000);
                greeting = firstLine(s);
            } catch (IOException notListeningYet) {
                Thread.sleep(100);
            }
        }
        ChildJvm.Result r = child.get(120, TimeUnit.SECONDS).assertOk();
        assertEquals("hello from the inherited listener", greeting, r.describe());
        Map<String, String> f = r.facts();
        assertEquals("RoutedServerSocketChannel", f.get("inherited"), r.describe());
        assertEquals("kernel", f.get("inherited.stacks"), r.describe());
        assertEquals("true", f.get("inherited.sameProvider"), r.describe());
        assertEquals("RoutedSocketChannel on kernel", f.get("accepted"), r.describe());
    }

    private static String firstLine(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream())).readLine();
    }
}
