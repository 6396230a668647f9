package io.dmm.stack.userspace.tcp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Received bytes waiting for the application, plus out-of-order data held at its place until the
 * gap fills (the reassembly queue): an off-heap ring of {@code capacity} bytes. Offsets in
 * {@link #insert} are relative to the next in-order byte (RCV.NXT). Keeps the bookkeeping of up to
 * {@link #MAX_RANGES} out-of-order ranges allocation-free and reports them as SACK blocks, most
 * recently changed first (RFC 2018 §4).
 *
 * <p>Out-of-order bytes are stored directly at their final ring position inside the advertised
 * window, so the ring always holds readable + window = capacity bytes and never has to copy data
 * when a gap fills. A segment that would need more than {@link #MAX_RANGES} separate ranges is
 * dropped (the peer retransmits it): the cost of an adversarial scatter of tiny segments stays
 * bounded. Shared arena: the application reads and the poll thread inserts, under the stack lock.
 */
public final class ReceiveBuffer implements AutoCloseable {
    /** Maximum number of disjoint out-of-order ranges tracked. */
    public static final int MAX_RANGES = 32;

    private final Arena arena;
    private final MemorySegment memory;
    private final ByteBuffer view;
    private final int capacity;
    private int head;
    private int readable;
    private boolean closed;

    /** Out-of-order ranges [start, end) relative to RCV.NXT, sorted, disjoint and non-adjacent. */
    private final int[] rangeStart = new int[MAX_RANGES];
    private final int[] rangeEnd = new int[MAX_RANGES];
    /** When each range last changed (a counter), for the SACK block order. */
    private final long[] rangeStamp = new long[MAX_RANGES];
    private int ranges;
    private long clock;

    public ReceiveBuffer(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.arena = Arena.ofShared();
        this.memory = arena.allocate(capacity, 64);
        this.view = memory.asByteBuffer();
    }

    public int capacity() {
        return capacity;
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
        if (s > 0 && !recordOutOfOrder(s, e)) {
            return 0;
        }
        copyIn(s, src, srcOffset, e - s);
        if (s > 0) {
            return 0;
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

    private void copyIn(int offset, MemorySegment src, long srcOffset, int length) {
        int pos = wrap(head + (long) readable + offset);
        int first = Math.min(length, capacity - pos);
        MemorySegment.copy(src, srcOffset, memory, pos, first);
        if (length > first) {
            MemorySegment.copy(src, srcOffset + first, memory, 0, length - first);
        }
    }

    /** Copies in-order bytes into {@code dst}; returns the count. */
    public int read(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), readable);
        if (n == 0) {
            return 0;
        }
        int first = Math.min(n, capacity - head);
        int pos = dst.position();
        dst.put(pos, view, head, first);
        if (n > first) {
            dst.put(pos + first, view, 0, n - first);
        }
        dst.position(pos + n);
        advanceHead(n);
        return n;
    }

    /** Copies up to {@code length} in-order bytes into memory without consuming them; returns the count. */
    public int peek(MemorySegment dst, long dstOffset, int length) {
        int n = Math.min(Math.max(0, length), readable);
        int first = Math.min(n, capacity - head);
        MemorySegment.copy(memory, head, dst, dstOffset, first);
        if (n > first) {
            MemorySegment.copy(memory, 0, dst, dstOffset + first, n - first);
        }
        return n;
    }

    /** Discards {@code n} in-order bytes (shutdownInput). */
    public void skip(int n) {
        if (n < 0 || n > readable) {
            throw new IllegalArgumentException("cannot skip " + n + " of " + readable + " readable bytes");
        }
        advanceHead(n);
    }

    private void advanceHead(int n) {
        readable -= n;
        head = wrap(head + (long) n);
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

    /** Frees the off-heap memory. Idempotent; any later access fails with IllegalStateException. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }

    private int wrap(long position) {
        return (int) (position >= capacity ? position - capacity : position);
    }
}
