package io.dmm.stack.userspace.udp;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The off-heap receive ring behaves as a FIFO bounded by bytes, whatever the sizes and interleaving. */
class DatagramQueuePropertiesTest {
    @Property(tries = 200, seed = "42")
    void behavesLikeABoundedFifo(@ForAll @IntRange(min = 1, max = 600) int capacity,
                                 @ForAll @Size(max = 300) List<@IntRange(min = -1, max = 200) Integer> ops) {
        DatagramQueue q = new DatagramQueue(capacity);
        ArrayDeque<byte[]> model = new ArrayDeque<>();
        int seq = 0;
        for (int op : ops) {
            if (op < 0) {
                ByteBuffer dst = ByteBuffer.allocate(256);
                if (model.isEmpty()) {
                    assertTrue(q.isEmpty());
                    continue;
                }
                byte[] want = model.poll();
                assertEquals(want.length, q.headLength());
                assertEquals(want.length * 7, q.headSourceIp());
                assertEquals(want.length + 1, q.headSourcePort());
                q.copyHeadTo(dst);
                q.removeHead();
                assertArrayEquals(want, Arrays.copyOf(dst.array(), dst.position()));
            } else {
                byte[] p = new byte[op];
                Arrays.fill(p, (byte) seq++);
                boolean accepted = q.offer(MemorySegment.ofArray(p), 0, p.length, op * 7, op + 1);
                if (accepted) model.add(p);
                assertTrue(q.usedBytes() <= q.capacity(), "never beyond the buffer");
                if (!accepted) {
                    int record = (12 + op + 7) & ~7;
                    assertTrue(!model.isEmpty() || record > q.capacity(), "an empty queue takes anything that fits its capacity");
                }
            }
            assertEquals(model.size(), q.size());
        }
    }
}
