package io.dmm.stack.userspace.iface;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.StackCounters;
import io.dmm.stack.userspace.wire.Checksum;
import io.dmm.stack.userspace.wire.NetworkOrder;
import io.dmm.stack.userspace.wire.TcpHeader;
import java.lang.foreign.MemorySegment;

/**
 * Software GRO, as Linux's {@code napi_gro_receive} for TCP: within one receive burst, consecutive
 * in-order data segments of one flow are held (their frames stay in device memory until the burst
 * ends) and handed to TCP as one {@link SegmentBatch}, so TCP processes, and acknowledges, one
 * large segment instead of many.
 *
 * <p>A segment joins the held ones only if it continues them exactly: same addresses and ports,
 * the next sequence number, the same ACK number, window and option bytes (timestamps included),
 * ACK alone or ACK and PSH, a payload no longer than the first one's, checksums good. PSH or a
 * shorter payload ends the batch after it. SYN, FIN, RST, URG, ECE or CWR never merge; neither do
 * pure ACKs. A segment of the held flow that cannot join makes the held ones go up first, so TCP
 * sees the flow in order; another flow's data segment takes the place of the held flow's.
 * One flow is held at a time. Allocation-free.
 */
final class TcpCoalescer {
    /** The most segments merged into one: 64, as Linux's MAX_GRO_SKBS bounds a GRO list. */
    static final int MAX_SEGMENTS = 64;
    /** The most payload merged into one, as Linux's GRO keeps a merged packet within 64 KiB. */
    static final int MAX_PAYLOAD = 65535;
    private static final int FLAG_MASK = 0xFF;
    private static final int MERGEABLE = TcpHeader.ACK | TcpHeader.PSH;

    /** Who gets what the coalescer hands up. */
    interface Sink {
        /** One segment as it arrived (not held, or a batch of one). */
        void single(MemorySegment memory, long offset, int length, int srcIp, int dstIp, boolean verified);

        /** Two or more merged segments. */
        void batch(SegmentBatch batch);
    }

    private final Sink sink;
    private final StackCounters counters;
    private final SegmentBatch held = new SegmentBatch(MAX_SEGMENTS);
    private int nextSeq;
    private int ack;
    private int window;
    private int firstPayload;
    private int payload;

    TcpCoalescer(Sink sink, StackCounters counters) {
        this.sink = sink;
        this.counters = counters;
    }

    /** Whether segments are held. */
    boolean holding() {
        return held.count() > 0;
    }

    /**
     * A TCP segment for us from a frame that stays valid until {@link #flush()}: held, or (after
     * whatever must go first) handed to the sink.
     */
    void offer(MemorySegment memory, long offset, int length, int srcIp, int dstIp, boolean verified) {
        int hl = length >= TcpHeader.MIN_LENGTH ? (NetworkOrder.u8(memory, offset + 12) >>> 4) * 4 : 0;
        if (hl < TcpHeader.MIN_LENGTH || hl > length) {
            sink.single(memory, offset, length, srcIp, dstIp, verified);  // malformed: TCP counts it
            return;
        }
        int flags = NetworkOrder.u8(memory, offset + 13) & FLAG_MASK;
        int pay = length - hl;
        boolean candidate = pay > 0 && (flags & ~MERGEABLE) == 0 && (flags & TcpHeader.ACK) != 0
                && (verified || Checksum.transportVerifies(memory, offset, length, srcIp, dstIp, 6));
        if (held.count() > 0) {
            if (candidate && joins(memory, offset, hl, pay, srcIp, dstIp)) {
                held.add(memory, offset, length);
                counters.increment(Counter.TCP_GRO_MERGED);
                nextSeq += pay;
                payload += pay;
                // PSH or a short segment ends the batch (Linux flushes on both)
                if ((flags & TcpHeader.PSH) != 0 || pay < firstPayload || held.count() == MAX_SEGMENTS) flush();
                return;
            }
            // another flow's data takes the place; the held flow's non-joining segment goes up after its predecessors
            if (candidate || sameFlow(memory, offset, srcIp, dstIp)) flush();
        }
        if (!candidate || (flags & TcpHeader.PSH) != 0) {
            sink.single(memory, offset, length, srcIp, dstIp, verified);
            return;
        }
        held.start(srcIp, dstIp);
        held.add(memory, offset, length);
        nextSeq = NetworkOrder.i32(memory, offset + 4) + pay;
        ack = NetworkOrder.i32(memory, offset + 8);
        window = NetworkOrder.u16(memory, offset + 14);
        firstPayload = pay;
        payload = pay;
    }

    /** Hands up what is held (the burst ended, or order demands it). */
    void flush() {
        int n = held.count();
        if (n == 0) return;
        try {
            if (n == 1) {
                sink.single(held.memory(0), held.offset(0), held.length(0), held.srcIp(), held.dstIp(), true);
            } else {
                sink.batch(held);
            }
        } finally {
            held.clear();
        }
    }

    private boolean sameFlow(MemorySegment memory, long offset, int srcIp, int dstIp) {
        return srcIp == held.srcIp() && dstIp == held.dstIp()
                && NetworkOrder.i32(memory, offset) == NetworkOrder.i32(held.memory(0), held.offset(0));
    }

    private boolean joins(MemorySegment memory, long offset, int hl, int pay, int srcIp, int dstIp) {
        if (!sameFlow(memory, offset, srcIp, dstIp)) return false;
        if (NetworkOrder.i32(memory, offset + 4) != nextSeq || NetworkOrder.i32(memory, offset + 8) != ack
                || NetworkOrder.u16(memory, offset + 14) != window) {
            return false;
        }
        if (pay > firstPayload || payload + pay > MAX_PAYLOAD) return false;
        MemorySegment firstMemory = held.memory(0);
        long first = held.offset(0);
        if ((NetworkOrder.u8(firstMemory, first + 12) >>> 4) * 4 != hl) return false;
        // options byte for byte (Linux's tcp_gro_receive): a TSval that moved ends the batch
        return MemorySegment.mismatch(memory, offset + TcpHeader.MIN_LENGTH, offset + hl,
                firstMemory, first + TcpHeader.MIN_LENGTH, first + hl) == -1;
    }
}
