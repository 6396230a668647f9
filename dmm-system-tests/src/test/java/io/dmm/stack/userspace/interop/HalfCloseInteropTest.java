package io.dmm.stack.userspace.interop;

import static io.dmm.stack.userspace.interop.DpdkKernelLink.KERNEL_IP;
import static io.dmm.stack.userspace.interop.DpdkKernelLink.STACK_IP;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.systemtest.host.BackgroundProcess;
import io.dmm.systemtest.host.CommandResult;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Half-close against Linux, both ways: the side that shut its output down still receives, the
 * other side sees EOF and can still send.
 */
class HalfCloseInteropTest {
    static final Duration EXCHANGE = Duration.ofSeconds(15);

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void afterOurShutdownOutputLinuxSeesEofAndStillSends() throws Exception {
        try (DpdkKernelLink link = DpdkKernelLink.open(PortKind.TAP)) {
            // wc -c ends only at EOF: its count arriving proves Linux saw our FIN; the echo after it is
            // Linux sending on the half-open connection.
            BackgroundProcess peer = link.ns.spawn("socat", "-t", "10", "TCP-LISTEN:7003,bind=" + KERNEL_IP + ",reuseaddr",
                    "SYSTEM:wc -c; echo sent-after-your-eof");
            link.ns.awaitListening(7003, peer);

            try (SocketChannel c = link.stack.openSocketChannel(StandardProtocolFamily.INET)) {
                c.connect(new InetSocketAddress(KERNEL_IP, 7003));
                ChannelIo.writeFully(c, ByteBuffer.wrap(new byte[1234]));
                c.shutdownOutput();
                String reply = new String(ChannelIo.readSmallToEof(c), StandardCharsets.US_ASCII);
                assertEquals("1234\nsent-after-your-eof\n", reply, () -> peer.snapshot().describe() + "\n" + link.counters());
            }
            peer.awaitSuccess(EXCHANGE, link::counters);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void afterLinuxHalfClosesWeReadEofAndStillWrite() throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
             DpdkKernelLink link = DpdkKernelLink.open(PortKind.TAP);
             ServerSocketChannel ss = link.stack.openServerSocketChannel(StandardProtocolFamily.INET)) {
            ss.bind(new InetSocketAddress(STACK_IP, 7004));
            Future<String> server = threads.submit(() -> {
                try (SocketChannel a = ss.accept()) {
                    // readSmallToEof returns only once read() gave -1: Linux's FIN.
                    String got = new String(ChannelIo.readSmallToEof(a), StandardCharsets.US_ASCII);
                    ChannelIo.writeFully(a, ByteBuffer.wrap("written-after-your-fin\n".getBytes(StandardCharsets.US_ASCII)));
                    return got;
                }
            });

            // nc -N shuts its socket's output down at the end of its stdin and goes on reading.
            CommandResult nc = link.ns.shell(EXCHANGE, "printf 'hello from linux\\n' | nc -N " + STACK_IP + " 7004");

            assertEquals(0, nc.exitCode(), () -> nc.describe() + "\n" + link.counters());
            assertEquals("hello from linux\n", server.get(10, TimeUnit.SECONDS));
            assertEquals("written-after-your-fin\n", nc.stdout(), () -> nc.describe() + "\n" + link.counters());
        }
    }
}
