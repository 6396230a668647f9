package io.dmm.stack.userspace.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.wire.Ipv4Address;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.spi.SelectorProvider;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Gathering writes and scattering reads over the real engine keep the byte stream intact and
 * account for every byte, whatever the buffer layout: empty buffers, heap and direct, sizes that
 * end mid-segment, more than the send buffer at once (non-blocking: partial writes).
 */
class ScatterGatherPropertiesTest {
    private static TestStacks.TestStack stack;
    private static UserspaceServerSocketChannel server;

    @BeforeContainer
    static void start() throws IOException {
        stack = TestStacks.loopback();
        server = UserspaceServerSocketChannel.open(SelectorProvider.provider(), stack);
        server.bind(new InetSocketAddress(Ipv4Address.toInet(TestStacks.LOCAL), 0));
    }

    @AfterContainer
    static void stop() throws IOException {
        server.close();
        stack.close();
    }

    @Property(tries = 40, seed = "20261121")
    void theStreamArrivesIntact(@ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 70_000) Integer> writeSizes,
                                @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 0, max = 9_000) Integer> readSizes,
                                @ForAll long seed) throws Exception {
        Random random = new Random(seed);
        try (UserspaceSocketChannel c = UserspaceSocketChannel.open(SelectorProvider.provider(), stack)) {
            assertTrue(c.connect(server.getLocalAddress()));
            try (UserspaceSocketChannel a = (UserspaceSocketChannel) server.accept()) {
                c.configureBlocking(false);
                a.configureBlocking(false);
                int total = writeSizes.stream().mapToInt(Integer::intValue).sum();
                byte[] data = new byte[total];
                random.nextBytes(data);
                ByteBuffer[] srcs = new ByteBuffer[writeSizes.size()];
                int off = 0;
                for (int i = 0; i < srcs.length; i++) {
                    int n = writeSizes.get(i);
                    srcs[i] = random.nextBoolean() ? ByteBuffer.wrap(data, off, n).slice()
                            : ByteBuffer.allocateDirect(n).put(0, data, off, n);
                    off += n;
                }
                ByteBuffer[] dsts = new ByteBuffer[readSizes.size()];
                int room = 0;
                for (int i = 0; i < dsts.length; i++) {
                    int n = readSizes.get(i);
                    dsts[i] = random.nextBoolean() ? ByteBuffer.allocate(n) : ByteBuffer.allocateDirect(n);
                    room += n;
                }
                if (room == 0) {
                    // nothing to read into: a scattering read of empty buffers returns 0, even with data waiting
                    c.write(srcs, 0, srcs.length);
                    assertEquals(0, a.read(dsts, 0, dsts.length));
                    return;
                }
                ByteBuffer received = ByteBuffer.allocate(total);
                long written = 0;
                long lastProgress = System.nanoTime();
                while (received.hasRemaining()) {
                    long w = written < total ? c.write(srcs, 0, srcs.length) : 0;
                    assertTrue(w >= 0);
                    written += w;
                    for (ByteBuffer d : dsts) d.clear();
                    long r = a.read(dsts, 0, dsts.length);
                    assertTrue(r >= 0, "no end of stream before the writer closes");
                    long moved = 0;
                    for (ByteBuffer d : dsts) {
                        moved += d.position();
                        received.put(d.flip());
                    }
                    assertEquals(r, moved, "the count read is what the buffers got");
                    if (w > 0 || r > 0) {
                        lastProgress = System.nanoTime();
                    } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(5)) {
                        throw new AssertionError("stalled at " + received.position() + " of " + total);
                    } else {
                        // Nagle holds a small tail until the peer's delayed ACK, sent by the poll thread
                        Thread.sleep(1);
                    }
                }
                assertEquals(total, written, "every byte was taken by a write");
                for (ByteBuffer s : srcs) assertEquals(0, s.remaining(), "gathering writes consume the sources in order");
                assertArrayEquals(data, received.array());
            }
        }
    }
}
