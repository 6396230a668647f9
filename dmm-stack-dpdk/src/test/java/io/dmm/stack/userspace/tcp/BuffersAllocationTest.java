package io.dmm.stack.userspace.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The per-segment paths of the rings and the scoreboard must not allocate (the hot-path rule). */
class BuffersAllocationTest {
    /** A pool of its own per buffer, without a practical limit. */
    private static ChunkPool pool() {
        return new ChunkPool(1L << 30, new io.dmm.stack.userspace.StackCounters());
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void steadyStateDoesNotAllocate() {
        try (SendBuffer sb = new SendBuffer(pool(), 10_000);
                ReceiveBuffer rb = new ReceiveBuffer(pool(), 10_000);
                Arena arena = Arena.ofConfined()) {
            MemorySegment frame = arena.allocate(2048);
            ByteBuffer heapSrc = ByteBuffer.allocate(1460);
            ByteBuffer directSrc = ByteBuffer.allocateDirect(1460);
            ByteBuffer heapDst = ByteBuffer.allocate(4000);
            ByteBuffer directDst = ByteBuffer.allocateDirect(4000);
            SackScoreboard board = new SackScoreboard();
            int[] blocks = new int[8];
            int[] holeEnd = new int[1];
            long sum = 0;
            long before = 0;
            for (int i = 0; i < 40_000; i++) {
                if (i == 30_000) {
                    before = allocatedBytes(); // after warm-up and JIT compilation
                }
                ByteBuffer src = (i & 1) == 0 ? heapSrc : directSrc;
                src.clear();
                sum += sb.write(src);
                sb.copyOut(0, frame, 0, 1460);
                sb.consume(1460);
                // Out of order, then the gap fill: exercises ranges, SACK blocks and wrap.
                sum += rb.insert(1460, frame, 0, 500);
                sum += rb.sackBlocks(blocks, 4);
                sum += rb.insert(0, frame, 0, 1460);
                ByteBuffer dst = (i & 1) == 0 ? heapDst : directDst;
                dst.clear();
                sum += rb.read(dst);
                board.onSack(i * 3000 + 1000, i * 3000 + 2000, i * 3000, i * 3000 + 3000);
                sum += board.nextHole(i * 3000, i * 3000, holeEnd);
                board.onCumulativeAck(i * 3000 + 3000);
            }
            long allocated = allocatedBytes() - before;
            assertTrue(sum > 0);
            assertEquals(0, rb.readable());
            assertTrue(allocated < 1024, "allocated " + allocated + " bytes in 10,000 iterations");
        }
    }
}
