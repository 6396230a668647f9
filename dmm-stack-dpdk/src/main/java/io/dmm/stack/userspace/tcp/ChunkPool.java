package io.dmm.stack.userspace.tcp;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.StackCounters;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The memory of one {@link TcpStack}'s send and receive buffers: fixed-size chunks of
 * {@link #CHUNK_SIZE} bytes cut from off-heap slabs, handed out and taken back through a LIFO free
 * list (the chunk freed last is reused first, while it is still in the cache). A connection holds
 * only the chunks its queued bytes occupy, so an idle one holds none, as Linux's sockets keep only
 * the skbs queued.
 *
 * <p>Not thread-safe: every call runs under the stack's lock. Slabs come from one automatic arena,
 * so no buffer can outlive its memory, and are kept once allocated (a slab cache). The pool's limit
 * (the {@code "tcp"} setting {@code memoryLimit}, Linux's tcp_mem) refuses ordinary takes once
 * that many bytes are in use; a forced take (a buffer that holds no chunk yet) is granted beyond
 * it, so every connection can always move one chunk of data and none deadlocks waiting for memory
 * others hold — Linux's guaranteed tcp_rmem[0]/tcp_wmem[0]. Use and refusals are counted as
 * {@code tcp_mem_*} in the stack's counters (the in-use figures go up and down).
 */
public final class ChunkPool {
    static final int CHUNK_SHIFT = 12;
    /** Bytes per chunk: a few segments of a 1,500-byte MTU, and what an idle buffer never holds. */
    public static final int CHUNK_SIZE = 1 << CHUNK_SHIFT;
    static final int CHUNK_MASK = CHUNK_SIZE - 1;
    private static final int SLAB_SHIFT = 6;
    /** Chunks per slab: slabs of 256 KiB. */
    private static final int SLAB_CHUNKS = 1 << SLAB_SHIFT;
    private static final int SLAB_MASK = SLAB_CHUNKS - 1;
    private static final long SLAB_BYTES = (long) SLAB_CHUNKS * CHUNK_SIZE;

    private final Arena arena = Arena.ofAuto();
    private final StackCounters counters;
    private final long limitChunks;
    private MemorySegment[] slabs = new MemorySegment[8];
    /** One ByteBuffer view per slab, made once: copies from and to application buffers go through them. */
    private ByteBuffer[] views = new ByteBuffer[8];
    private int slabCount;
    private int[] free = new int[SLAB_CHUNKS];
    private int freeCount;
    private long inUse;

    /** A pool that refuses ordinary takes beyond {@code limitBytes} in use (rounded down to chunks, at least one). */
    public ChunkPool(long limitBytes, StackCounters counters) {
        if (limitBytes <= 0) throw new IllegalArgumentException("limit must be positive: " + limitBytes);
        this.limitChunks = Math.max(1, limitBytes >>> CHUNK_SHIFT);
        this.counters = counters;
    }

    /**
     * A chunk's id, or -1 if the limit is reached (not {@code forced}) or no slab could be allocated.
     * Either refusal is counted as an exhaustion event; nothing throws.
     */
    int take(boolean forced) {
        if ((inUse >= limitChunks && !forced) || (freeCount == 0 && !addSlab())) {
            counters.increment(Counter.TCP_MEM_EXHAUSTED);
            return -1;
        }
        inUse++;
        counters.increment(Counter.TCP_MEM_CHUNKS_IN_USE);
        counters.add(Counter.TCP_MEM_BYTES_IN_USE, CHUNK_SIZE);
        return free[--freeCount];
    }

    /** Whether {@code n} more ordinary takes would stay within the limit; a refusal is counted as an exhaustion event. */
    boolean admits(int n) {
        if (inUse + n <= limitChunks) return true;
        counters.increment(Counter.TCP_MEM_EXHAUSTED);
        return false;
    }

    /** Whether ordinary takes are refused now (the limit is reached): receivers stop opening their windows. */
    boolean exhausted() {
        return inUse >= limitChunks;
    }

    /** Counts a segment (or its tail) dropped because its chunks were refused. */
    void countDrop() {
        counters.increment(Counter.DROP_TCP_MEMORY);
    }

    void give(int chunk) {
        free[freeCount++] = chunk;
        inUse--;
        counters.add(Counter.TCP_MEM_CHUNKS_IN_USE, -1);
        counters.add(Counter.TCP_MEM_BYTES_IN_USE, -CHUNK_SIZE);
    }

    /** The slab a chunk lies in. */
    MemorySegment segment(int chunk) {
        return slabs[chunk >>> SLAB_SHIFT];
    }

    /** The ByteBuffer view of the slab a chunk lies in. */
    ByteBuffer view(int chunk) {
        return views[chunk >>> SLAB_SHIFT];
    }

    /** Where a chunk starts in its slab. */
    static int offset(int chunk) {
        return (chunk & SLAB_MASK) << CHUNK_SHIFT;
    }

    /** Chunks handed out and not given back. */
    public long chunksInUse() {
        return inUse;
    }

    /** Bytes of those chunks. */
    public long bytesInUse() {
        return inUse << CHUNK_SHIFT;
    }

    /** Bytes of slabs allocated (in use or free): the pool's footprint. */
    public long bytesAllocated() {
        return slabCount * SLAB_BYTES;
    }

    /** The limit in bytes (whole chunks). */
    public long limitBytes() {
        return limitChunks << CHUNK_SHIFT;
    }

    private boolean addSlab() {
        MemorySegment slab;
        try {
            slab = arena.allocate(SLAB_BYTES, 64);
        } catch (OutOfMemoryError e) {
            return false; // beyond -XX:MaxDirectMemorySize: a refusal like the limit's, not a failure
        }
        if (slabCount == slabs.length) {
            slabs = Arrays.copyOf(slabs, slabCount * 2);
            views = Arrays.copyOf(views, slabCount * 2);
        }
        if (free.length < (slabCount + 1) * SLAB_CHUNKS) free = Arrays.copyOf(free, free.length * 2);
        slabs[slabCount] = slab;
        views[slabCount] = slab.asByteBuffer();
        int base = slabCount << SLAB_SHIFT;
        // pushed highest first, so chunks are handed out in address order
        for (int i = SLAB_CHUNKS - 1; i >= 0; i--) free[freeCount++] = base + i;
        slabCount++;
        counters.add(Counter.TCP_MEM_BYTES_ALLOCATED, SLAB_BYTES);
        return true;
    }
}
