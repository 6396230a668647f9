package io.dmm.stack.userspace.tcp;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Received bytes waiting for the application, plus out-of-order data held at its place until the
 * gap fills (the reassembly queue), stored in chunks of its stack's {@link ChunkPool}. Offsets in
 * {@link #insert} are relative to the next in-order byte (RCV.NXT). Keeps the bookkeeping of up to
 * {@link #MAX_RANGES} out-of-order ranges allocation-free and reports them as SACK blocks, most
 * recently changed first (RFC 2018 §4).
 *
 * <p>Out-of-order bytes are stored directly at their final position inside the window, taking the
 * chunks under that position on demand, so nothing is copied when a gap fills. A chunk goes back to
 * the pool once the application has read all its bytes, and the last one when nothing is left to
 * read or reassemble: an idle connection holds no memory. When the pool's limit is reached,
 * out-of-order segments are dropped whole and in-order data is cut to the chunks the connection
 * can get (counted as {@code drop_tcp_memory}; the peer retransmits). A segment that would need
 * more than {@link #MAX_RANGES} separate ranges is dropped too: the cost of an adversarial scatter
 * of tiny segments stays bounded. The application reads and the poll thread inserts, under the
 * stack lock.
 */
public final class ReceiveBuffer implements AutoCloseable {
    /** Maximum number of disjoint out-of-order ranges tracked. */
    public static final int MAX_RANGES = 32;

    private final ChunkRing ring;
    private int capacity;
    private int readable;

    /** Out-of-order ranges [start, end) relative to RCV.NXT, sorted, disjoint and non-adjacent; made at the first. */
    private int[] rangeStart;
    private int[] rangeEnd;
    /** When each range last changed (a counter), for the SACK block order. */
    private long[] rangeStamp;
    private int ranges;
    private long clock;

    public ReceiveBuffer(ChunkPool pool, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.ring = new ChunkRing(pool);
    }

    public int capacity() {
        return capacity;
    }

    /** SO_RCVBUF changed: the caller never sets it below the readable bytes plus the window already offered. */
    void setCapacity(int capacity) {
        this.capacity = capacity;
    }

    /** In-order bytes ready for the application. */
    public int readable() {
        return readable;
    }

    /** Space for new data beyond RCV.NXT: capacity − readable (what the window may offer). */
    public int window() {
        return capacity - readable;
    }

    /**
     * Stores {@code length} bytes that start {@code offset} bytes after RCV.NXT (offset may be
     * negative for a segment that overlaps data already received: the old part is ignored; bytes
     * beyond the window are cut). Returns how many bytes became in-order (RCV.NXT advances by that).
     */
    public int insert(int offset, MemorySegment src, long srcOffset, int length) {
        if (length <= 0) {
            return 0;
        }
        long start = offset;
        long end = start + length;
        if (end <= 0) {
            return 0; // entirely a duplicate
        }
        if (start < 0) {
            srcOffset -= start;
            start = 0;
        }
        int window = capacity - readable;
        if (start >= window) {
            return 0;
        }
        if (end > window) {
            end = window;
        }
        int s = (int) start;
        int e = (int) end;
        if (s > 0) {
            if (!ring.reserve(readable + (long) s, readable + (long) e)) {
                ring.countDrop();
                return 0;
            }
            if (recordOutOfOrder(s, e)) ring.copyIn(readable + (long) s, src, srcOffset, e - s);
            return 0;
        }
        int copied = ring.copyIn(readable, src, srcOffset, e);
        if (copied < e) {
            ring.countDrop(); // the rest is not acknowledged: the peer sends it again
            e = copied;
            if (e == 0) return 0;
        }
        // In order: absorb every buffered range the new data reaches.
        int advance = e;
        int absorbed = 0;
        while (absorbed < ranges && rangeStart[absorbed] <= advance) {
            advance = Math.max(advance, rangeEnd[absorbed]);
            absorbed++;
        }
        removeRanges(0, absorbed);
        for (int i = 0; i < ranges; i++) {
            rangeStart[i] -= advance;
            rangeEnd[i] -= advance;
        }
        readable += advance;
        return advance;
    }

    /**
     * Merges [s, e) (s > 0) into the range list and stamps the result as most recent; false if
     * that would need more than {@link #MAX_RANGES} ranges.
     */
    private boolean recordOutOfOrder(int s, int e) {
        int i = 0;
        while (i < ranges && rangeEnd[i] < s) {
            i++;
        }
        int j = i;
        while (j < ranges && rangeStart[j] <= e) {
            j++;
        }
        if (i == j) {
            if (ranges == MAX_RANGES) {
                return false;
            }
            if (rangeStart == null) {
                rangeStart = new int[MAX_RANGES];
                rangeEnd = new int[MAX_RANGES];
                rangeStamp = new long[MAX_RANGES];
            }
            System.arraycopy(rangeStart, i, rangeStart, i + 1, ranges - i);
            System.arraycopy(rangeEnd, i, rangeEnd, i + 1, ranges - i);
            System.arraycopy(rangeStamp, i, rangeStamp, i + 1, ranges - i);
            rangeStart[i] = s;
            rangeEnd[i] = e;
            ranges++;
        } else {
            rangeStart[i] = Math.min(rangeStart[i], s);
            rangeEnd[i] = Math.max(rangeEnd[j - 1], e);
            removeRanges(i + 1, j - i - 1);
        }
        rangeStamp[i] = ++clock;
        return true;
    }

    private void removeRanges(int from, int n) {
        if (n <= 0) {
            return;
        }
        int tail = ranges - from - n;
        System.arraycopy(rangeStart, from + n, rangeStart, from, tail);
        System.arraycopy(rangeEnd, from + n, rangeEnd, from, tail);
        System.arraycopy(rangeStamp, from + n, rangeStamp, from, tail);
        ranges -= n;
    }

    /** Copies in-order bytes into {@code dst}; returns the count. */
    public int read(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), readable);
        if (n == 0) {
            return 0;
        }
        int pos = dst.position();
        ring.copyOut(0, dst, pos, n);
        dst.position(pos + n);
        advanceHead(n);
        return n;
    }

    /** Copies up to {@code length} in-order bytes into memory without consuming them; returns the count. */
    public int peek(MemorySegment dst, long dstOffset, int length) {
        int n = Math.min(Math.max(0, length), readable);
        ring.copyOut(0, dst, dstOffset, n);
        return n;
    }

    /** Discards {@code n} in-order bytes (shutdownInput). */
    public void skip(int n) {
        if (n < 0 || n > readable) {
            throw new IllegalArgumentException("cannot skip " + n + " of " + readable + " readable bytes");
        }
        advanceHead(n);
    }

    /** Read chunks go back to the pool; all of them when nothing is left to read or reassemble. */
    private void advanceHead(int n) {
        readable -= n;
        if (readable == 0 && ranges == 0) {
            ring.releaseAll();
        } else {
            ring.advance(n);
        }
    }

    /**
     * Bytes the window may offer beyond the {@code readable} ones while the pool's limit is reached:
     * the room left in chunks held at RCV.NXT (one chunk if none is held, the guaranteed minimum).
     */
    int spaceWithoutNewChunks() {
        return ring.held() == 0 ? ChunkPool.CHUNK_SIZE : ring.heldSpaceFrom(readable);
    }

    /** Chunks held (tests, diagnostics). */
    int chunks() {
        return ring.held();
    }

    public boolean hasOutOfOrder() {
        return ranges > 0;
    }

    /** Bytes held out of order (beyond a gap). */
    public long outOfOrderBytes() {
        long sum = 0;
        for (int i = 0; i < ranges; i++) {
            sum += rangeEnd[i] - rangeStart[i];
        }
        return sum;
    }

    /**
     * Writes up to {@code max} out-of-order ranges as (start, end) offsets relative to RCV.NXT into
     * {@code out[2i], out[2i+1]}, the most recently changed range first; returns how many.
     */
    public int sackBlocks(int[] out, int max) {
        int n = Math.min(Math.min(max, ranges), out.length / 2);
        long below = Long.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            // Selection by descending stamp: stamps are unique, at most MAX_RANGES² steps, no allocation.
            int best = -1;
            for (int i = 0; i < ranges; i++) {
                if (rangeStamp[i] < below && (best < 0 || rangeStamp[i] > rangeStamp[best])) {
                    best = i;
                }
            }
            out[2 * k] = rangeStart[best];
            out[2 * k + 1] = rangeEnd[best];
            below = rangeStamp[best];
        }
        return n;
    }

    /** Gives all memory back to the pool and empties the buffer. Idempotent. */
    @Override
    public void close() {
        readable = 0;
        ranges = 0;
        ring.releaseAll();
    }
}
