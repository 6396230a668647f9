package io.dmm.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.core.DmmSelectorProvider;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The java.net scenarios of {@link SocketFactoriesTest} again with every IPv4 socket routed to a
 * userspace stack instance (a loopback device owning 127.0.0.1/8): java.net sockets on the
 * userspace stack must behave as the JDK's own on the kernel.
 *
 * <p>The userspace instance is a network of its own: a kernel socket cannot reach it. So where a
 * scenario's peers are NIO channels (a JDK HttpServer, the full listener of {@code timeouts}), the
 * DMM run has DMM as its SelectorProvider too ({@link #DMM_CHANNELS}, what the agent sets), which
 * puts them on the userspace stack as well; the scenarios' proxies are built so as to be where the
 * JDK's own proxied sockets look for them (see {@link Socks5Server}, {@link HttpConnectProxy}).
 *
 * <p>The differences that are the stack's own are listed and checked: the option sets of its
 * sockets ({@link #ROUTED_OPTION_LINES}).
 */
class UserspaceSocketFactoriesTest extends SocketFactoriesTest {
    /** DMM as the JVM's SelectorProvider, as the agent sets it: NIO channels are routed too. */
    private static final List<String> DMM_CHANNELS = List.of(
            "-Djava.nio.channels.spi.SelectorProvider=" + DmmSelectorProvider.class.getName(),
            "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED");

    /**
     * The JDK's options that the userspace stack's sockets do not offer. They are removed from the
     * JDK's option lists of a routed socket (the lines of {@link #ROUTED_OPTION_LINES}) before the
     * comparison: the DMM run must list exactly the rest, so an option the stack gains or loses
     * fails the test until this set says so.
     */
    private static final Set<String> NOT_ON_USERSPACE_TCP = Set.of(); // none: all the JDK's TCP options

    /** As {@link #NOT_ON_USERSPACE_TCP}, for its datagram sockets. */
    private static final Set<String> NOT_ON_USERSPACE_UDP = Set.of(
            // jdk.net.ExtendedSocketOptions of datagram sockets: the NIC queue of a packet, the DF bit
            "SO_INCOMING_NAPI_ID", "IP_DONTFRAGMENT");

    /**
     * The scenarios' lines that list a routed socket's options, with the options to leave out of
     * each: a bound server socket, a connected socket and the one it was accepted as, a bound
     * datagram socket. (An unbound socket lists the platform's options, as no stack is chosen yet:
     * those lines are compared as they are.)
     */
    private static final Map<String, Set<String>> ROUTED_OPTION_LINES = Map.of(
            "T server options ", NOT_ON_USERSPACE_TCP, "T connected options ", NOT_ON_USERSPACE_TCP,
            "T bound options ", NOT_ON_USERSPACE_UDP);

    private static final Pattern OPTION_LIST = Pattern.compile("\\[([^\\]]*)\\]");

    @Override
    protected String policy() {
        return """
                {"stacks": [{"name": "kernel", "type": "kernel"},
                            {"name": "alt", "type": "userspace", "address": "127.0.0.1/8",
                             "device": {"driver": "loopback", "slots": 256}}],
                 "default": "alt",
                 "rules": [{"dst": "::/0", "stack": "kernel"}]}
                """;
    }

    /** The JDK's transcript with the options not on the userspace stack left out of a routed socket's option lists. */
    @Override
    protected String expectedOfDmm(String jdkTranscript) {
        return jdkTranscript.lines()
                .map(l -> ROUTED_OPTION_LINES.entrySet().stream().filter(e -> l.startsWith(e.getKey())).findFirst()
                        .map(e -> without(e.getValue(), l)).orElse(l))
                .collect(Collectors.joining("\n"));
    }

    private static String without(Set<String> notOnUserspace, String line) {
        Matcher list = OPTION_LIST.matcher(line);
        StringBuilder out = new StringBuilder();
        while (list.find()) {
            String kept = Arrays.stream(list.group(1).split(", "))
                    .filter(o -> !notOnUserspace.contains(o))
                    .collect(Collectors.joining(", ", "[", "]"));
            list.appendReplacement(out, Matcher.quoteReplacement(kept));
        }
        list.appendTail(out);
        return out.toString();
    }

    /** Always the full 1,000: the userspace stack's connections take no file descriptors. */
    @Override
    protected int blockedReaders() {
        return VirtualThreadScenarios.CONNECTIONS;
    }

    private static void allOnUserspace(Run dmm) {
        assertTrue(dmm.opened("alt") > 0, dmm.out());
        assertEquals(0, dmm.opened("kernel"), dmm.out());
    }

    @Override
    @Test
    void socketAndServerSocketEchoOnThePolicysStacks() throws Exception {
        Run dmm = sameAsJdk("echo");
        allOnUserspace(dmm);
        assertTrue(dmm.transcript().contains("T echo hello alt"), dmm.out());
    }

    @Override
    @Test
    void readAcceptAndConnectTimeoutsAsTheJdk() throws Exception {
        // the connect-timeout step's full listener is a ServerSocketChannel: on the userspace stack with DMM_CHANNELS
        Run dmm = sameAsJdk(List.of(), DMM_CHANNELS, "timeouts");
        assertTrue(dmm.transcript().contains("read ! java.net.SocketTimeoutException: Read timed out"), dmm.out());
        assertTrue(dmm.transcript().contains("T waited >=150ms true"), dmm.out());
        assertTrue(dmm.transcript().contains("read after timeout = 42"), dmm.out());
        assertTrue(dmm.transcript().contains("T available with data = 3"), dmm.out());
        assertTrue(dmm.transcript().contains("connect timeout ! java.net.SocketTimeoutException: Connect timed out"),
                dmm.out());
        allOnUserspace(dmm);
    }

    @Override
    @Test
    void datagramSocketAsTheJdkOnThePolicysStacks() throws Exception {
        Run dmm = sameAsJdk("datagram");
        assertTrue(dmm.transcript().contains("T received datagram from sender true"), dmm.out());
        allOnUserspace(dmm);
    }

    @Override
    @Test
    void udpClientsAreRoutedByTheirDestination() throws Exception {
        Run dmm = sameAsJdk("udp-client");
        assertTrue(dmm.transcript().contains("T client got answer"), dmm.out());
        allOnUserspace(dmm);
    }

    @Override
    @Test
    void routeScopeHintsReachJavaNetSockets() throws Exception {
        Run dmm = run(List.of(), "scope", "dmm");
        assertTrue(dmm.out().contains("T scoped socket works 1"), dmm.out());
        allOnUserspace(dmm);
    }

    @Override
    @Test
    void tlsSocketsOverDmmSockets() throws Exception {
        super.tlsSocketsOverDmmSockets();
    }

    /** The same transcript as the JDK's (join, a datagram to the group looped back, leave), both sockets on alt. */
    @Override
    @Test
    void multicastSocketAsTheJdk() throws Exception {
        Run dmm = sameAsJdk("multicast");
        assertTrue(dmm.transcript().contains("T receive from group = to the group"), dmm.out());
        // the port's MulticastSocket and the fresh one (an ephemeral port: the default stack)
        assertEquals(2, dmm.opened("alt"), dmm.out());
        assertEquals(0, dmm.opened("kernel"), dmm.out());
    }

    @Override
    @Test
    void httpProxySocketsWorkAndAreRoutedByTheProxysAddress() throws Exception {
        Run dmm = sameAsJdk("http-proxy");
        assertTrue(dmm.transcript().contains("T http tunnel echo through http connect tunnels 1 connected true"),
                dmm.out());
        // the proxy's listener, the tunnel to it and the socket it accepted; the echo server, the
        // proxy's connection to it and the socket that accepted
        assertEquals(6, dmm.opened("alt"), dmm.out());
        assertEquals(0, dmm.opened("kernel"), dmm.out());
    }

    @Override
    @Test
    void httpUrlConnectionIsRouted() throws Exception {
        Run dmm = sameAsJdk(List.of(), DMM_CHANNELS, "http"); // the JDK's HttpServer is NIO
        assertTrue(dmm.transcript().contains("T http 200 hello over http"), dmm.out());
        // the channel probing for a free alt port, the HttpServer's channel, the connection it accepted
        // and the HttpURLConnection's socket
        assertEquals(4, dmm.opened("alt"), dmm.out());
        assertEquals(0, dmm.opened("kernel"), dmm.out());
    }

    /**
     * The documented difference (docs/drop-in.md): a policy with a stack whose ports are its own
     * keeps a Socket's bind to a given address until connect, so the bind itself succeeds.
     */
    @Override
    @Test
    void aSocketsBindErrorsComeAtBindAsTheJdks() throws Exception {
        Run dmm = run(List.of(), "client-bind", "dmm");
        assertTrue(dmm.transcript().contains("T bind to a port another socket holds = null"), dmm.out());
        assertTrue(dmm.transcript().contains("T bind to an address not on this host = null"), dmm.out());
    }

    // socksProxySocketsKeepWorkingUnrouted and aServerSocketCreatedBeforeInstallCannotAcceptIntoADmmSocket
    // run as inherited: their peers are where the JDK's own sockets look for them whatever the policy.
}
