package io.dmm.stack.userspace.dpdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.spi.StackInstance;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two instances over a DPDK net_ring link in this JVM: TCP through real mbufs and ethdev bursts. */
@Timeout(60)
class RingLinkTest {
    @Test
    void tcpBytesCrossTheRingLinkBothWays() throws Exception {
        String link = "rl" + ProcessHandle.current().pid() % 100000;
        try (StackInstance a = DpdkStacks.up("ring-a", "10.88.0.1/24", DpdkStacks.ringLink(link), null);
             StackInstance b = DpdkStacks.up("ring-b", "10.88.0.2/24", DpdkStacks.ringLink(link), null);
             ServerSocketChannel server = b.openServerSocketChannel(StandardProtocolFamily.INET)) {
            server.bind(new InetSocketAddress("10.88.0.2", 7000));
            byte[] data = new byte[3 * 1024 * 1024 + 17];
            new Random(5).nextBytes(data);
            Thread echo = Thread.ofPlatform().start(() -> {
                try (SocketChannel c = server.accept()) {
                    ByteBuffer buf = ByteBuffer.allocate(65536);
                    while (c.read(buf) >= 0) {
                        buf.flip();
                        while (buf.hasRemaining()) c.write(buf);
                        buf.clear();
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            MessageDigest got = MessageDigest.getInstance("SHA-256");
            try (SocketChannel c = a.openSocketChannel(StandardProtocolFamily.INET)) {
                c.connect(new InetSocketAddress("10.88.0.2", 7000));
                Thread writer = Thread.ofPlatform().start(() -> {
                    try {
                        c.write(ByteBuffer.wrap(data));
                        c.shutdownOutput();
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                sent.update(data);
                ByteBuffer buf = ByteBuffer.allocate(65536);
                long total = 0;
                int n;
                while ((n = c.read(buf)) >= 0) {
                    buf.flip();
                    got.update(buf);
                    buf.clear();
                    total += n;
                }
                writer.join();
                assertEquals(data.length, total);
            }
            echo.join();
            assertArrayEquals(sent.digest(), got.digest());
            Map<String, Long> counters = a.counters();
            assertTrue(counters.get("device_port_tx_packets") > 0, counters.toString());
            assertTrue(counters.get("device_tx_frames") > 0, counters.toString());
        }
    }
}
