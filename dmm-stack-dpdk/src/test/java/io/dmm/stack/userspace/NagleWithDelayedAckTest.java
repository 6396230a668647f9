package io.dmm.stack.userspace;

import static io.dmm.stack.userspace.UserspaceStackTest.create;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.spi.StackInstance;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One thread writes a burst on a connection without TCP_NODELAY and reads it at the other end,
 * again and again, as ShardScalingBenchmark does. A 64 KiB write on the loopback device (MTU
 * 65,535) is one full segment and a short tail; the tail used to wait for Nagle until the
 * receiver's 40 ms delayed ACK, every burst. As on Linux it must not: the tail goes when no other
 * short segment is unacknowledged, and the read that drains it ACKs at once. Counted by the
 * delayed-ACK timer's ACKs, which only a thread stalled for 40 ms between its write and read
 * may still cause now.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NagleWithDelayedAckTest {
    private static final int ROUNDS = 20;
    private static final Duration WITHIN = Duration.ofSeconds(20);

    @ParameterizedTest(name = "{0} shard(s)")
    @ValueSource(ints = {1, 2})
    void burstsOf64KiBOnTheLoopbackDevice(int shards) throws Exception {
        try (StackInstance s = create("nagle" + shards, Map.of("address", "198.51.100.1/24",
                "device", Map.of("driver", "loopback"), "shards", (long) shards));
             ServerSocketChannel ss = s.openServerSocketChannel(null)) {
            ss.bind(new InetSocketAddress("198.51.100.1", 0));
            try (SocketChannel c = s.openSocketChannel(null)) {
                c.connect(ss.getLocalAddress());
                try (SocketChannel a = ss.accept()) {
                    assertBurstsNeedNoTimer(c, a, 64 * 1024, s);
                }
            }
        }
    }

    @Test
    void burstsOver1500ByteLinksBetweenTwoInstances() throws Exception {
        try (StackInstance left = create("nagle-l", Map.of("address", "10.7.0.1/24", "device", Map.of("driver", "pair", "link", "nagle")));
             StackInstance right = create("nagle-r", Map.of("address", "10.7.0.2/24", "device", Map.of("driver", "pair", "link", "nagle")));
             ServerSocketChannel ss = right.openServerSocketChannel(null)) {
            ss.bind(new InetSocketAddress("10.7.0.2", 0));
            try (SocketChannel c = left.openSocketChannel(null)) {
                c.connect(ss.getLocalAddress());
                try (SocketChannel a = ss.accept()) {
                    assertBurstsNeedNoTimer(c, a, 64 * 1024, left, right);
                    assertBurstsNeedNoTimer(c, a, 1461, left, right); // one MSS (1448 or 1460) and a little
                }
            }
        }
    }

    private static void assertBurstsNeedNoTimer(SocketChannel writer, SocketChannel reader, int size, StackInstance... stacks) {
        long before = delayedAcks(stacks);
        ByteBuffer out = ByteBuffer.allocateDirect(size);
        ByteBuffer in = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++) out.put(i, (byte) (i * 31 + 7));
        assertTimeoutPreemptively(WITHIN, () -> {
            for (int round = 0; round < ROUNDS; round++) {
                out.clear();
                while (out.hasRemaining()) writer.write(out);
                in.clear();
                while (in.hasRemaining()) assertTrue(reader.read(in) >= 0);
                assertEquals(out.flip(), in.flip());
            }
        });
        long timerAcks = delayedAcks(stacks) - before;
        assertTrue(timerAcks <= ROUNDS / 4, timerAcks + " of " + ROUNDS + " bursts of " + size + " bytes waited for a delayed ACK");
    }

    private static long delayedAcks(StackInstance... stacks) {
        long n = 0;
        for (StackInstance s : stacks) n += s.counters().get("tcp_delayed_acks");
        return n;
    }
}
