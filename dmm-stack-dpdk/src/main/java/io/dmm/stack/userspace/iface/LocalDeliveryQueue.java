package io.dmm.stack.userspace.iface;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Frames the stack sends to one of its own addresses, waiting to be handed to its own ingress, in
 * order. A ring of fixed-size slots in one preallocated segment: the sender writes into the tail
 * slot in place ({@link #reserve}, then {@link #commit} or nothing on abort), and delivery reads
 * the head slot before {@link #pop}ping it, so a reply sent while a frame is being delivered lands
 * in another slot. A frame may carry a payload source (see {@link Egress#sendLocal}): its payload
 * was not written, and the receiving transport copies it from that source.
 */
final class LocalDeliveryQueue {
    private final MemorySegment memory;
    private final int slotSize;
    private final int[] length;
    private final Object[] payloadSource;
    private int head;
    private int count;

    LocalDeliveryQueue(int slots, int slotSize) {
        this.memory = Arena.ofAuto().allocate((long) slots * slotSize, 8);
        this.slotSize = slotSize;
        this.length = new int[slots];
        this.payloadSource = new Object[slots];
    }

    MemorySegment memory() {
        return memory;
    }

    /** The offset of the slot the next {@link #commit} fills, or -1 when the ring is full. */
    long reserve() {
        if (count == length.length) return -1;
        return (long) ((head + count) % length.length) * slotSize;
    }

    /** Appends the frame written at the reserved slot; {@code source} holds its payload, or null when it is written. */
    void commit(int frameLength, Object source) {
        int slot = (head + count) % length.length;
        length[slot] = frameLength;
        payloadSource[slot] = source;
        count++;
    }

    boolean isEmpty() {
        return count == 0;
    }

    int size() {
        return count;
    }

    long headOffset() {
        return (long) head * slotSize;
    }

    int headLength() {
        return length[head];
    }

    /** The payload source of the head frame, null when its payload is in the slot. */
    Object headPayloadSource() {
        return payloadSource[head];
    }

    void pop() {
        payloadSource[head] = null;  // the sender may go away: keep no reference to it
        head = (head + 1) % length.length;
        count--;
    }
}
