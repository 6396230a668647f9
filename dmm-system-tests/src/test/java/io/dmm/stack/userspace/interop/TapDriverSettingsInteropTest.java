package io.dmm.stack.userspace.interop;

import static io.dmm.stack.userspace.interop.DpdkKernelLink.STACK_IP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.systemtest.host.CommandResult;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The tap driver's "mac" and "mtu" as Linux in the namespace sees them: the stack answers ARP with
 * its configured MAC, the tap interface has the configured MTU (set by the driver, kept when the
 * interface moved), a ping of exactly that size is answered, and a frame over it, which Linux
 * sends once its end's MTU is raised, is dropped by the driver and not answered.
 */
class TapDriverSettingsInteropTest {
    private static final String MAC = "02:00:00:dd:00:07";
    private static final long MTU = 1400;
    /** ICMP payload that fills an IPv4 packet of the MTU: less 20 bytes of IP and 8 of ICMP. */
    private static final int FULL = (int) MTU - 28;

    @Test
    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    void theConfiguredMacAndMtuAreWhatLinuxSeesAndFramesOverTheMtuAreDropped() {
        try (DpdkKernelLink link = DpdkKernelLink.open(PortKind.TAP_DRIVER, Map.of(), Map.of("mac", MAC, "mtu", MTU))) {
            String shown = link.ns.execOk("ip", "-o", "link", "show", "dev", link.kernelIface).stdout();
            assertTrue(shown.contains(" mtu " + MTU + " "), shown);

            CommandResult full = ping(link, FULL);
            assertTrue(full.stdout().contains("2 packets transmitted, 2 received"), () -> full.describe() + "\n" + link.counters());
            String neighbour = link.ns.execOk("ip", "neigh", "show", STACK_IP, "dev", link.kernelIface).stdout();
            assertTrue(neighbour.contains("lladdr " + MAC + " "), () -> "the stack's MAC as Linux learnt it: " + neighbour);

            // Linux may now send larger frames than the stack's MTU; the driver drops them as none of its own
            link.ns.execOk("ip", "link", "set", "dev", link.kernelIface, "mtu", "1500");
            long dropped = link.counter("device_rx_dropped");
            long replies = link.counter("icmp_echo_replies_sent");
            CommandResult over = ping(link, FULL + 1);
            assertNotEquals(0, over.exitCode(), () -> "a frame over the MTU gets no answer: " + over.describe());
            assertEquals(2, link.counter("device_rx_dropped") - dropped, link::counters);
            assertEquals(replies, link.counter("icmp_echo_replies_sent"), link::counters);
        }
    }

    /** Two pings of {@code payload} bytes that Linux must not fragment. */
    private static CommandResult ping(DpdkKernelLink link, int payload) {
        return link.ns.exec(Duration.ofSeconds(10), "ping", "-c", "2", "-i", "0.2", "-W", "1", "-M", "do", "-s",
                Integer.toString(payload), STACK_IP);
    }
}
