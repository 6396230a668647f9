package io.dmm.stack.userspace.tcp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The bytes a connection has taken from the application and not yet seen acknowledged: an off-heap
 * ring. Offset 0 is the oldest unacknowledged byte (SND.UNA); the engine maps sequence numbers to
 * offsets. Allocation-free after construction.
 *
 * <p>The memory comes from a shared arena because application threads write and the poll thread
 * reads, always under the stack lock. Copies from application buffers go through one
 * {@link ByteBuffer} view of the ring created at construction: its absolute bulk {@code put}
 * handles heap, direct and read-only sources alike without allocating per call (unlike
 * {@code MemorySegment.ofBuffer}). The capacity need not be a power of two; positions wrap by
 * comparison, not masking.
 */
public final class SendBuffer implements AutoCloseable {
    private final Arena arena;
    private final MemorySegment memory;
    private final ByteBuffer view;
    private final int capacity;
    private int head;
    private int size;
    private boolean closed;

    public SendBuffer(int capacity) {
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

    /** Bytes held (sent-unacked plus unsent). */
    public int size() {
        return size;
    }

    public int free() {
        return capacity - size;
    }

    /** Appends as much of {@code src} as fits; returns the count. */
    public int write(ByteBuffer src) {
        int n = Math.min(src.remaining(), capacity - size);
        if (n == 0) {
            return 0;
        }
        int tail = wrap(head + (long) size);
        int first = Math.min(n, capacity - tail);
        int pos = src.position();
        view.put(tail, src, pos, first);
        if (n > first) {
            view.put(0, src, pos + first, n - first);
        }
        src.position(pos + n);
        size += n;
        return n;
    }

    /** Copies {@code length} bytes starting {@code offset} bytes after the head into memory (handles the wrap). */
    public void copyOut(int offset, MemorySegment dst, long dstOffset, int length) {
        if (offset < 0 || length < 0 || (long) offset + length > size) {
            throw new IllegalArgumentException("range [" + offset + ", +" + length + ") outside the " + size + " bytes held");
        }
        if (length == 0) {
            return;
        }
        int start = wrap(head + (long) offset);
        int first = Math.min(length, capacity - start);
        MemorySegment.copy(memory, start, dst, dstOffset, first);
        if (length > first) {
            MemorySegment.copy(memory, 0, dst, dstOffset + first, length - first);
        }
    }

    /**
     * Stores {@code length} bytes starting {@code offset} bytes after the head into {@code dst},
     * {@code dstOffset} bytes after its RCV.NXT, straight from this ring (handles the wrap): how a
     * segment between two connections of one stack reaches its receiver without a packet copy.
     * Returns how many bytes became in-order there, as {@link ReceiveBuffer#insert}.
     */
    public int transferTo(int offset, ReceiveBuffer dst, int dstOffset, int length) {
        if (offset < 0 || length < 0 || (long) offset + length > size) {
            throw new IllegalArgumentException("range [" + offset + ", +" + length + ") outside the " + size + " bytes held");
        }
        if (length == 0) {
            return 0;
        }
        int start = wrap(head + (long) offset);
        int first = Math.min(length, capacity - start);
        int advanced = dst.insert(dstOffset, memory, start, first);
        if (length > first) {
            // the receiver's RCV.NXT moved by what the first piece advanced it
            advanced += dst.insert(dstOffset + first - advanced, memory, 0, length - first);
        }
        return advanced;
    }

    /** Drops {@code n} acknowledged bytes from the head. */
    public void consume(int n) {
        if (n < 0 || n > size) {
            throw new IllegalArgumentException("cannot consume " + n + " of " + size + " bytes");
        }
        size -= n;
        // An empty ring restarts at 0 so that typical segments do not straddle the wrap.
        head = size == 0 ? 0 : wrap(head + (long) n);
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
