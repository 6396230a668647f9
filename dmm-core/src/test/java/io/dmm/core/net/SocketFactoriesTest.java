package io.dmm.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.testing.OpenFileLimit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DMM's java.net factories, each case in child JVMs (the JDK's factories are JVM-wide and can be
 * set once): the same {@link NetScenario} runs once on the JDK's own socket implementations and
 * once with {@link DmmSocketFactories#install()}; the behaviour transcripts must be identical, and
 * the DMM run's counters must show the sockets on the stack the policy names.
 */
class SocketFactoriesTest {
    @TempDir
    Path dir;

    record Run(int exit, String out) {
        List<String> lines(String prefix) {
            return out.lines().filter(l -> l.startsWith(prefix)).collect(Collectors.toList());
        }

        String transcript() {
            return String.join("\n", lines("T "));
        }

        /** The "R stack <name> opened=<n> ..." line's opened count. */
        long opened(String stack) {
            for (String l : lines("R stack " + stack + " ")) {
                String n = l.split(" ")[3];
                return Long.parseLong(n.substring("opened=".length()));
            }
            throw new AssertionError("no stats for " + stack + ":\n" + out);
        }
    }

    /** The policy the child JVMs run with: the alt ports on a second kernel instance "alt". */
    protected String policy() {
        return """
                {"stacks": [{"name": "kernel", "type": "kernel"}, {"name": "alt", "type": "kernel"}],
                 "default": "kernel",
                 "rules": [{"port": "%d-%d", "stack": "alt"}]}
                """.formatted(NetScenario.ALT_LO, NetScenario.ALT_HI);
    }

    /**
     * How many virtual threads the vt-servers scenario blocks in reads: 1,000, or fewer where the
     * open-files limit says so, as both ends of every kernel connection are in the child JVM (two
     * descriptors each).
     */
    protected int blockedReaders() {
        return OpenFileLimit.connections("thousandVirtualThreadsBlockedInReads", VirtualThreadScenarios.CONNECTIONS, 2, 300, 200);
    }

    /** The transcript the DMM run must print, given the JDK run's: the same one here. */
    protected String expectedOfDmm(String jdkTranscript) {
        return jdkTranscript;
    }

    Run run(List<String> jvmArgs, String... args) throws Exception {
        Run r = runToEnd(jvmArgs, args);
        assertEquals(0, r.exit(), String.join(" ", args) + " failed:\n" + r.out());
        assertTrue(r.out().contains("DONE"), r.out());
        return r;
    }

    /** Runs a scenario in a child JVM to its end (or 120 s), whatever its exit status. */
    Run runToEnd(List<String> jvmArgs, String... args) throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.json"), policy());
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.add("-Ddmm.config=" + policy);
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(NetScenario.class.getName());
        cmd.addAll(List.of(args));
        // output to a file, not a pipe read to its end: a hung child must fail the test, not hang it
        Path log = Files.createTempFile(dir, "scenario", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = p.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly().waitFor();
        }
        String out = Files.readString(log);
        assertTrue(finished, "scenario did not finish in 120 s: " + out);
        return new Run(p.exitValue(), out);
    }

    /** Runs the scenario on the JDK and on DMM; asserts equal transcripts; returns the DMM run. */
    Run sameAsJdk(String scenario, String... extra) throws Exception {
        return sameAsJdk(List.of(), scenario, extra);
    }

    Run sameAsJdk(List<String> jvmArgs, String scenario, String... extra) throws Exception {
        return sameAsJdk(jvmArgs, List.of(), scenario, extra);
    }

    /** As above, the DMM run's JVM also given {@code dmmJvmArgs}. */
    Run sameAsJdk(List<String> jvmArgs, List<String> dmmJvmArgs, String scenario, String... extra) throws Exception {
        List<String> jdkArgs = new ArrayList<>(List.of(scenario, "jdk"));
        jdkArgs.addAll(List.of(extra));
        List<String> dmmArgs = new ArrayList<>(List.of(scenario, "dmm"));
        dmmArgs.addAll(List.of(extra));
        List<String> dmmJvm = new ArrayList<>(jvmArgs);
        dmmJvm.addAll(dmmJvmArgs);
        Run jdk = run(jvmArgs, jdkArgs.toArray(String[]::new));
        Run dmm = run(dmmJvm, dmmArgs.toArray(String[]::new));
        assertTrue(!jdk.transcript().isEmpty(), jdk.out());
        assertEquals(expectedOfDmm(jdk.transcript()), dmm.transcript(),
                "DMM behaves differently from the JDK; DMM run:\n" + dmm.out());
        return dmm;
    }

    @Test
    void socketAndServerSocketEchoOnThePolicysStacks() throws Exception {
        Run dmm = sameAsJdk("echo");
        // alt: the server on an alt port, the one whose bind to the same port failed (its channel was
        // opened on alt), four clients connecting to the first and the four sockets it accepted
        assertEquals(10, dmm.opened("alt"), dmm.out());
        // kernel (default): the ephemeral-port server, its client and the accepted socket, and the
        // ephemeral-port server closed to see what it keeps
        assertEquals(4, dmm.opened("kernel"), dmm.out());
        assertTrue(dmm.transcript().contains("T echo hello alt"), dmm.out());
    }

    @Test
    void aSocketsBindErrorsComeAtBindAsTheJdks() throws Exception {
        Run dmm = sameAsJdk("client-bind");
        assertTrue(dmm.transcript().contains("T bind to a port another socket holds ! java.net.BindException"),
                dmm.out());
    }

    @Test
    void readAcceptAndConnectTimeoutsAsTheJdk() throws Exception {
        Run dmm = sameAsJdk("timeouts");
        assertTrue(dmm.transcript().contains("read ! java.net.SocketTimeoutException: Read timed out"), dmm.out());
        assertTrue(dmm.transcript().contains("T waited >=150ms true"), dmm.out());
        assertTrue(dmm.transcript().contains("read after timeout = 42"), dmm.out());
        assertTrue(dmm.transcript().contains("T available with data = 3"), dmm.out());
        assertTrue(dmm.transcript().contains("connect timeout ! java.net.SocketTimeoutException: Connect timed out"),
                dmm.out());
        assertTrue(dmm.transcript().contains("T connect waited 300ms true closed true"), dmm.out());
    }

    @Test
    void soLingerAsTheJdk() throws Exception {
        Run dmm = sameAsJdk("linger");
        assertTrue(dmm.transcript().contains("peer read after reset ! java.net.SocketException: Connection reset"),
                dmm.out());
    }

    @Test
    void halfCloseAsTheJdk() throws Exception {
        Run dmm = sameAsJdk("halfclose");
        assertTrue(dmm.transcript().contains("T client reads reply"), dmm.out());
    }

    @Test
    void urgentDataAndOobInlineAsTheJdk() throws Exception {
        Run dmm = sameAsJdk("urgent");
        assertTrue(dmm.transcript().contains("T inline reads Un"), dmm.out());
    }

    @Test
    void interruptingAVirtualThreadAsTheJdk() throws Exception {
        Run dmm = sameAsJdk("interrupt-virtual");
        assertTrue(dmm.transcript().contains(
                "read interrupted: alive false -> java.net.SocketException: Closed by interrupt | interrupted true"
                        + " | closed true"), dmm.out());
    }

    @Test
    void aPendingInterruptDoesNotDisturbAPlatformThreadsSocketsAsTheJdk() throws Exception {
        Run dmm = sameAsJdk("interrupt-pending");
        assertTrue(dmm.transcript().contains("T blocking read 6 interrupted true closed false"), dmm.out());
        assertTrue(dmm.transcript().contains("T failure none"), dmm.out());
    }

    @Test
    void closingUnderABlockedReadOrAcceptAsTheJdk() throws Exception {
        Run dmm = sameAsJdk("async-close");
        assertTrue(dmm.transcript().contains(
                "T platform read closed under it: alive false -> java.net.SocketException: Socket closed"), dmm.out());
    }

    @Test
    void interruptingAPlatformThreadClosesTheSocket() throws Exception {
        // the JDK's platform-thread socket ignores interrupts; DMM's closes (documented difference)
        Run dmm = run(List.of(), "interrupt-platform", "dmm");
        assertTrue(dmm.out().contains(
                "T read interrupted: alive false -> java.net.SocketException: Closed by interrupt | interrupted true"),
                dmm.out());
        assertTrue(dmm.out().contains("T read again ! java.net.SocketException: Socket closed"), dmm.out());
        assertTrue(dmm.out().contains("T peer sees EOF -1"), dmm.out());
    }

    @Test
    void interruptingAPlatformThreadInADatagramReceiveLeavesTheSocketOpenAsTheJdk() throws Exception {
        // the kernel stack reaches the JDK's uninterruptible datagram channel through sun.nio.ch,
        // which the agent exports; without the agent the flag does (docs/drop-in.md)
        Run dmm = sameAsJdk(List.of(), List.of("--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED"),
                "interrupt-datagram-platform");
        assertTrue(dmm.transcript().contains("T receive interrupted: alive true closed false"), dmm.out());
        assertTrue(dmm.transcript().contains("T then received 7 interrupted true"), dmm.out());
    }

    @Test
    void datagramSocketAsTheJdkOnThePolicysStacks() throws Exception {
        Run dmm = sameAsJdk("datagram");
        assertTrue(dmm.transcript().contains("T received datagram from sender true"), dmm.out());
        assertEquals(1, dmm.opened("alt"), dmm.out());       // the receiver bound to an alt port
        // the sender (routed as a receiver when asked for its port), the one interrupted in receive;
        // the socket closed unused was never routed
        assertEquals(2, dmm.opened("kernel"), dmm.out());
        assertTrue(dmm.transcript().contains(
                "T virtual thread receive interrupted -> java.net.SocketException: Closed by interrupt | interrupted true"),
                dmm.out());
    }

    @Test
    void aReceiveLeavesThePacketsBufferLengthAsTheJdkWhereJavaNetIsOpenToDmm() throws Exception {
        // as the agent opens it (docs/drop-in.md); the JDK run gets the flag too, which changes nothing there
        Run dmm = sameAsJdk(List.of("--add-opens", "java.base/java.net=ALL-UNNAMED"), "datagram-lengths");
        assertTrue(dmm.transcript().contains("T other socket 10 then 50"), dmm.out());
        assertTrue(dmm.transcript().contains("T after setLength(10) 10"), dmm.out());
    }

    @Test
    void udpClientsAreRoutedByTheirDestination() throws Exception {
        Run dmm = sameAsJdk("udp-client");
        assertTrue(dmm.transcript().contains("T client got answer"), dmm.out());
        // alt: the server bound to an alt port, the client sending to it, the client connected to an alt port
        assertEquals(3, dmm.opened("alt"), dmm.out());
        // kernel: the socket asked for its port before sending (routed as a receiver, as bound)
        assertEquals(1, dmm.opened("kernel"), dmm.out());
    }

    @Test
    void multicastSocketAsTheJdk() throws Exception {
        Run dmm = sameAsJdk("multicast");
        assertEquals(1, dmm.opened("alt"), dmm.out());
    }

    @Test
    void tlsSocketsOverDmmSockets() throws Exception {
        Path keyStore = dir.resolve("tls.p12");
        Path keytool = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("keytool");
        Process kt = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "dmm", "-keyalg", "EC",
                "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", new String(TlsScenarios.PASSWORD)).redirectErrorStream(true).start();
        String ktOut = new String(kt.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, kt.waitFor(), ktOut);
        Run dmm = sameAsJdk("tls", keyStore.toString());
        assertTrue(dmm.transcript().contains("T factory socket TLSv1.3 echo secret via factory socket"), dmm.out());
        assertTrue(dmm.transcript().contains("T layered socket TLSv1.3 echo secret via layered socket"), dmm.out());
        // server + 2 clients + 2 accepted, all to the alt port
        assertEquals(5, dmm.opened("alt"), dmm.out());
    }

    @Test
    void socksProxySocketsKeepWorkingUnrouted() throws Exception {
        Run dmm = sameAsJdk("socks");
        assertTrue(dmm.transcript().contains("T explicit proxy echo through socks relayed 1"), dmm.out());
        // the ProxySelector (what socksProxyHost configures) is asked at connect, as by the JDK's socket
        assertTrue(dmm.transcript().contains("T selector socket echo plain relayed 2"), dmm.out());
        // an unresolved name goes to the proxy as a name (which this little proxy does not support), as the JDK's
        assertTrue(dmm.transcript().contains(
                "T selector socket to an unresolved name ! java.net.SocketException: SOCKS: Command not supported"),
                dmm.out());
        // alt: the echo server and the three connections the proxy made to it (accepted); the
        // proxied client sockets are the JDK's SocksSocketImpl and are not routed
        assertTrue(dmm.transcript().contains("T only a dead proxy ! java.net.SocketException: Can't connect to SOCKS"
                + " proxy:Connection refused"), dmm.out());
        // several proxies, the first unreachable: DMM uses the next (the JDK 25 socket fails there)
        assertTrue(dmm.out().contains("J dead then live proxy second try relayed 3 failures reported 1"), dmm.out());
        assertTrue(dmm.transcript().contains("T NO_PROXY socket ignores the selector no proxy relayed 2"), dmm.out());
        // alt: the echo server; the three connections the proxy made to it (java.net sockets, routed by
        // the echo server's port) and the three it accepted; the two direct ones (NO_PROXY by the
        // program, then by the selector) and the two it accepted. The proxied client sockets are the
        // JDK's SocksSocketImpl and are not routed, nor is the proxy's listener (a raw JDK channel); and
        // the proxy's connection for the socket bound before connect, and the one it accepted
        assertEquals(13, dmm.opened("alt"), dmm.out());
        assertTrue(dmm.transcript().contains("T bound before connect, via the selector: echo bound relayed 4"), dmm.out());
        assertEquals(0, dmm.opened("kernel"), dmm.out());
    }

    @Test
    void httpProxySocketsWorkAndAreRoutedByTheProxysAddress() throws Exception {
        Run dmm = sameAsJdk("http-proxy");
        assertTrue(dmm.transcript().contains("T http tunnel echo through http connect tunnels 1 connected true"), dmm.out());
        // alt: the proxy's listener on an alt port, the tunnel to it and the socket it accepted
        assertEquals(3, dmm.opened("alt"), dmm.out());
        // kernel (default): the echo server, the proxy's connection to it and the socket it accepted
        assertEquals(3, dmm.opened("kernel"), dmm.out());
    }

    @Test
    void httpUrlConnectionIsRouted() throws Exception {
        Run dmm = sameAsJdk("http");
        assertTrue(dmm.transcript().contains("T http 200 hello over http"), dmm.out());
        assertEquals(1, dmm.opened("alt"), dmm.out()); // the client socket; HttpServer is NIO, not a java.net socket
    }

    @Test
    void routeScopeHintsReachJavaNetSockets() throws Exception {
        Run dmm = run(List.of(), "scope", "dmm");
        assertTrue(dmm.out().contains("T scoped socket works 1"), dmm.out());
        assertEquals(1, dmm.opened("alt"), dmm.out());     // the socket made inside the scope
        assertEquals(4, dmm.opened("kernel"), dmm.out());  // the server, the plain client, two accepted
    }

    @Test
    void thousandVirtualThreadsBlockedInReadsDoNotPinTheOnlyCarrier() throws Exception {
        int n = blockedReaders();
        Run dmm = run(List.of("-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.virtualThreadScheduler.maxPoolSize=1",
                "-D" + VirtualThreadScenarios.CONNECTIONS_PROPERTY + "=" + n), "vt-servers", "dmm");
        assertTrue(dmm.out().contains("T blocked readers " + n + "\n"), dmm.out());
        assertTrue(dmm.out().contains("T fresh virtual thread ran true"), dmm.out());
        assertTrue(dmm.out().contains("T echoed " + n + " server " + n + "\n"), dmm.out());
        assertEquals(2 * n + 1, dmm.opened("alt"), dmm.out());
    }

    @Test
    void aServerSocketCreatedBeforeInstallCannotAcceptIntoADmmSocket() throws Exception {
        Run r = run(List.of(), "install-late", "jdk"); // "jdk": the scenario installs DMM itself, late
        assertTrue(r.out().contains("T accept ! java.io.IOException: An instance of class sun.nio.ch.NioSocketImpl"
                + " cannot accept a connection with an instance of class io.dmm.core.net.DmmSocketImpl"), r.out());
    }

    @Test
    void theOneCarrierCheckNoticesAReadThatPins() throws Exception {
        Run control = run(List.of("-Djdk.virtualThreadScheduler.parallelism=1",
                "-Djdk.virtualThreadScheduler.maxPoolSize=1"), "vt-pinned-control", "dmm");
        assertTrue(control.out().contains("T blocked readers 1\n"), control.out());
    }

    @Test
    void installFailsClearlyWhenAnotherFactoryIsSet() throws Exception {
        Run r = run(List.of(), "install-conflict", "jdk");
        assertTrue(r.out().contains("T install ! java.lang.IllegalStateException: DMM cannot install its java.net "
                + "factories: Socket.setSocketImplFactory was already called by other code in this JVM"), r.out());
    }

}
