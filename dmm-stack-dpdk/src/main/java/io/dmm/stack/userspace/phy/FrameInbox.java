package io.dmm.stack.userspace.phy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Frames one shard received for a flow another shard owns, copied and waiting for the owner: a
 * bounded ring of fixed-size slots in one preallocated segment, for any number of producers and one
 * consumer. A frame that finds the ring full is dropped and counted, as a NIC drops what its ring
 * has no room for; TCP recovers it as any loss.
 *
 * <p>The consumer reads the head slot in place and only then {@link #pop}s it, so producers never
 * write a slot that is being read. The monitor orders each copy before the consumer's read.
 */
public final class FrameInbox {
    private final MemorySegment memory;
    private final int slotSize;
    private final int[] length;
    private final boolean[] verified;
    private int head;
    /** Written under the monitor; volatile so the owner's {@link #isEmpty} (every unlock) takes no lock. */
    private volatile int count;
    private long dropped;
    private long copied;

    public FrameInbox(int slots, int slotSize) {
        this.memory = Arena.ofAuto().allocate((long) slots * slotSize, 64);
        this.slotSize = slotSize;
        this.length = new int[slots];
        this.verified = new boolean[slots];
    }

    /** Copies the frame in; false (counted) when the ring is full or the frame does not fit a slot. */
    public synchronized boolean offer(MemorySegment from, long offset, int frameLength, boolean checksumsVerified) {
        if (count == length.length || frameLength > slotSize) {
            dropped++;
            return false;
        }
        int slot = (head + count) % length.length;
        MemorySegment.copy(from, offset, memory, (long) slot * slotSize, frameLength);
        length[slot] = frameLength;
        verified[slot] = checksumsVerified;
        count++;
        copied++;
        return true;
    }

    /**
     * Hands up to {@code budget} frames to {@code handler}, oldest first; how many. The consumer's
     * side: one thread at a time.
     */
    public int drain(RxHandler handler, int budget) {
        int n = 0;
        while (n < budget) {
            long offset;
            int frameLength;
            boolean checked;
            synchronized (this) {
                if (count == 0) break;
                offset = (long) head * slotSize;
                frameLength = length[head];
                checked = verified[head];
            }
            try {
                handler.frame(memory, offset, frameLength, checked);
            } finally {
                pop();
            }
            n++;
        }
        return n;
    }

    private synchronized void pop() {
        head = (head + 1) % length.length;
        count--;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Frames dropped because the ring was full. */
    public synchronized long dropped() {
        return dropped;
    }

    /** Frames handed over so far. */
    public synchronized long copied() {
        return copied;
    }
}
