package io.dmm.stack.userspace.interop;

import static io.dmm.stack.userspace.interop.DpdkKernelLink.KERNEL_IP;
import static io.dmm.stack.userspace.interop.DpdkKernelLink.STACK_IP;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.systemtest.host.BackgroundProcess;
import io.dmm.systemtest.host.CommandResult;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A megabyte each way between the userspace stack and Linux's {@code nc} and {@code socat}, in both
 * directions of connection, over both kinds of DPDK port and the tap driver. Each side's bytes are checked by SHA-256:
 * ours in Java, Linux's by {@code sha256sum} of the files nc and socat read and wrote.
 */
class NetcatSocatInteropTest {
    static final long SIZE = 1 << 20;
    static final Duration EXCHANGE = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(PortKind.class)
    @Timeout(value = 45, unit = TimeUnit.SECONDS)
    void linuxNcClientExchangesAMegabyteWithUserspaceServer(PortKind kind) throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
             DpdkKernelLink link = DpdkKernelLink.open(kind);
             ServerSocketChannel ss = link.stack.openServerSocketChannel(StandardProtocolFamily.INET)) {
            ss.bind(new InetSocketAddress(STACK_IP, 7001));
            Path in = link.ns.scratch().resolve("nc-in.bin");
            Path out = link.ns.scratch().resolve("nc-out.bin");
            SeededBytes.writeFile(in, 1, SIZE);
            // The server reads to nc's EOF (nc -N shuts its socket down after stdin), then answers.
            Future<String[]> server = threads.submit(() -> {
                try (SocketChannel a = ss.accept()) {
                    ChannelIo.Received got = ChannelIo.readToEof(a);
                    String sent = ChannelIo.writeAll(a, new SeededBytes(2, SIZE));
                    return new String[] {Long.toString(got.bytes()), got.sha256Hex(), sent};
                }
            });

            CommandResult nc = link.ns.shell(EXCHANGE, "nc -N " + STACK_IP + " 7001 < " + in + " > " + out);

            assertEquals(0, nc.exitCode(), () -> nc.describe() + "\n" + link.counters());
            String[] s = server.get(10, TimeUnit.SECONDS);
            assertEquals(Long.toString(SIZE), s[0], "bytes the userspace server received");
            assertEquals(Digests.sha256sum(link.ns, in), s[1], "what the server received against sha256sum of nc's input");
            assertEquals(s[2], Digests.sha256sum(link.ns, out), "sha256sum of nc's output against what the server sent");
        }
    }

    @ParameterizedTest
    @EnumSource(PortKind.class)
    @Timeout(value = 45, unit = TimeUnit.SECONDS)
    void userspaceClientExchangesAMegabyteWithLinuxSocatListenerBothWaysAtOnce(PortKind kind) throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
             DpdkKernelLink link = DpdkKernelLink.open(kind)) {
            Path in = link.ns.scratch().resolve("socat-in.bin");
            Path out = link.ns.scratch().resolve("socat-out.bin");
            SeededBytes.writeFile(in, 3, SIZE);
            // socat sends its file while it receives ours; -t: after one direction's EOF it waits
            // (up to 30 s, not the default 0.5 s) for the other before it ends.
            BackgroundProcess socat = link.ns.spawn("sh", "-c", "exec socat -t 30 TCP-LISTEN:7002,bind=" + KERNEL_IP
                    + ",reuseaddr STDIO < " + in + " > " + out);
            link.ns.awaitListening(7002, socat);

            String sent;
            ChannelIo.Received got;
            try (SocketChannel c = link.stack.openSocketChannel(StandardProtocolFamily.INET)) {
                c.connect(new InetSocketAddress(KERNEL_IP, 7002));
                Future<String> writer = threads.submit(() -> {
                    String h = ChannelIo.writeAll(c, new SeededBytes(4, SIZE));
                    c.shutdownOutput();
                    return h;
                });
                got = ChannelIo.readToEof(c);
                sent = writer.get(EXCHANGE.toSeconds(), TimeUnit.SECONDS);
            }

            socat.awaitSuccess(EXCHANGE, link::counters);
            assertEquals(SIZE, got.bytes(), "bytes the userspace client received");
            assertEquals(Digests.sha256sum(link.ns, in), got.sha256Hex(), "what we received against sha256sum of socat's input");
            assertEquals(sent, Digests.sha256sum(link.ns, out), "sha256sum of socat's output against what we sent");
        }
    }
}
