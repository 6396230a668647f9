package io.dmm.stack.userspace.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ReceiveBufferTest {
    /** A pool of its own per buffer, without a practical limit. */
    private static ChunkPool pool() {
        return new ChunkPool(1L << 30, new io.dmm.stack.userspace.StackCounters());
    }

    private static byte[] stream(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static int insert(ReceiveBuffer rb, byte[] data, int streamFrom, int len, int rcvNxt) {
        return rb.insert(streamFrom - rcvNxt, MemorySegment.ofArray(data), streamFrom, len);
    }

    private static byte[] readAll(ReceiveBuffer rb, boolean direct) {
        ByteBuffer dst = direct ? ByteBuffer.allocateDirect(rb.readable()) : ByteBuffer.allocate(rb.readable());
        rb.read(dst);
        dst.flip();
        byte[] out = new byte[dst.remaining()];
        dst.get(out);
        return out;
    }

    private static int[] blocks(ReceiveBuffer rb) {
        int[] out = new int[8];
        int n = rb.sackBlocks(out, 4);
        return Arrays.copyOf(out, 2 * n);
    }

    @Test
    void inOrderDataBecomesReadable() {
        try (ReceiveBuffer rb = new ReceiveBuffer(pool(), 100)) {
            byte[] s = stream(1, 50);
            assertEquals(30, insert(rb, s, 0, 30, 0));
            assertEquals(30, rb.readable());
            assertEquals(70, rb.window());
            assertEquals(20, insert(rb, s, 20, 30, 30)); // overlaps 10 old bytes
            assertArrayEquals(s, readAll(rb, false));
            assertEquals(100, rb.window());
            assertEquals(0, insert(rb, s, 0, 50, 50)); // pure duplicate
        }
    }

    @Test
    void gapFillDeliversBufferedDataAndSackBlocksAreMostRecentFirst() {
        try (ReceiveBuffer rb = new ReceiveBuffer(pool(), 1000)) {
            byte[] s = stream(2, 100);
            assertEquals(0, insert(rb, s, 10, 10, 0));
            assertEquals(0, insert(rb, s, 30, 10, 0));
            assertEquals(0, insert(rb, s, 50, 10, 0));
            assertTrue(rb.hasOutOfOrder());
            assertEquals(30, rb.outOfOrderBytes());
            assertArrayEquals(new int[] {50, 60, 30, 40, 10, 20}, blocks(rb));
            assertEquals(0, insert(rb, s, 25, 5, 0)); // joins 30..40: that range is now the newest
            assertArrayEquals(new int[] {25, 40, 50, 60, 10, 20}, blocks(rb));
            int[] one = new int[2];
            assertEquals(1, rb.sackBlocks(one, 1));
            assertArrayEquals(new int[] {25, 40}, one);
            assertEquals(20, insert(rb, s, 0, 10, 0)); // 0..10 plus buffered 10..20
            assertArrayEquals(new int[] {5, 20, 30, 40}, blocks(rb)); // relative to the new RCV.NXT 20
            assertEquals(0, rb.window() - 980);
            assertEquals(40, insert(rb, s, 20, 30, 20)); // 20..50 bridges to 60
            assertFalse(rb.hasOutOfOrder());
            assertEquals(0, blocks(rb).length);
            assertArrayEquals(Arrays.copyOf(s, 60), readAll(rb, true));
        }
    }

    @Test
    void dataBeyondTheWindowIsCut() {
        try (ReceiveBuffer rb = new ReceiveBuffer(pool(), 20)) {
            byte[] s = stream(3, 40);
            assertEquals(0, insert(rb, s, 15, 20, 0)); // only 15..20 kept
            assertArrayEquals(new int[] {15, 20}, blocks(rb));
            assertEquals(0, insert(rb, s, 20, 5, 0)); // entirely beyond
            assertEquals(20, insert(rb, s, 0, 15, 0));
            assertEquals(0, rb.window());
            assertEquals(0, insert(rb, s, 20, 5, 20));
            assertArrayEquals(Arrays.copyOf(s, 20), readAll(rb, false));
        }
    }

    @Test
    void wrapsAroundTheRingEnd() {
        try (ReceiveBuffer rb = new ReceiveBuffer(pool(), 16)) {
            byte[] s = stream(4, 64);
            assertEquals(12, insert(rb, s, 0, 12, 0));
            assertArrayEquals(Arrays.copyOf(s, 12), readAll(rb, false)); // head now at 12
            assertEquals(0, insert(rb, s, 18, 6, 12)); // ring 2..8, after the wrap
            assertEquals(0, insert(rb, s, 14, 4, 12)); // ring 14..16 and 0..2: straddles the wrap
            assertEquals(12, insert(rb, s, 12, 2, 12)); // fills, 12..24 in order across the wrap
            assertArrayEquals(Arrays.copyOfRange(s, 12, 24), readAll(rb, true));
        }
    }

    @Test
    void tooManyRangesDropsTheNewSegmentButStillMergesIntoExistingOnes() {
        try (ReceiveBuffer rb = new ReceiveBuffer(pool(), 10_000)) {
            byte[] s = stream(5, 10_000);
            for (int i = 0; i < ReceiveBuffer.MAX_RANGES; i++) {
                insert(rb, s, 10 + 10 * i, 5, 0);
            }
            long held = rb.outOfOrderBytes();
            assertEquals(0, insert(rb, s, 5000, 5, 0)); // a 33rd range: dropped
            assertEquals(held, rb.outOfOrderBytes());
            insert(rb, s, 15, 5, 0); // bridges two ranges: accepted
            assertEquals(held + 5, rb.outOfOrderBytes());
            assertEquals(ReceiveBuffer.MAX_RANGES - 1, blocks(rb).length == 0 ? -1 : rb.sackBlocks(new int[64], 64));
            assertEquals(25, insert(rb, s, 0, 10, 0)); // 0..10 + 10..25, then the gap at 25
            assertArrayEquals(Arrays.copyOf(s, 25), readAll(rb, false));
            assertEquals(ReceiveBuffer.MAX_RANGES - 2, rb.sackBlocks(new int[64], 64));
        }
    }

    @Test
    void skipAndPeek() {
        try (ReceiveBuffer rb = new ReceiveBuffer(pool(), 32)) {
            byte[] s = stream(6, 32);
            insert(rb, s, 0, 20, 0);
            byte[] peeked = new byte[5];
            assertEquals(5, rb.peek(MemorySegment.ofArray(peeked), 0, 5));
            assertArrayEquals(Arrays.copyOf(s, 5), peeked);
            rb.skip(15);
            assertEquals(5, rb.readable());
            assertArrayEquals(Arrays.copyOfRange(s, 15, 20), readAll(rb, false));
            assertThrows(IllegalArgumentException.class, () -> rb.skip(1));
        }
    }

    /**
     * A random byte stream cut into random segments (with duplicates and overlapping
     * retransmissions) delivered in random order, with the reader draining at random, reassembles
     * exactly. Like a real sender, segments are resent until everything is acknowledged.
     */
    @Property(tries = 150, seed = "4242")
    void reassemblesAnySegmentationInAnyOrder(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 3000) int length,
            @ForAll @IntRange(min = 16, max = 600) int capacity,
            @ForAll @IntRange(min = 1, max = 300) int maxSegment) {
        reassembles(seed, length, capacity, maxSegment);
    }

    /** The same across chunk boundaries: streams and windows of several chunks. */
    @Property(tries = 40, seed = "4343")
    void reassemblesAcrossChunks(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 5 * ChunkPool.CHUNK_SIZE) int length,
            @ForAll @IntRange(min = ChunkPool.CHUNK_SIZE / 2, max = 3 * ChunkPool.CHUNK_SIZE) int capacity,
            @ForAll @IntRange(min = 200, max = 3000) int maxSegment) {
        reassembles(seed, length, capacity, maxSegment);
    }

    private static void reassembles(long seed, int length, int capacity, int maxSegment) {
        Random r = new Random(seed);
        byte[] s = stream(seed, length);
        List<int[]> segments = new ArrayList<>();
        for (int pos = 0; pos < length; ) {
            int len = 1 + r.nextInt(Math.min(maxSegment, length - pos));
            segments.add(new int[] {pos, len});
            pos += len;
        }
        for (int i = 0, n = segments.size(); i < n / 2 + 1; i++) { // overlapping retransmissions and duplicates
            int from = r.nextInt(length);
            segments.add(new int[] {from, 1 + r.nextInt(Math.min(2 * maxSegment, length - from))});
        }
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int rcvNxt = 0;
        int[] sack = new int[2 * ReceiveBuffer.MAX_RANGES];
        try (ReceiveBuffer rb = new ReceiveBuffer(pool(), capacity)) {
            for (int pass = 0; rcvNxt < length; pass++) {
                assertTrue(pass < 100_000, "no progress");
                Collections.shuffle(segments, r);
                for (int[] seg : segments) {
                    int before = rb.readable();
                    int advanced = insert(rb, s, seg[0], seg[1], rcvNxt);
                    rcvNxt += advanced;
                    assertEquals(before + advanced, rb.readable());
                    assertEquals(capacity - rb.readable(), rb.window());
                    int n = rb.sackBlocks(sack, ReceiveBuffer.MAX_RANGES);
                    for (int i = 0; i < n; i++) {
                        assertTrue(sack[2 * i] > 0 && sack[2 * i] < sack[2 * i + 1] && sack[2 * i + 1] <= rb.window());
                    }
                    if (r.nextInt(4) == 0) {
                        ByteBuffer dst = ByteBuffer.allocate(r.nextInt(capacity + 1));
                        rb.read(dst);
                        got.write(dst.array(), 0, dst.position());
                    }
                }
                byte[] rest = readAll(rb, pass % 2 == 0);
                got.write(rest, 0, rest.length);
            }
            assertEquals(0, rb.readable());
        }
        assertArrayEquals(s, got.toByteArray());
    }
}
