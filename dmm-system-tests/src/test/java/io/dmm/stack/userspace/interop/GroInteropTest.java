package io.dmm.stack.userspace.interop;

import static io.dmm.stack.userspace.interop.DpdkKernelLink.STACK_IP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.systemtest.host.CommandResult;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Software GRO: Linux in a namespace sends 20 MB over DPDK's net_tap and over the tap driver; the
 * segments of each receive burst reach TCP merged, so it processes and acknowledges far fewer
 * segments than arrive, and every byte is intact.
 *
 * <p>The tap driver asks the kernel to leave checksums partial (TUN_F_CSUM): Linux's segments
 * arrive with only the pseudo-header sum in their checksum field and NEEDS_CSUM in their
 * virtio-net header, which the driver must pass on as vouched for, or the stack drops them all.
 */
class GroInteropTest {
    static final long SIZE = 20L * 1000 * 1000;

    @ParameterizedTest
    @EnumSource(value = PortKind.class, names = {"TAP", "TAP_DRIVER"})
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aDownloadFromLinuxArrivesMergedAndIntact(PortKind kind) throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
             DpdkKernelLink link = DpdkKernelLink.open(kind);
             ServerSocketChannel ss = link.stack.openServerSocketChannel(StandardProtocolFamily.INET)) {
            ss.bind(new InetSocketAddress(STACK_IP, 7011));
            Path in = link.ns.scratch().resolve("gro-in.bin");
            SeededBytes.writeFile(in, 31, SIZE);
            Future<ChannelIo.Received> server = threads.submit(() -> {
                try (SocketChannel a = ss.accept()) {
                    return ChannelIo.readToEof(a);
                }
            });

            CommandResult socat = link.ns.shell(Duration.ofSeconds(60), "socat -u OPEN:" + in + " TCP:" + STACK_IP + ":7011");

            assertEquals(0, socat.exitCode(), () -> socat.describe() + "\n" + link.counters());
            ChannelIo.Received got = server.get(30, TimeUnit.SECONDS);
            assertEquals(SIZE, got.bytes());
            assertEquals(Digests.sha256sum(link.ns, in), got.sha256Hex(), "what we received against sha256sum of the file");
            Map<String, Long> c = link.stack.counters();
            long rx = c.get("tcp_segments_rx");
            assertTrue(rx >= SIZE / 1448, "segments as they arrived: " + c);
            assertTrue(c.get("tcp_gro_merged") > rx / 4, "at least a quarter of them merged into earlier ones: " + c);
            // one ACK per TCP pass at most, so with merging far fewer than the one per two segments of plain delayed ACKs
            assertTrue(c.get("tcp_segments_tx") < rx / 3, "ACKs sent: " + c);
            if (kind == PortKind.TAP_DRIVER) {
                assertTrue(c.get("device_rx_checksum_vouched") >= SIZE / 1448, "Linux's segments, partial: " + c);
                assertEquals(0L, c.get("device_rx_dropped") + c.get("device_rx_errors"), c::toString);
            }
        }
    }
}
