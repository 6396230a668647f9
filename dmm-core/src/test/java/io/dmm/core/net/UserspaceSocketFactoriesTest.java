package io.dmm.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The java.net scenarios of {@link SocketFactoriesTest} again with every IPv4 socket routed to a
 * userspace stack instance (a loopback device owning 127.0.0.1/8): java.net sockets on the
 * userspace stack must behave as the JDK's own on the kernel.
 *
 * <p>The userspace instance is a network of its own, so what a scenario does with raw JDK channels
 * (which no factory routes: they stay on the kernel) cannot reach it. Those steps are left out of
 * the comparison, and the scenarios built on them are not repeated here: {@code http} and
 * {@code http-proxy} (a JDK HttpServer, which is NIO, on the kernel), {@code socks} (a proxy of raw
 * channels), {@code install-late} (a server created before the factories). The connect-timeout
 * step of {@code timeouts} queues on a raw kernel listener. Differences that are the stack's own are
 * listed and checked: its socket option sets (no Linux extended options) and no urgent data or
 * multicast.
 */
class UserspaceSocketFactoriesTest extends SocketFactoriesTest {
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

    /** Leaves out the lines that differ for the reasons in the class comment. */
    @Override
    protected String comparable(String transcript) {
        return transcript.lines()
                .filter(l -> !l.startsWith("T server options") && !l.startsWith("T socket options")
                        && !l.startsWith("T datagram options") && !l.startsWith("T connect timeout")
                        && !l.startsWith("T connect waited"))
                .collect(Collectors.joining("\n"));
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
        Run dmm = sameAsJdk("timeouts");
        assertTrue(dmm.transcript().contains("read ! java.net.SocketTimeoutException: Read timed out"), dmm.out());
        assertTrue(dmm.transcript().contains("T waited >=150ms true"), dmm.out());
        assertTrue(dmm.transcript().contains("read after timeout = 42"), dmm.out());
        assertTrue(dmm.transcript().contains("T available with data = 3"), dmm.out());
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

    @Override
    @Test
    void thousandVirtualThreadsBlockedInReadsDoNotPinTheOnlyCarrier() throws Exception {
        Run dmm = run(List.of("-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.virtualThreadScheduler.maxPoolSize=1"),
                "vt-servers", "dmm");
        assertTrue(dmm.out().contains("T blocked readers 1000"), dmm.out());
        assertTrue(dmm.out().contains("T fresh virtual thread ran true"), dmm.out());
        assertTrue(dmm.out().contains("T echoed 1000 server 1000"), dmm.out());
        assertEquals(2001, dmm.opened("alt"), dmm.out());
    }

    @Override
    @Test
    void urgentDataAndOobInlineAsTheJdk() throws Exception {
        Run dmm = runToEnd(List.of(), "urgent", "dmm");
        assertNotEquals(0, dmm.exit(), dmm.out());
        assertTrue(dmm.out().contains("T oobinline set true"), dmm.out());
        assertTrue(dmm.out().contains("java.net.SocketException: Urgent data is not supported by the userspace stack"),
                dmm.out());
    }

    @Override
    @Test
    void multicastSocketAsTheJdk() throws Exception {
        Run dmm = runToEnd(List.of(), "multicast", "dmm");
        assertNotEquals(0, dmm.exit(), dmm.out());
        assertTrue(dmm.out().contains("java.lang.UnsupportedOperationException: 'IP_MULTICAST_TTL' not supported"),
                dmm.out());
    }

    // Not repeated: the scenarios whose peers are raw JDK channels on the kernel (see the class comment).
    @Override
    void httpProxySocketsWorkAndAreRoutedByTheProxysAddress() {
    }

    @Override
    void httpUrlConnectionIsRouted() {
    }

    @Override
    void socksProxySocketsKeepWorkingUnrouted() {
    }

    @Override
    void aServerSocketCreatedBeforeInstallCannotAcceptIntoADmmSocket() {
    }
}
