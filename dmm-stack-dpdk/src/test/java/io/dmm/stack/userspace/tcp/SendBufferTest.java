package io.dmm.stack.userspace.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SendBufferTest {
    /** A pool of its own per buffer, without a practical limit. */
    private static ChunkPool pool() {
        return new ChunkPool(1L << 30, new io.dmm.stack.userspace.StackCounters());
    }

    private static byte[] bytes(int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    private static byte[] copyOut(SendBuffer sb, int offset, int length) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment seg = a.allocate(length + 3);
            sb.copyOut(offset, seg, 3, length);
            return seg.asSlice(3, length).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Test
    void oddCapacityIsExactAndWritesStopWhenFull() {
        try (SendBuffer sb = new SendBuffer(pool(), 7)) {
            assertEquals(7, sb.capacity());
            ByteBuffer src = ByteBuffer.wrap(bytes(0, 10));
            assertEquals(7, sb.write(src));
            assertEquals(7, src.position());
            assertEquals(0, sb.free());
            assertEquals(0, sb.write(src));
            assertArrayEquals(bytes(0, 7), copyOut(sb, 0, 7));
        }
    }

    @Test
    void wrapsAroundTheRingEnd() {
        try (SendBuffer sb = new SendBuffer(pool(), 10)) {
            sb.write(ByteBuffer.wrap(bytes(0, 8)));
            sb.consume(6); // head at 6, 2 bytes held
            assertEquals(8, sb.write(ByteBuffer.wrap(bytes(8, 8)))); // 6..9 then 0..3
            assertEquals(10, sb.size());
            assertArrayEquals(bytes(6, 10), copyOut(sb, 0, 10));
            assertArrayEquals(bytes(9, 5), copyOut(sb, 3, 5)); // straddles the wrap
            sb.consume(10);
            assertEquals(0, sb.size());
            assertEquals(10, sb.free());
        }
    }

    @Test
    void acceptsHeapDirectReadOnlyAndSlicedSources() {
        try (SendBuffer sb = new SendBuffer(pool(), 64)) {
            ByteBuffer heap = ByteBuffer.wrap(bytes(0, 20), 5, 10).slice(); // arrayOffset 5
            ByteBuffer direct = ByteBuffer.allocateDirect(10).put(bytes(15, 10)).flip();
            ByteBuffer readOnly = ByteBuffer.wrap(bytes(25, 10)).asReadOnlyBuffer();
            assertEquals(10, sb.write(heap));
            assertEquals(10, sb.write(direct));
            assertEquals(10, sb.write(readOnly));
            assertEquals(0, direct.remaining());
            assertArrayEquals(bytes(5, 30), copyOut(sb, 0, 30));
        }
    }

    @Test
    void misuseIsRejected() {
        try (SendBuffer sb = new SendBuffer(pool(), 16)) {
            sb.write(ByteBuffer.wrap(bytes(0, 4)));
            assertThrows(IllegalArgumentException.class, () -> sb.consume(5));
            assertThrows(IllegalArgumentException.class, () -> copyOut(sb, 2, 3));
            assertThrows(IllegalArgumentException.class, () -> new SendBuffer(pool(), 0));
        }
        ChunkPool pool = pool();
        SendBuffer closed = new SendBuffer(pool, 4);
        closed.write(ByteBuffer.wrap(bytes(0, 3)));
        assertEquals(1, pool.chunksInUse());
        closed.close();
        closed.close(); // idempotent
        assertEquals(0, pool.chunksInUse());
        assertEquals(0, closed.size());
    }

    /** Random writes, partial acknowledgements and reads at random offsets against a deque model. */
    @Property(tries = 200, seed = "77")
    void behavesLikeAByteQueue(@ForAll @IntRange(min = 1, max = 3 * ChunkPool.CHUNK_SIZE) int capacity, @ForAll long seed) {
        Random r = new Random(seed);
        ArrayDeque<Byte> model = new ArrayDeque<>();
        int next = 0;
        try (SendBuffer sb = new SendBuffer(pool(), capacity)) {
            for (int op = 0; op < 100; op++) {
                if (r.nextBoolean()) {
                    int n = r.nextInt(capacity + 10);
                    byte[] data = bytes(next, n);
                    ByteBuffer src = r.nextBoolean() ? ByteBuffer.wrap(data) : ByteBuffer.allocateDirect(n).put(data).flip();
                    int wrote = sb.write(src);
                    assertEquals(Math.min(n, capacity - model.size()), wrote);
                    for (int i = 0; i < wrote; i++) {
                        model.add(data[i]);
                    }
                    next += wrote;
                } else {
                    int n = model.isEmpty() ? 0 : r.nextInt(model.size() + 1);
                    sb.consume(n);
                    for (int i = 0; i < n; i++) {
                        model.poll();
                    }
                }
                assertEquals(model.size(), sb.size());
                assertEquals(capacity - model.size(), sb.free());
                if (!model.isEmpty()) {
                    int off = r.nextInt(model.size());
                    int len = r.nextInt(model.size() - off + 1);
                    byte[] expected = new byte[len];
                    int i = 0;
                    int k = 0;
                    for (byte b : model) {
                        if (k >= off && i < len) {
                            expected[i++] = b;
                        }
                        k++;
                    }
                    assertArrayEquals(expected, copyOut(sb, off, len));
                }
            }
        }
    }
}
