package io.dmm.stack.userspace.iface;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A preallocated arena of whole Ethernet frames waiting for their next hop's MAC address. Frames
 * are copied in and the device's transmit buffer goes back at once, so a next hop that never
 * answers ARP cannot starve the device of buffers. Slots form singly linked FIFO lists (one per
 * ARP entry, heads and tails kept by {@link ArpCache}) through {@link #next}; free slots form the
 * free list. Nothing is allocated after construction.
 */
final class PendingFrames {
    static final int NONE = -1;

    private final MemorySegment memory;
    private final int slotSize;
    private final int[] next;
    private final int[] length;
    private int free;

    PendingFrames(int slots, int slotSize) {
        this.memory = Arena.ofAuto().allocate((long) slots * slotSize, 8);
        this.slotSize = slotSize;
        this.next = new int[slots];
        this.length = new int[slots];
        for (int i = 0; i < slots; i++) next[i] = i + 1 < slots ? i + 1 : NONE;
        this.free = 0;
    }

    /** Copies a frame into a free slot; the slot, or {@link #NONE} when the arena is full or the frame too big. */
    int store(MemorySegment from, long offset, int frameLength) {
        if (free == NONE || frameLength > slotSize) return NONE;
        int s = free;
        free = next[s];
        next[s] = NONE;
        length[s] = frameLength;
        MemorySegment.copy(from, offset, memory, offset(s), frameLength);
        return s;
    }

    void release(int slot) {
        next[slot] = free;
        free = slot;
    }

    /** Free slots (walks the free list: for tests and diagnostics, not the fast path). */
    int freeSlots() {
        int n = 0;
        for (int s = free; s != NONE; s = next[s]) n++;
        return n;
    }

    MemorySegment memory() {
        return memory;
    }

    long offset(int slot) {
        return (long) slot * slotSize;
    }

    int length(int slot) {
        return length[slot];
    }

    int next(int slot) {
        return next[slot];
    }

    void link(int slot, int following) {
        next[slot] = following;
    }
}
