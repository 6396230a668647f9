package io.dmm.stack.userspace.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SackScoreboardTest {
    private static final int BASE = 0xFFFFFF00; // 256 bytes below the 2^32 wrap

    @Test
    void mergesOverlappingAndAdjacentBlocks() {
        SackScoreboard sb = new SackScoreboard();
        int una = 1000, max = 5000;
        sb.onSack(2000, 2100, una, max);
        sb.onSack(3000, 3100, una, max);
        sb.onSack(1500, 1600, una, max);
        assertEquals(3, sb.rangeCount());
        sb.onSack(2100, 2200, una, max); // adjacent
        assertEquals(3, sb.rangeCount());
        sb.onSack(1550, 3050, una, max); // swallows all
        assertEquals(1, sb.rangeCount());
        assertEquals(1600, sb.sackedBytes());
        assertEquals(3100, sb.highestSacked(una));
    }

    @Test
    void ignoresInvalidBlocks() {
        SackScoreboard sb = new SackScoreboard();
        sb.onSack(500, 900, 1000, 5000); // below SND.UNA (a D-SACK)
        sb.onSack(4000, 6000, 1000, 5000); // beyond SND.MAX
        sb.onSack(3000, 3000, 1000, 5000); // empty
        sb.onSack(3000, 2000, 1000, 5000); // inverted
        assertTrue(sb.isEmpty());
        assertEquals(1000, sb.highestSacked(1000));
        sb.onSack(900, 1100, 1000, 5000); // straddles: clipped
        assertEquals(100, sb.sackedBytes());
        assertFalse(sb.isSacked(999));
        assertTrue(sb.isSacked(1000));
    }

    @Test
    void holesAndCumulativeAck() {
        SackScoreboard sb = new SackScoreboard();
        int una = 1000, max = 9000;
        sb.onSack(2000, 3000, una, max);
        sb.onSack(4000, 5000, una, max);
        int[] end = new int[1];
        assertEquals(1000, sb.nextHole(una, una, end));
        assertEquals(2000, end[0]);
        assertEquals(3000, sb.nextHole(2500, una, end));
        assertEquals(4000, end[0]);
        assertEquals(-1, sb.nextHole(4500, una, end)); // above the highest SACKed byte: not a hole
        sb.onCumulativeAck(2500);
        assertEquals(1500, sb.sackedBytes());
        assertEquals(3000, sb.nextHole(0, 2500, end));
        sb.onCumulativeAck(5000);
        assertTrue(sb.isEmpty());
    }

    @Test
    void fullScoreboardForgetsTheHighestRange() {
        SackScoreboard sb = new SackScoreboard();
        int una = 0, max = 1_000_000;
        for (int i = 0; i < SackScoreboard.CAPACITY; i++) {
            sb.onSack(100 + i * 100, 150 + i * 100, una, max);
        }
        int highest = sb.highestSacked(una);
        sb.onSack(500_000, 500_010, una, max); // highest: dropped
        assertEquals(highest, sb.highestSacked(una));
        sb.onSack(10, 20, una, max); // lower: kept, the top range goes
        assertTrue(sb.isSacked(10));
        assertEquals(highest - 100, sb.highestSacked(una));
        assertEquals(SackScoreboard.CAPACITY, sb.rangeCount());
    }

    /** The scoreboard against a bit-per-byte model, across the 2^32 wrap. */
    @Property(tries = 300, seed = "20261121")
    void matchesBitSetModelAcrossWrap(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3000) int span) {
        Random r = new Random(seed);
        SackScoreboard sb = new SackScoreboard();
        BitSet model = new BitSet(); // bit k = byte BASE + k SACKed
        int unaOff = 0;
        int[] end = new int[1];
        for (int op = 0; op < 40; op++) {
            int una = BASE + unaOff, max = BASE + span;
            if (r.nextInt(5) == 0) {
                unaOff = Math.min(span, unaOff + r.nextInt(span / 4 + 1));
                una = BASE + unaOff;
                sb.onCumulativeAck(una);
                model.clear(0, unaOff);
            } else {
                int l = unaOff - 20 + r.nextInt(span - unaOff + 40);
                int len = 1 + r.nextInt(Math.max(1, span / 8));
                int rt = l + len;
                sb.onSack(BASE + l, BASE + rt, una, max);
                if (rt > unaOff && rt <= span) {
                    model.set(Math.max(l, unaOff), rt);
                }
            }
            assertEquals(model.cardinality(), sb.sackedBytes());
            int hi = model.length() == 0 ? una : BASE + model.length();
            assertEquals(hi, sb.highestSacked(una));
            for (int k = Math.max(0, unaOff - 5); k < span + 5; k++) {
                assertEquals(k >= unaOff && model.get(k), sb.isSacked(BASE + k), "byte " + k);
            }
            int from = unaOff + r.nextInt(span - unaOff + 1);
            int hole = model.nextClearBit(from);
            long got = sb.nextHole(BASE + from, una, end);
            if (hole >= model.length()) {
                assertEquals(-1L, got);
            } else {
                assertEquals((BASE + hole) & 0xFFFF_FFFFL, got);
                assertEquals(BASE + model.nextSetBit(hole), end[0]);
            }
        }
    }
}
