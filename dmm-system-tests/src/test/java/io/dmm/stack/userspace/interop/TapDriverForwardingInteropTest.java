package io.dmm.stack.userspace.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.testing.BackgroundCall;
import io.dmm.api.testing.Waits;
import io.dmm.systemtest.host.BackgroundProcess;
import io.dmm.systemtest.host.NetNamespace;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The tap driver's transmit offloads where Linux cannot take them on trust: the tap's namespace
 * forwards the stack's packets to a far namespace over a veth without checksum offload. A local
 * socket receives a frame the driver wrote with a partial checksum (NEEDS_CSUM) or as one TSO
 * frame (GSO_TCPV4) whole and trusts it; forwarded, the kernel cuts the TSO frame into segments and
 * completes every checksum from the pseudo-header sum that TxOffload wrote, and the far side
 * verifies each one. A wrong pseudo-header sum, checksum position or segmentation header shows
 * here as lost data and counted checksum errors.
 */
class TapDriverForwardingInteropTest {
    private static final String ROUTER_FAR_IP = "10.233.0.1";
    private static final String FAR_IP = "10.233.0.2";
    private static final long SIZE = 8L * 1000 * 1000;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aTcpUploadForwardedByLinuxArrivesIntactWithEveryChecksumRight() throws Exception {
        try (DpdkKernelLink link = DpdkKernelLink.openRouted(PortKind.TAP_DRIVER);
             NetNamespace far = farSide(link)) {
            BackgroundCall<Void> upload = BackgroundCall.run("an upload through the forwarding namespace", Thread.ofVirtual(),
                    () -> SocatUpload.run(link, far, FAR_IP, 8021, 41, SIZE, Duration.ofSeconds(30)));
            try {
                upload.result(Duration.ofSeconds(40));
            } catch (AssertionError e) {
                // segments the far side drops stall the upload: say so
                throw new AssertionError(e.getMessage() + "\nfar side's TCP checksum errors: "
                        + snmp(far, "Tcp", "InCsumErrors") + "\n" + link.counters(), e);
            }

            Map<String, Long> c = link.stack.counters();
            assertTrue(c.get("device_tx_tso_frames") > 0, () -> "the upload went as TSO frames: " + c);
            assertEquals(0L, c.get("device_tx_errors"), c::toString);
            assertEquals(0L, snmp(far, "Tcp", "InCsumErrors"), "TCP checksum errors on the far side");
            // every segment the far side took: the kernel cut the TSO frames
            assertTrue(snmp(far, "Tcp", "InSegs") >= SIZE / 1460, () -> "segments received: " + snmp(far, "Tcp", "InSegs"));
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aUdpDatagramForwardedByLinuxArrivesIntactWithItsChecksumRight() throws Exception {
        try (DpdkKernelLink link = DpdkKernelLink.openRouted(PortKind.TAP_DRIVER);
             NetNamespace far = farSide(link);
             DatagramChannel d = link.stack.openDatagramChannel(StandardProtocolFamily.INET)) {
            Path received = far.scratch().resolve("datagram.bin");
            // UDP-RECVFROM: one datagram, then socat ends
            BackgroundProcess socat = far.spawn("sh", "-c", "exec socat -u UDP-RECVFROM:9031,bind=" + FAR_IP + " STDOUT > "
                    + received);
            Waits.until("socat bound in " + far.name(), NetNamespace.COMMAND_TIMEOUT,
                    () -> !far.execOk("ss", "-Hlun", "sport = :9031").stdout().isBlank());
            byte[] datagram = new byte[1200];
            Arrays.fill(datagram, (byte) 0x5A);
            datagram[0] = 1;  // a sum that depends on where each byte is
            datagram[1199] = 2;

            d.send(ByteBuffer.wrap(datagram), new InetSocketAddress(FAR_IP, 9031));

            socat.awaitSuccess(Duration.ofSeconds(10), () -> "far side's UDP checksum errors: "
                    + snmp(far, "Udp", "InCsumErrors") + "\n" + link.counters());
            assertArrayEquals(datagram, Files.readAllBytes(received));
            assertEquals(0L, snmp(far, "Udp", "InCsumErrors"), "UDP checksum errors on the far side");
        }
    }

    /**
     * A namespace beyond the link's: the link's namespace forwards between the tap and a veth to it,
     * whose checksum offload is off, so the forwarding kernel segments and checksums in software.
     */
    private static NetNamespace farSide(DpdkKernelLink link) {
        NetNamespace far = NetNamespace.create();
        try {
            String near = NetNamespace.uniqueInterfaceName("dfn");
            String farEnd = NetNamespace.uniqueInterfaceName("dff");
            link.ns.execOk("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            link.ns.execOk("ip", "link", "add", near, "type", "veth", "peer", "name", farEnd, "netns", far.name());
            link.ns.execOk("ethtool", "-K", near, "tx", "off");
            link.ns.configure(near, ROUTER_FAR_IP + "/24");
            far.configure(farEnd, FAR_IP + "/24");
            far.execOk("ip", "route", "add", DpdkKernelLink.STACK_IP + "/32", "via", ROUTER_FAR_IP);
            return far;
        } catch (RuntimeException | Error e) {
            far.close();
            throw e;
        }
    }

    /** A counter of /proc/net/snmp inside {@code ns}, e.g. Tcp InCsumErrors. */
    private static long snmp(NetNamespace ns, String protocol, String counter) {
        List<String> lines = ns.execOk("cat", "/proc/net/snmp").stdout().lines()
                .filter(l -> l.startsWith(protocol + ": ")).toList();
        List<String> names = List.of(lines.get(0).split(" "));
        return Long.parseLong(lines.get(1).split(" ")[names.indexOf(counter)]);
    }
}
