package io.dmm.stack.userspace.iface;

import java.lang.foreign.MemorySegment;

/**
 * TCP segments of one flow that arrived back to back and in order, merged by GRO
 * ({@link TcpCoalescer}): each is a whole TCP segment (header included) in device memory, valid
 * only during {@link TransportHandler#ingressBatch}. Their checksums are good; the first one's
 * header stands for all (they share ACK number, window and options), and their payloads follow
 * each other in sequence.
 */
public final class SegmentBatch {
    private final MemorySegment[] memory;
    private final long[] offset;
    private final int[] length;
    private int count;
    private int srcIp;
    private int dstIp;

    /** An empty batch of up to {@code capacity} segments (made by the coalescer, and by tests). */
    public SegmentBatch(int capacity) {
        memory = new MemorySegment[capacity];
        offset = new long[capacity];
        length = new int[capacity];
    }

    /** Empties the batch for a flow from {@code srcIp} to {@code dstIp}. */
    public void start(int srcIp, int dstIp) {
        this.srcIp = srcIp;
        this.dstIp = dstIp;
        count = 0;
    }

    /** Appends the next segment of the flow (TCP header at {@code off}, {@code len} bytes with it). */
    public void add(MemorySegment m, long off, int len) {
        memory[count] = m;
        offset[count] = off;
        length[count] = len;
        count++;
    }

    void clear() {
        for (int i = 0; i < count; i++) memory[i] = null;  // device memory must not outlive the burst here
        count = 0;
    }

    public int count() {
        return count;
    }

    public int srcIp() {
        return srcIp;
    }

    public int dstIp() {
        return dstIp;
    }

    /** The memory of segment {@code i}. */
    public MemorySegment memory(int i) {
        return memory[i];
    }

    /** Where segment {@code i}'s TCP header starts. */
    public long offset(int i) {
        return offset[i];
    }

    /** Segment {@code i}'s length, TCP header included. */
    public int length(int i) {
        return length[i];
    }
}
