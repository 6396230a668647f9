package io.dmm.stack.userspace.e2e;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * A long, seeded byte stream cut into chunks, cheap to produce at GB/s: each chunk is a window of a
 * random block (whose odd length keeps windows from lining up with segment sizes) and starts with
 * its own index, so no two chunks are equal and a byte delivered at the wrong stream offset (a
 * segment placed a whole block off, a chunk repeated or skipped) changes the receiver's hash.
 */
final class StreamPattern {
    static final int CHUNK = 64 * 1024;
    private static final int BLOCK = (1 << 20) + 4093;

    private final byte[] doubled = new byte[2 * BLOCK];

    StreamPattern(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < BLOCK; i++) doubled[i] = (byte) r.nextInt();
        System.arraycopy(doubled, 0, doubled, BLOCK, BLOCK);
    }

    /** Fills {@code chunk} (position 0, limit its length ≤ CHUNK) with chunk number {@code index}. */
    void fill(long index, ByteBuffer chunk) {
        int length = chunk.limit();
        int start = (int) ((index * CHUNK) % BLOCK);
        chunk.clear().limit(length);
        chunk.put(doubled, start, length);
        if (length >= 8) chunk.putLong(0, index);
        chunk.flip();
    }
}
