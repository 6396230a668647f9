package io.dmm.stack.userspace.tcp;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The bytes a connection has taken from the application and not yet seen acknowledged: an off-heap
 * ring. Offset 0 is the oldest unacknowledged byte (SND.UNA); the engine maps sequence numbers to
 * offsets. Allocation-free after construction.
 *
 * <p>CONTRACT SKELETON.
 */
public final class SendBuffer implements AutoCloseable {
    public SendBuffer(int capacity) { throw new UnsupportedOperationException("tcp-algo"); }
    public int capacity() { throw new UnsupportedOperationException("tcp-algo"); }
    /** Bytes held (sent-unacked plus unsent). */
    public int size() { throw new UnsupportedOperationException("tcp-algo"); }
    public int free() { throw new UnsupportedOperationException("tcp-algo"); }
    /** Appends as much of {@code src} as fits; returns the count. */
    public int write(ByteBuffer src) { throw new UnsupportedOperationException("tcp-algo"); }
    /** Copies {@code length} bytes starting {@code offset} bytes after the head into memory (handles the wrap). */
    public void copyOut(int offset, MemorySegment dst, long dstOffset, int length) { throw new UnsupportedOperationException("tcp-algo"); }
    /** Drops {@code n} acknowledged bytes from the head. */
    public void consume(int n) { throw new UnsupportedOperationException("tcp-algo"); }
    /** Frees the off-heap memory. */
    @Override public void close() { throw new UnsupportedOperationException("tcp-algo"); }
}
