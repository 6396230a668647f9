package io.dmm.stack.userspace.interop;

import static io.dmm.stack.userspace.interop.DpdkKernelLink.KERNEL_IP;
import static io.dmm.stack.userspace.interop.DpdkKernelLink.STACK_IP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.systemtest.host.CommandResult;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * UDP with Linux's socat: a datagram larger than the link's MTU, which Linux sends as IPv4
 * fragments and the userspace stack must reassemble, and our answer back to socat's port.
 *
 * <p>On the taps only (DPDK's net_tap and the tap driver). DPDK's net_af_packet joins its socket to a fanout group with
 * PACKET_FANOUT_FLAG_DEFRAG, so the kernel reassembles the fragments before the port sees them,
 * and the whole datagram, larger than the ring's frame (2048 bytes less its header), arrives cut
 * to 1982 bytes (the stack counts drop_ipv4_malformed): a limit of that PMD, not of the stack.
 */
class UdpInteropTest {
    static final int SIZE = 4000;

    @ParameterizedTest
    @EnumSource(value = PortKind.class, names = {"TAP", "TAP_DRIVER"})
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void fragmentedDatagramFromLinuxIsReassembledAndAnswered(PortKind kind) throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
             DpdkKernelLink link = DpdkKernelLink.open(kind);
             DatagramChannel d = link.stack.openDatagramChannel(StandardProtocolFamily.INET)) {
            d.bind(new InetSocketAddress(STACK_IP, 9999));
            Path in = link.ns.scratch().resolve("datagram.bin");
            SeededBytes.writeFile(in, 7, SIZE);
            long reassembled = link.counter("ipv4_fragments_reassembled");
            Future<byte[]> received = threads.submit(() -> {
                ByteBuffer buf = ByteBuffer.allocate(65536);
                SocketAddress from = d.receive(buf);
                d.send(ByteBuffer.wrap(("got " + buf.position() + "\n").getBytes(StandardCharsets.US_ASCII)), from);
                return Arrays.copyOf(buf.array(), buf.position());
            });

            // socat reads the file in one block and sends it as one datagram (Linux fragments it);
            // -t: after its stdin ends it waits 2 s for our answer (UDP has no EOF, so always all of it).
            CommandResult socat = link.ns.shell(Duration.ofSeconds(15), "socat -t 2 - UDP:" + STACK_IP + ":9999,bind="
                    + KERNEL_IP + ":9998 < " + in);

            assertEquals(0, socat.exitCode(), () -> socat.describe() + "\n" + link.counters());
            byte[] got;
            try {
                got = received.get(5, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("no datagram arrived\n" + socat.describe() + "\n" + link.counters(), e);
            }
            assertArrayEquals(Files.readAllBytes(in), got, "the datagram, byte for byte");
            assertEquals("got " + SIZE + "\n", socat.stdout(), () -> socat.describe() + "\n" + link.counters());
            assertEquals(1, link.counter("ipv4_fragments_reassembled") - reassembled, link::counters);
        }
    }
}
