package io.dmm.stack.userspace.interop;

import static io.dmm.stack.userspace.interop.DpdkKernelLink.KERNEL_IP;
import static io.dmm.stack.userspace.interop.DpdkKernelLink.STACK_IP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.systemtest.host.CommandResult;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A connection to a port nobody listens on is refused by a RST, whichever side is the listener. */
class ResetInteropTest {

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void linuxConnectingToAClosedPortOfOursIsRefused() {
        try (DpdkKernelLink link = DpdkKernelLink.open(PortKind.TAP)) {
            long rsts = link.counter("tcp_rst_sent");

            CommandResult nc = link.ns.exec(Duration.ofSeconds(10), "nc", "-v", "-w", "5", STACK_IP, "7999");

            assertNotEquals(0, nc.exitCode(), () -> nc.describe() + "\n" + link.counters());
            assertTrue(nc.stderr().contains("Connection refused"), () -> nc.describe() + "\n" + link.counters());
            assertEquals(1, link.counter("tcp_rst_sent") - rsts, () -> "RSTs sent: " + link.stack.counters());
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void ourConnectToAClosedLinuxPortThrowsConnectException() throws Exception {
        try (DpdkKernelLink link = DpdkKernelLink.open(PortKind.TAP);
             SocketChannel c = link.stack.openSocketChannel(StandardProtocolFamily.INET)) {
            long rsts = link.counter("tcp_rst_rx");

            ConnectException e = assertThrows(ConnectException.class, () -> c.connect(new InetSocketAddress(KERNEL_IP, 7998)));

            assertEquals("Connection refused", e.getMessage());
            assertEquals(1, link.counter("tcp_rst_rx") - rsts, () -> "RSTs received: " + link.stack.counters());
        }
    }
}
