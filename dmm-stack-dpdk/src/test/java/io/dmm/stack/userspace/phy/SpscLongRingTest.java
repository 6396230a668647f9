package io.dmm.stack.userspace.phy;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class SpscLongRingTest {
    @Test
    void fifoBoundedByAPowerOfTwoCapacityAcrossManyWraps() {
        SpscLongRing r = new SpscLongRing(5);
        assertEquals(8, r.capacity());
        assertEquals(-1, r.poll());
        assertFalse(r.consumerHasNext());
        long next = 0;
        long expect = 0;
        for (int round = 0; round < 1_000; round++) {
            int n = round % 9;
            int offered = 0;
            for (int i = 0; i < n; i++) if (r.offer(next)) { next++; offered++; }
            assertEquals(Math.min(n, 8), offered, "round " + round);
            while (r.consumerHasNext()) assertEquals(expect++, r.poll());
            assertEquals(-1, r.poll());
        }
        for (int i = 0; i < 8; i++) assertTrue(r.offer(i));
        assertFalse(r.offer(8), "full");
        assertEquals(0, r.poll());
        assertTrue(r.offer(8), "room again after one poll");
    }
}
