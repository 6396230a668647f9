package io.dmm.stack.userspace.tcp;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The bytes a connection has taken from the application and not yet seen acknowledged, stored in
 * chunks of its stack's {@link ChunkPool}. Offset 0 is the oldest unacknowledged byte (SND.UNA);
 * the engine maps sequence numbers to offsets. It holds only the chunks its bytes occupy, up to
 * {@code capacity} (SO_SNDBUF): a chunk goes back to the pool once all its bytes are acknowledged,
 * and the last one when the buffer empties, so an idle connection holds no memory.
 *
 * <p>Application threads write and the poll thread reads, always under the stack lock. Copies run
 * per chunk: from application buffers through the pool's ByteBuffer views of its slabs (their
 * absolute bulk {@code put} handles heap, direct and read-only sources alike without allocating,
 * unlike {@code MemorySegment.ofBuffer}). Allocation-free once the slot table has grown.
 */
public final class SendBuffer implements AutoCloseable {
    private final ChunkRing ring;
    private int capacity;
    private int size;

    public SendBuffer(ChunkPool pool, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.ring = new ChunkRing(pool);
    }

    public int capacity() {
        return capacity;
    }

    /** SO_SNDBUF changed: writes stop at the new capacity (bytes already held above it stay until acknowledged). */
    public void setCapacity(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /** Bytes held (sent-unacked plus unsent). */
    public int size() {
        return size;
    }

    /**
     * Bytes a write would take now: room under the capacity, less what the pool would refuse (its
     * limit reached, only the space left in the chunks held counts; an empty buffer always gets one chunk).
     */
    public int free() {
        int room = Math.max(0, capacity - size);
        if (room == 0 || !ring.poolExhausted() || ring.held() == 0) return room;
        return Math.min(room, ring.heldSpaceFrom(size));
    }

    /** Appends as much of {@code src} as fits (under the capacity and the pool's limit); returns the count. */
    public int write(ByteBuffer src) {
        int n = Math.min(src.remaining(), capacity - size);
        if (n <= 0) {
            return 0;
        }
        int pos = src.position();
        n = ring.copyIn(size, src, pos, n);
        src.position(pos + n);
        size += n;
        return n;
    }

    /** Copies {@code length} bytes starting {@code offset} bytes after the head into memory. */
    public void copyOut(int offset, MemorySegment dst, long dstOffset, int length) {
        checkHeld(offset, length);
        ring.copyOut(offset, dst, dstOffset, length);
    }

    /**
     * Stores {@code length} bytes starting {@code offset} bytes after the head into {@code dst},
     * {@code dstOffset} bytes after its RCV.NXT, straight from this buffer's chunks: how a segment
     * between two connections of one stack reaches its receiver without a packet copy. Returns how
     * many bytes became in-order there, as {@link ReceiveBuffer#insert}.
     */
    public int transferTo(int offset, ReceiveBuffer dst, int dstOffset, int length) {
        checkHeld(offset, length);
        return ring.transferTo(offset, dst, dstOffset, length);
    }

    /** Throws IllegalArgumentException unless [offset, offset + length) lies within the bytes held. */
    private void checkHeld(int offset, int length) {
        if (offset < 0 || length < 0 || (long) offset + length > size) {
            throw new IllegalArgumentException("range [" + offset + ", +" + length + ") outside the " + size + " bytes held");
        }
    }

    /** Drops {@code n} acknowledged bytes from the head; their chunks go back to the pool. */
    public void consume(int n) {
        if (n < 0 || n > size) {
            throw new IllegalArgumentException("cannot consume " + n + " of " + size + " bytes");
        }
        size -= n;
        if (size == 0) {
            ring.releaseAll(); // the partly filled tail chunk too: an idle connection holds nothing
        } else {
            ring.advance(n);
        }
    }

    /** Chunks held (tests, diagnostics). */
    int chunks() {
        return ring.held();
    }

    /** Gives all memory back to the pool and empties the buffer. Idempotent. */
    @Override
    public void close() {
        size = 0;
        ring.releaseAll();
    }
}
