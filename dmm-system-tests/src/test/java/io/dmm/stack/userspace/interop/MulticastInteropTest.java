package io.dmm.stack.userspace.interop;

import static io.dmm.stack.userspace.interop.DpdkKernelLink.KERNEL_IP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.systemtest.host.BackgroundProcess;
import io.dmm.systemtest.host.CommandResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

/**
 * IPv4 multicast between the userspace stack on a DPDK port or the tap driver and Linux in a
 * namespace: the stack's join goes out as an IGMPv3 report (captured with tshark on the Linux
 * side), every datagram a Linux sender sends to the group reaches the userspace member, and every
 * datagram the stack sends to a group Linux joined (seen in its /proc/net/igmp) reaches the Linux
 * socket. The link and its
 * namespace are removed by {@link DpdkKernelLink#close()}.
 */
class MulticastInteropTest {
    private static final int COUNT = 50;
    private static final int PORT = 5405;

    /** Any interface of the JVM's host with an IPv4 address: the instance has one interface, which every join names. */
    private static NetworkInterface joinInterface() throws Exception {
        return NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
    }

    @ParameterizedTest
    @EnumSource(PortKind.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aLinuxSendersDatagramsAllReachTheUserspaceMemberWhoseJoinLinuxSees(PortKind kind) throws Exception {
        String group = "239.77.1.1";
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
             DpdkKernelLink link = DpdkKernelLink.open(kind);
             DatagramChannel member = link.stack.openDatagramChannel(StandardProtocolFamily.INET)) {
            link.ns.execOk("ip", "route", "add", "224.0.0.0/4", "dev", link.kernelIface);
            member.bind(new InetSocketAddress(PORT));
            // tshark on the Linux side, up before the join so that it sees the report
            BackgroundProcess capture = link.ns.spawn("tshark", "-l", "-i", link.kernelIface, "-f", "igmp", "-c", "2",
                    "-a", "duration:10", "-T", "fields", "-e", "ip.src", "-e", "ip.dst", "-e", "igmp.type", "-e", "igmp.maddr");
            awaitCapturing(capture);
            MembershipKey key = member.join(InetAddress.getByName(group), joinInterface());
            CommandResult reports = capture.awaitSuccess(Duration.ofSeconds(15), link::counters);
            // the join and its repetition: version 3 reports (0x22) to 224.0.0.22 from the stack for the group
            String[] lines = reports.stdout().strip().split("\n");
            assertEquals(2, lines.length, () -> reports.describe() + "\n" + link.counters());
            for (String line : lines) {
                assertTrue(line.startsWith(DpdkKernelLink.STACK_IP + "\t224.0.0.22\t0x22\t" + group),
                        () -> reports.describe() + "\n" + link.counters());
            }

            Future<Set<String>> received = threads.submit(() -> receiveAll(member));
            String send = "for i in $(seq 0 " + (COUNT - 1) + "); do printf m$i | socat -u - UDP4-DATAGRAM:" + group + ":"
                    + PORT + ",bind=" + KERNEL_IP + ",ip-multicast-if=" + KERNEL_IP + " || exit 1; done";
            CommandResult sent = link.ns.shell(Duration.ofSeconds(30), send);
            assertEquals(0, sent.exitCode(), sent::describe);
            Set<String> got = received.get(10, TimeUnit.SECONDS);
            Set<String> want = new TreeSet<>();
            for (int i = 0; i < COUNT; i++) want.add("m" + i);
            assertEquals(want, got, link::counters);
            assertTrue(link.counter("igmp_reports_sent") >= 2, link::counters);
            // a DPDK port's multicast filter was programmed (0 filtered, 1 all-multicast, 2 passes
            // everything); a tap has none: the kernel writes every frame it sends on it
            if (kind != PortKind.TAP_DRIVER) {
                assertTrue(link.stack.counters().containsKey("device_multicast_mode"), link::counters);
            }
            key.drop();
        }
    }

    /** Receives until COUNT distinct datagrams came (or the caller's timeout). */
    private static Set<String> receiveAll(DatagramChannel ch) throws Exception {
        Set<String> got = new TreeSet<>();
        ByteBuffer buf = ByteBuffer.allocate(100);
        while (got.size() < COUNT) {
            buf.clear();
            ch.receive(buf);
            got.add(new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII));
        }
        return got;
    }

    @ParameterizedTest
    @EnumSource(PortKind.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theUserspaceStacksDatagramsToAGroupAllReachTheLinuxMember(PortKind kind) throws Exception {
        String group = "239.77.1.2";
        try (DpdkKernelLink link = DpdkKernelLink.open(kind);
             DatagramChannel sender = link.stack.openDatagramChannel(StandardProtocolFamily.INET)) {
            BackgroundProcess linux = link.ns.spawn("sh", "-c", "timeout 8 socat -u UDP4-RECV:" + PORT
                    + ",ip-add-membership=" + group + ":" + KERNEL_IP + ",reuseaddr - ; true");
            awaitLinuxMembership(link, group, linux);
            sender.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1);
            for (int i = 0; i < COUNT; i++) {
                sender.send(ByteBuffer.wrap(("u" + i + "\n").getBytes(StandardCharsets.US_ASCII)),
                        new InetSocketAddress(group, PORT));
            }
            CommandResult out = linux.awaitSuccess(Duration.ofSeconds(15), link::counters);
            Set<String> want = new TreeSet<>();
            for (int i = 0; i < COUNT; i++) want.add("u" + i);
            assertEquals(want, new TreeSet<>(java.util.List.of(out.stdout().strip().split("\n"))), out::describe);
        }
    }

    /** Waits until tshark says it captures (its "Capturing on" line). */
    private static void awaitCapturing(BackgroundProcess capture) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!capture.snapshot().stderr().contains("Capture started")) {
            if (!capture.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("tshark did not start capturing:\n" + capture.snapshot().describe());
            }
            Thread.sleep(20);
        }
    }

    /** Waits until Linux lists the group on its interface in /proc/net/igmp (the socket is bound and joined). */
    private static void awaitLinuxMembership(DpdkKernelLink link, String group, BackgroundProcess linux)
            throws Exception {
        byte[] g = InetAddress.getByName(group).getAddress();
        // /proc/net/igmp prints the group as the host-order hex of the network-order word
        String hex = String.format("%02X%02X%02X%02X", g[3], g[2], g[1], g[0]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            String igmp = link.ns.execOk("cat", "/proc/net/igmp").stdout();
            int at = igmp.indexOf(link.kernelIface);
            if (at >= 0 && igmp.indexOf(hex, at) >= 0) return;
            if (!linux.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("Linux did not join " + group + ":\n" + igmp + "\n" + linux.snapshot().describe());
            }
            Thread.sleep(20);
        }
    }
}
