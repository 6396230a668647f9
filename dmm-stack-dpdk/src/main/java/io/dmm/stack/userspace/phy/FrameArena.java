package io.dmm.stack.userspace.phy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Off-heap memory cut into equal slots, one frame per slot, with a free list of slot indexes in an
 * {@code int[]} so that taking and giving back a frame buffer allocates nothing. Slot offsets are
 * multiples of {@link #slotSize()} in {@link #memory()}.
 *
 * <p>Not thread-safe: one owner takes and releases slots. The memory is allocated in a shared arena
 * so that another thread may read a slot the owner handed over through a properly ordered queue
 * (see {@link SpscLongRing}).
 */
public final class FrameArena implements AutoCloseable {
    /** Slots are rounded up to a cache line so neighbouring frames never share one. */
    private static final int SLOT_ALIGN = 64;
    private static final int ETHERNET_HEADER = 14;

    private final Arena arena;
    private final MemorySegment memory;
    private final int slotSize;
    private final int slotCount;
    private final int[] free;
    private final boolean[] inUse;
    private int freeCount;
    private boolean closed;

    /** An arena of {@code slotCount} slots, each holding at least one frame of an {@code mtu} packet. */
    public FrameArena(int mtu, int slotCount) {
        if (mtu < 68 || mtu > 65535) throw new IllegalArgumentException("mtu must be in [68, 65535]: " + mtu);
        if (slotCount < 1) throw new IllegalArgumentException("slotCount must be positive: " + slotCount);
        this.slotSize = slotSizeFor(mtu);
        long bytes = (long) slotSize * slotCount;
        this.slotCount = slotCount;
        this.arena = Arena.ofShared();
        this.memory = arena.allocate(bytes, SLOT_ALIGN);
        this.free = new int[slotCount];
        this.inUse = new boolean[slotCount];
        // Hand out low slots first: a lightly used arena then touches few pages.
        for (int i = 0; i < slotCount; i++) free[i] = slotCount - 1 - i;
        this.freeCount = slotCount;
    }

    /** The slot size for an {@code mtu}: the largest frame (mtu + Ethernet header) rounded up to 64. */
    public static int slotSizeFor(int mtu) {
        int frame = mtu + ETHERNET_HEADER;
        return (frame + SLOT_ALIGN - 1) / SLOT_ALIGN * SLOT_ALIGN;
    }

    public MemorySegment memory() {
        return memory;
    }

    public int slotSize() {
        return slotSize;
    }

    public int slotCount() {
        return slotCount;
    }

    public int freeCount() {
        return freeCount;
    }

    /** The offset of a free slot, now owned by the caller, or -1 when every slot is taken. */
    public long acquire() {
        if (freeCount == 0) return -1;
        int slot = free[--freeCount];
        inUse[slot] = true;
        return (long) slot * slotSize;
    }

    /** Gives back the slot at {@code offset}; IllegalStateException if it is not currently taken. */
    public void release(long offset) {
        int slot = slotOf(offset);
        if (!inUse[slot]) throw new IllegalStateException("slot at offset " + offset + " is not in use (double release?)");
        inUse[slot] = false;
        free[freeCount++] = slot;
    }

    /** IllegalStateException unless the slot at {@code offset} is currently taken (catches use after release). */
    public void checkAcquired(long offset) {
        if (!inUse[slotOf(offset)]) throw new IllegalStateException("slot at offset " + offset + " is not acquired");
    }

    /** The slot index of a slot offset; IllegalArgumentException if it is not one. */
    public int slotOf(long offset) {
        if (offset < 0 || offset % slotSize != 0 || offset / slotSize >= slotCount) {
            throw new IllegalArgumentException("not a slot offset of this arena: " + offset);
        }
        return (int) (offset / slotSize);
    }

    public long offsetOf(int slot) {
        return (long) slot * slotSize;
    }

    /** Frees the memory. Idempotent; the caller makes sure no other thread still reads it. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        arena.close();
    }
}
