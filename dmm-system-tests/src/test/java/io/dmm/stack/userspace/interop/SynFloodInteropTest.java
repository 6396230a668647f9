package io.dmm.stack.userspace.interop;

import static io.dmm.stack.userspace.interop.DpdkKernelLink.STACK_IP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.testing.Waits;
import io.dmm.systemtest.host.BackgroundProcess;
import io.dmm.systemtest.host.CommandResult;
import io.dmm.systemtest.host.HostRequirements;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A SYN flood from Linux: scapy, in the namespace, sends 20,000 SYNs from forged addresses of the
 * link's subnet to a listener of the userspace stack with a backlog of 128. The first 128 fill its
 * SYN queue with half-open connections that never complete (their SYN-ACKs wait for ARP replies
 * that no host gives, and the stack retries them for a minute and more); the rest are answered with
 * SYN cookies. Linux's nc connects during the burst and right after it, and each gets its line
 * echoed within {@link #EXCHANGE}: its handshake went through the cookie path, which the counters
 * show (a cookie is validated only from a final ACK that built a connection without a SYN queue entry).
 * Without cookies both would wait for the half-open entries to time out, over a minute later.
 */
class SynFloodInteropTest {
    static final int BACKLOG = 128;
    static final int SYNS = 20_000;
    /** The flood's pace cap: 20 s for the burst, so a connect that starts during it ends during it. */
    static final int SYNS_PER_SECOND = 1_000;
    static final int PORT = 7300;
    /** How long a legitimate exchange may take: Linux's SYN retries (1 s, 3 s, 7 s) fit, a lockout does not. */
    static final Duration EXCHANGE = Duration.ofSeconds(10);

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void linuxClientsConnectDuringAndRightAfterASpoofedSynFlood() throws Exception {
        String python = HostRequirements.python3With("scapy", "python3-scapy");
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
             DpdkKernelLink link = DpdkKernelLink.open(PortKind.TAP);
             ServerSocketChannel ss = link.stack.openServerSocketChannel(StandardProtocolFamily.INET)) {
            ss.bind(new InetSocketAddress(STACK_IP, PORT), BACKLOG);
            threads.submit(() -> {
                while (true) {
                    SocketChannel a = ss.accept();
                    threads.submit(() -> echoLine(a));
                }
            });
            // The forged sources must get nowhere: the namespace neither answers ARP for addresses
            // it does not have nor forwards, and its only other interface is its loopback.
            link.ns.execOk("sysctl", "-q", "-w", "net.ipv4.conf.all.proxy_arp=0", "net.ipv4.ip_forward=0");
            String links = link.ns.execOk("ip", "-o", "link", "show").stdout();
            assertEquals(2, links.lines().count(), () -> "only lo and the tap in the namespace:\n" + links);

            Path script = PeerScripts.copy(link.ns, "syn_flood.py");
            BackgroundProcess flood = link.ns.spawn(python, script.toString(), STACK_IP, Integer.toString(PORT),
                    Integer.toString(SYNS), Integer.toString(SYNS_PER_SECOND), "10.231.0", "1", "2");
            // A backlog of half-open connections: the SYN queue is full, and stays so for the burst.
            // (scapy builds the 20,000 packets first: several seconds of CPU, more on a busy machine.)
            Waits.until(() -> "the SYN queue full\n" + flood.snapshot().describe() + "\n" + link.counters(),
                    Duration.ofSeconds(120), () -> link.counter("tcp_passive_opens") >= BACKLOG || !flood.isAlive());
            assertTrue(flood.isAlive(), () -> "the flood ended before the SYN queue was full\n"
                    + flood.snapshot().describe() + "\n" + link.counters());
            assertEquals(BACKLOG, link.counter("tcp_passive_opens"), link::counters);

            long validated = link.counter("tcp_syncookies_validated");
            exchange(link, "during");
            assertTrue(flood.isAlive(), () -> "the exchange ended after the burst, not during it\n" + link.counters());
            assertTrue(link.counter("tcp_syncookies_validated") > validated,
                    () -> "the client during the burst got in without a cookie\n" + link.counters());

            flood.awaitSuccess(Duration.ofSeconds(120), link::counters);
            validated = link.counter("tcp_syncookies_validated");
            exchange(link, "after");
            assertTrue(link.counter("tcp_syncookies_validated") > validated,
                    () -> "the client after the burst got in without a cookie\n" + link.counters());

            // Most of the burst reached the listener and was answered with a cookie, not a queue entry.
            long cookies = link.counter("tcp_syncookies_sent");
            assertTrue(cookies >= SYNS / 2, () -> "cookies sent: " + cookies + " for " + SYNS + " SYNs\n" + link.counters());
            assertEquals(BACKLOG + 2, link.counter("tcp_passive_opens"), link::counters);
        }
    }

    /** nc sends one line and half-closes; our server echoes it back; all within {@link #EXCHANGE}. */
    private static void exchange(DpdkKernelLink link, String when) {
        CommandResult r = link.ns.exec(EXCHANGE, "sh", "-c",
                "echo " + when + " | nc -N -w " + EXCHANGE.toSeconds() + " " + STACK_IP + " " + PORT);
        assertEquals("echo " + when + "\n", r.stdout(), () -> "the exchange " + when + " the burst\n" + r.describe()
                + "\n" + link.counters());
    }

    /** Reads what the client sends until its half-close, and answers it with "echo " in front. */
    private static Void echoLine(SocketChannel a) throws IOException {
        try (a) {
            String line = new String(ChannelIo.readSmallToEof(a), StandardCharsets.US_ASCII);
            ChannelIo.writeFully(a, ByteBuffer.wrap(("echo " + line).getBytes(StandardCharsets.US_ASCII)));
        }
        return null;
    }
}
