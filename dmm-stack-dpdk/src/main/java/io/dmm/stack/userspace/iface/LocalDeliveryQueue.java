package io.dmm.stack.userspace.iface;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Frames the stack sends to one of its own addresses, waiting to be handed to its own ingress, in
 * order. A ring of fixed-size slots in one preallocated segment: the sender writes into the tail
 * slot in place ({@link #reserve}, then {@link #commit} or nothing on abort), and delivery reads
 * the head slot before {@link #pop}ping it, so a reply sent while a frame is being delivered lands
 * in another slot.
 */
final class LocalDeliveryQueue {
    private final MemorySegment memory;
    private final int slotSize;
    private final int[] length;
    private int head;
    private int count;

    LocalDeliveryQueue(int slots, int slotSize) {
        this.memory = Arena.ofAuto().allocate((long) slots * slotSize, 8);
        this.slotSize = slotSize;
        this.length = new int[slots];
    }

    MemorySegment memory() {
        return memory;
    }

    /** The offset of the slot the next {@link #commit} fills, or -1 when the ring is full. */
    long reserve() {
        if (count == length.length) return -1;
        return (long) ((head + count) % length.length) * slotSize;
    }

    /** Appends the frame written at the reserved slot. */
    void commit(int frameLength) {
        length[(head + count) % length.length] = frameLength;
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

    void pop() {
        head = (head + 1) % length.length;
        count--;
    }
}
