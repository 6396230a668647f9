package io.dmm.stack.userspace.interop;

import static io.dmm.stack.userspace.interop.DpdkKernelLink.KERNEL_IP;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.api.spi.StackHealth;
import io.dmm.api.testing.Waits;
import io.dmm.systemtest.host.BackgroundProcess;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The kernel's end of the tap driver's interface set down (not deleted): the tap refuses writes
 * (EIO), which the driver counts as device_tx_link_down and loses, as a NIC without carrier would;
 * the instance does not fail. Once the interface is up again, TCP's retransmissions deliver
 * everything written meanwhile.
 */
class TapDriverLinkDownInteropTest {
    private static final int PORT = 7201;
    private static final long SIZE = 100_000;

    @Test
    @Timeout(value = 45, unit = TimeUnit.SECONDS)
    void framesSentWhileTheInterfaceIsDownAreLostAndRetransmittedOnceItIsUp() throws Exception {
        try (DpdkKernelLink link = DpdkKernelLink.open(PortKind.TAP_DRIVER)) {
            Path received = link.ns.scratch().resolve("link-down.bin");
            BackgroundProcess receiver = link.ns.spawn("socat", "-u", "TCP-LISTEN:" + PORT + ",bind=" + KERNEL_IP
                    + ",reuseaddr", "OPEN:" + received + ",creat,trunc");
            link.ns.awaitListening(PORT, receiver);

            String sent;
            try (SocketChannel c = link.stack.openSocketChannel(StandardProtocolFamily.INET)) {
                c.connect(new InetSocketAddress(KERNEL_IP, PORT));
                link.ns.execOk("ip", "link", "set", "dev", link.kernelIface, "down");
                long lost = link.counter("device_tx_link_down");
                sent = ChannelIo.writeAll(c, new SeededBytes(51, SIZE));
                Waits.until(() -> "frames lost to the down link: " + link.counters(), Duration.ofSeconds(5),
                        () -> link.counter("device_tx_link_down") > lost);
                assertEquals(0L, link.counter("device_tx_errors"), link::counters);
                assertEquals(StackHealth.UP, link.stack.health(), link.stack::healthDetail);

                link.ns.execOk("ip", "link", "set", "dev", link.kernelIface, "up");
                c.shutdownOutput();
                // socat closes its end when it has everything
                assertEquals(0, ChannelIo.readSmallToEof(c).length, "socat -u sends nothing");
            }

            receiver.awaitSuccess(Duration.ofSeconds(20), link::counters);
            assertEquals(SIZE, Files.size(received));
            assertEquals(sent, Digests.sha256sum(link.ns, received), "sha256sum of the received file against what we sent");
        }
    }
}
