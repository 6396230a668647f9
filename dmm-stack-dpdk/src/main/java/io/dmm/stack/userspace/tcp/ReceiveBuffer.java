package io.dmm.stack.userspace.tcp;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Received bytes waiting for the application, plus out-of-order data held at its place until the
 * gap fills (the reassembly queue): an off-heap ring of {@code capacity} bytes. Offsets in
 * {@link #insert} are relative to the next in-order byte (RCV.NXT). Keeps up to 4 out-of-order
 * ranges' bookkeeping allocation-free and reports them as SACK blocks, most recently changed first
 * (RFC 2018 §4).
 *
 * <p>CONTRACT SKELETON.
 */
public final class ReceiveBuffer implements AutoCloseable {
    public ReceiveBuffer(int capacity) { throw new UnsupportedOperationException("tcp-algo"); }
    public int capacity() { throw new UnsupportedOperationException("tcp-algo"); }
    /** In-order bytes ready for the application. */
    public int readable() { throw new UnsupportedOperationException("tcp-algo"); }
    /** Space for new data beyond RCV.NXT: capacity − readable (what the window may offer). */
    public int window() { throw new UnsupportedOperationException("tcp-algo"); }
    /**
     * Stores {@code length} bytes that start {@code offset} bytes after RCV.NXT (offset may be
     * negative for a segment that overlaps data already received: the old part is ignored; bytes
     * beyond the window are cut). Returns how many bytes became in-order (RCV.NXT advances by that).
     */
    public int insert(int offset, MemorySegment src, long srcOffset, int length) { throw new UnsupportedOperationException("tcp-algo"); }
    /** Copies in-order bytes into {@code dst}; returns the count. */
    public int read(ByteBuffer dst) { throw new UnsupportedOperationException("tcp-algo"); }
    /** Discards {@code n} in-order bytes (shutdownInput). */
    public void skip(int n) { throw new UnsupportedOperationException("tcp-algo"); }
    public boolean hasOutOfOrder() { throw new UnsupportedOperationException("tcp-algo"); }
    /**
     * Writes up to {@code max} out-of-order ranges as (start, end) offsets relative to RCV.NXT into
     * {@code out[2i], out[2i+1]}, the most recently changed range first; returns how many.
     */
    public int sackBlocks(int[] out, int max) { throw new UnsupportedOperationException("tcp-algo"); }
    @Override public void close() { throw new UnsupportedOperationException("tcp-algo"); }
}
