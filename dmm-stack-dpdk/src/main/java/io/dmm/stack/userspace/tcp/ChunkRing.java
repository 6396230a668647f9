package io.dmm.stack.userspace.tcp;

import static io.dmm.stack.userspace.tcp.ChunkPool.CHUNK_MASK;
import static io.dmm.stack.userspace.tcp.ChunkPool.CHUNK_SHIFT;
import static io.dmm.stack.userspace.tcp.ChunkPool.CHUNK_SIZE;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A byte queue stored in {@link ChunkPool} chunks: position 0 is the oldest byte held, and the
 * chunk for any position is taken from the pool when a byte is first stored there, so positions
 * may be filled out of order (the receive side's reassembly) and unfilled ranges cost nothing.
 * Chunks go back to the pool as the head passes them ({@link #advance}) or all at once
 * ({@link #releaseAll}). Copies run per chunk, in bulk; nothing allocates except the slot table,
 * which grows (doubling) with the largest span used and is then kept.
 *
 * <p>The slot table is a power-of-two circular array of chunk ids (-1 where none is held); slot
 * {@code first} holds the chunk of position 0, which starts {@code headOffset} bytes into it.
 */
final class ChunkRing {
    private static final int NONE = -1;
    private static final int INITIAL_SLOTS = 4;

    private final ChunkPool pool;
    private int[] slots;
    private int first;
    private int headOffset;
    private int held;
    /** Where the last {@link #piece} lies: its chunk and its offset in the chunk's slab. */
    private int pieceChunk;
    private int pieceAt;

    ChunkRing(ChunkPool pool) {
        this.pool = pool;
    }

    /** Whether the pool refuses ordinary takes now. */
    boolean poolExhausted() {
        return pool.exhausted();
    }

    /** Counts a segment (or its tail) dropped because the pool refused its chunks. */
    void countDrop() {
        pool.countDrop();
    }

    /** Chunks held. */
    int held() {
        return held;
    }

    /** Bytes that can be stored from {@code position} on without taking a chunk (0 if its chunk is not held). */
    int heldSpaceFrom(long position) {
        if (held == 0) return 0;
        long p = headOffset + position;
        int k = (int) (p >>> CHUNK_SHIFT);
        int space = 0;
        while (k < slots.length && slots[(first + k) & (slots.length - 1)] != NONE) {
            space += CHUNK_SIZE - (int) (p & CHUNK_MASK);
            p = (long) ++k << CHUNK_SHIFT;
        }
        return space;
    }

    /**
     * Takes the chunks still missing under positions [from, to), all or none: false (none taken)
     * if the pool's limit does not allow them all.
     */
    boolean reserve(long from, long to) {
        if (to <= from) return true;
        int k0 = (int) ((headOffset + from) >>> CHUNK_SHIFT);
        int k1 = (int) ((headOffset + to - 1) >>> CHUNK_SHIFT);
        ensureSlots(k1);
        int missing = 0;
        for (int k = k0; k <= k1; k++) {
            if (slots[slot(k)] == NONE) missing++;
        }
        if (missing == 0) return true;
        if (!pool.admits(missing)) return false;
        for (int k = k0; k <= k1; k++) {
            if (chunk(k) == NONE) return false; // no slab could be allocated: what was taken is kept, unused
        }
        return true;
    }

    /**
     * Copies up to {@code length} bytes from {@code src} to positions from {@code position} on,
     * taking chunks as needed; stops where the pool refuses one. Returns the count copied.
     */
    int copyIn(long position, MemorySegment src, long srcOffset, int length) {
        int done = 0;
        for (int n; done < length && (n = piece(position + done, length - done, true)) > 0; done += n) {
            MemorySegment.copy(src, srcOffset + done, pool.segment(pieceChunk), pieceAt, n);
        }
        return done;
    }

    /** As {@link #copyIn(long, MemorySegment, long, int)} from {@code src}'s bytes at {@code srcIndex} (any kind of buffer). */
    int copyIn(long position, ByteBuffer src, int srcIndex, int length) {
        int done = 0;
        for (int n; done < length && (n = piece(position + done, length - done, true)) > 0; done += n) {
            pool.view(pieceChunk).put(pieceAt, src, srcIndex + done, n);
        }
        return done;
    }

    /** Copies {@code length} stored bytes from {@code position} on into memory. */
    void copyOut(long position, MemorySegment dst, long dstOffset, int length) {
        for (int done = 0, n; done < length; done += n) {
            n = piece(position + done, length - done, false);
            MemorySegment.copy(pool.segment(pieceChunk), pieceAt, dst, dstOffset + done, n);
        }
    }

    /**
     * Inserts {@code length} stored bytes from {@code position} on into {@code dst}, {@code dstOffset}
     * bytes after its RCV.NXT, one chunk's piece at a time; each piece's offset is shifted back by
     * what the pieces before it made in-order there. Returns the bytes made in-order in all.
     */
    int transferTo(long position, ReceiveBuffer dst, int dstOffset, int length) {
        int advanced = 0;
        for (int done = 0, n; done < length; done += n) {
            n = piece(position + done, length - done, false);
            advanced += dst.insert(dstOffset + done - advanced, pool.segment(pieceChunk), pieceAt, n);
        }
        return advanced;
    }

    /** Copies {@code length} stored bytes from {@code position} on into {@code dst} at {@code dstIndex}. */
    void copyOut(long position, ByteBuffer dst, int dstIndex, int length) {
        for (int done = 0, n; done < length; done += n) {
            n = piece(position + done, length - done, false);
            dst.put(dstIndex + done, pool.view(pieceChunk), pieceAt, n);
        }
    }

    /**
     * The part of [position, position + length) inside one chunk: returns its length and sets
     * {@link #pieceChunk} and {@link #pieceAt} (its offset in the chunk's slab). With {@code take},
     * a missing chunk is taken from the pool (0 if refused); without, it must be held.
     */
    private int piece(long position, int length, boolean take) {
        long p = headOffset + position;
        int k = (int) (p >>> CHUNK_SHIFT);
        int c = take ? chunk(k) : slots[slot(k)];
        if (c == NONE) return 0;
        int within = (int) (p & CHUNK_MASK);
        pieceChunk = c;
        pieceAt = ChunkPool.offset(c) + within;
        return Math.min(length, CHUNK_SIZE - within);
    }

    /** Drops the first {@code n} positions; chunks wholly passed go back to the pool. */
    void advance(int n) {
        if (slots == null) return; // nothing was ever stored
        headOffset += n;
        while (headOffset >= CHUNK_SIZE) {
            int s = first;
            if (slots[s] != NONE) release(s);
            first = (s + 1) & (slots.length - 1);
            headOffset -= CHUNK_SIZE;
        }
    }

    /** Gives every chunk back; the ring is empty, position 0 at a chunk's start. */
    void releaseAll() {
        if (held > 0) {
            for (int s = 0; s < slots.length; s++) {
                if (slots[s] != NONE) release(s);
            }
        }
        first = 0;
        headOffset = 0;
    }

    private void release(int s) {
        pool.give(slots[s]);
        slots[s] = NONE;
        held--;
    }

    /** The chunk under relative chunk index {@code k}, taken from the pool if not held (forced for an empty ring); NONE if refused. */
    private int chunk(int k) {
        ensureSlots(k);
        int s = slot(k);
        int c = slots[s];
        if (c == NONE) {
            c = pool.take(held == 0);
            if (c == NONE) return NONE;
            slots[s] = c;
            held++;
        }
        return c;
    }

    private int slot(int k) {
        return (first + k) & (slots.length - 1);
    }

    private void ensureSlots(int k) {
        if (slots == null) {
            int n = INITIAL_SLOTS;
            while (n <= k) n <<= 1;
            slots = new int[n];
            Arrays.fill(slots, NONE);
            return;
        }
        if (k < slots.length) return;
        int n = slots.length;
        while (n <= k) n <<= 1;
        int[] grown = new int[n];
        Arrays.fill(grown, NONE);
        for (int i = 0; i < slots.length; i++) grown[i] = slots[(first + i) & (slots.length - 1)];
        slots = grown;
        first = 0;
    }
}
