package io.dmm.stack.userspace.interop;

import static io.dmm.stack.userspace.interop.DpdkKernelLink.STACK_IP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.spi.StackHealth;
import io.dmm.stack.userspace.BlockedCall;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The kernel interface under a userspace stack's device is deleted while a Linux client is
 * connected to it: net_tap's tap interface and the tap driver's (deleted inside the namespace it
 * was moved to; the kernel detaches the tap's open file descriptors), and the veth under
 * net_af_packet (the packet socket's interface index vanishes). The stack goes DOWN naming the
 * device and its interface, and a read blocked on the connection (idle: nothing is sent or
 * received) fails with that reason within the probe's 100 ms (the tap driver: its poll loop's
 * next read), well inside the test's bound.
 */
class DeviceGoneInteropTest {
    private static final int PORT = 7100;
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    @ParameterizedTest
    @EnumSource(PortKind.class)
    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    void deletingTheInterfaceTakesTheStackDownAndFailsItsConnection(PortKind kind) throws Exception {
        try (DpdkKernelLink link = DpdkKernelLink.open(kind);
             ServerSocketChannel listener = link.stack.openServerSocketChannel(StandardProtocolFamily.INET)) {
            String name = link.stack.name();
            listener.bind(new InetSocketAddress(STACK_IP, PORT));
            // a Linux client that connects, says hello and then stays connected, idle
            link.ns.spawn("python3", "-c", "import socket, time\n"
                    + "s = socket.create_connection(('" + STACK_IP + "', " + PORT + "))\n"
                    + "s.sendall(b'hello')\n"
                    + "time.sleep(60)\n");
            try (SocketChannel accepted = listener.accept()) {
                ByteBuffer hello = ByteBuffer.allocate(5);
                while (hello.hasRemaining()) assertTrue(accepted.read(hello) > 0, "the client's hello");
                BlockedCall read = BlockedCall.start("read", () -> accepted.read(ByteBuffer.allocate(16)));
                assertEquals(StackHealth.UP, link.stack.health());

                // the kernel side of the link goes; for af_packet, deleting the veth's end in the
                // namespace deletes its other end too, the one the packet socket is bound to
                link.ns.execOk("ip", "link", "del", link.kernelIface);

                Throwable failure = read.thrown(PROMPTLY);
                assertInstanceOf(SocketException.class, failure);
                String m = failure.getMessage();
                assertTrue(m.startsWith("userspace stack " + name + " is down: "),
                        () -> "the read should say the stack is down and why: " + failure + "\n" + link.counters());
                String why = m.substring(("userspace stack " + name + " is down: ").length());
                switch (kind) {
                    case TAP -> {
                        assertTrue(why.startsWith("DPDK port ") && why.contains(" went away: "), () -> "why: " + m);
                        assertTrue(why.contains("its tap interface was deleted (the tap queue's file descriptor fails: "
                                + "File descriptor in bad state (EBADFD))"), () -> "cause: " + m);
                        assertTrue(why.contains("iface=" + link.kernelIface), () -> "names the tap: " + m);
                    }
                    case AF_PACKET -> {
                        assertTrue(why.startsWith("DPDK port ") && why.contains(" went away: "), () -> "why: " + m);
                        assertTrue(why.contains("its kernel interface (index "), () -> "cause: " + m);
                        assertTrue(why.contains("net_af_packet") && why.contains("iface=dvo"), () -> "names the veth: " + m);
                    }
                    // the tap's next read fails as the tun driver says of a detached queue: EBADFD
                    case TAP_DRIVER -> assertTrue(why.startsWith("tap " + link.kernelIface + " went away: read: ")
                            && why.endsWith("(errno 77)"), () -> "names the tap and its errno: " + m);
                }

                assertEquals(StackHealth.DOWN, link.stack.health());
                String detail = link.stack.healthDetail();
                assertTrue(detail.startsWith(m) && detail.contains("reloaded"), detail);
                IOException write = assertThrows(IOException.class, () -> accepted.write(ByteBuffer.wrap(new byte[1])));
                assertEquals(m, write.getMessage());
                IOException open = assertThrows(IOException.class, () -> link.stack.openSocketChannel(null));
                assertEquals(m, open.getMessage());
            }
        }
    }
}
