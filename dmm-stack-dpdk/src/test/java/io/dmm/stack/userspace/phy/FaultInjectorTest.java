package io.dmm.stack.userspace.phy;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.stack.userspace.time.ManualClock;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {
    private static final int LEN = 100;

    /** Sends frames 0..n-1 one at a time through the injector over a loopback and returns what came back. */
    private static List<byte[]> roundTrip(FaultInjector f, int n) {
        List<byte[]> got = new ArrayList<>();
        RxHandler collect = (m, o, l, v) -> got.add(Frames.bytes(m, o, l));
        for (int i = 0; i < n; i++) {
            assertTrue(Frames.send(f, i, LEN), "no buffer for frame " + i);
            f.txFlush();
            while (f.receive(collect, 64) > 0) { }
        }
        return got;
    }

    private static long seq(byte[] frame) {
        return Frames.seq(MemorySegment.ofArray(frame), 0);
    }

    @Test
    void lossRateMatchesThePlanForASeed() {
        ManualClock clock = new ManualClock();
        try (FaultInjector f = new FaultInjector(new LoopbackDevice(256, 64), FaultPlan.builder().seed(42).loss(0.05).build(), clock)) {
            List<byte[]> got = roundTrip(f, 100_000);
            long dropped = f.counters().get("dropped");
            assertTrue(dropped >= 4_500 && dropped <= 5_500, "5% loss of 100000 frames dropped " + dropped);
            assertEquals(100_000 - dropped, got.size());
            long last = -1;
            for (byte[] b : got) {
                assertTrue(seq(b) > last, "loss alone never reorders");
                last = seq(b);
            }
        }
    }

    @Test
    void duplicationRateMatchesThePlanAndCopiesAreExact() {
        try (FaultInjector f = new FaultInjector(new LoopbackDevice(256, 64), FaultPlan.builder().seed(7).duplication(0.1).build(), new ManualClock())) {
            List<byte[]> got = roundTrip(f, 20_000);
            long dup = f.counters().get("duplicated");
            assertTrue(dup >= 1_800 && dup <= 2_200, "10% duplication of 20000 frames duplicated " + dup);
            assertEquals(20_000 + dup, got.size());
            for (byte[] b : got) assertArrayEquals(Frames.expected(seq(b), LEN), b);
        }
    }

    @Test
    void sameSeedSameFaultsDifferentSeedDifferentFaults() {
        FaultPlan.Builder plan = FaultPlan.builder().loss(0.1).duplication(0.05).reorder(0.05, 2).corruption(0.05);
        List<byte[]> one = run(plan.seed(99).build());
        List<byte[]> two = run(plan.seed(99).build());
        List<byte[]> other = run(plan.seed(100).build());
        assertEquals(one.size(), two.size());
        for (int i = 0; i < one.size(); i++) assertArrayEquals(one.get(i), two.get(i), "frame " + i);
        boolean differs = one.size() != other.size();
        for (int i = 0; !differs && i < one.size(); i++) differs = !Arrays.equals(one.get(i), other.get(i));
        assertTrue(differs, "another seed gives other faults");
    }

    private static List<byte[]> run(FaultPlan plan) {
        try (FaultInjector f = new FaultInjector(new LoopbackDevice(256, 64), plan, new ManualClock())) {
            return roundTrip(f, 5_000);
        }
    }

    @Test
    void reorderedFramesAreOvertakenByLaterOnesAndNoneIsLost() {
        try (FaultInjector f = new FaultInjector(new LoopbackDevice(256, 64), FaultPlan.builder().seed(3).reorder(0.1, 3).build(), new ManualClock())) {
            List<byte[]> got = roundTrip(f, 10_000);
            long reordered = f.counters().get("reordered");
            assertTrue(reordered >= 900 && reordered <= 1_100, "10% reorder of 10000 frames reordered " + reordered);
            int inversions = 0;
            for (int i = 1; i < got.size(); i++) if (seq(got.get(i)) < seq(got.get(i - 1))) inversions++;
            assertTrue(inversions > 500, "frames arrive out of order: " + inversions + " inversions");
            Set<Long> seen = new HashSet<>();
            for (byte[] b : got) assertTrue(seen.add(seq(b)), "no duplicates");
            assertTrue(got.size() >= 10_000 - 3, "all but the held tail arrived: " + got.size());
        }
    }

    @Test
    void heldBackFrameIsReleasedAfterItsMaximumHoldWhenNoLaterFramesCome() {
        ManualClock clock = new ManualClock();
        FaultPlan plan = FaultPlan.builder().seed(1).reorder(1.0, 5).reorderMaxHoldNanos(2_000_000).build();
        try (FaultInjector f = new FaultInjector(new LoopbackDevice(256, 64), plan, clock)) {
            Frames.send(f, 1, LEN);
            f.txFlush();
            assertFalse(f.rxPending());
            assertEquals(clock.nanos() + 2_000_000, f.nextReleaseNanos());
            clock.advanceMillis(2);
            f.txFlush();
            List<Long> got = new ArrayList<>();
            f.receive((m, o, l, v) -> got.add(Frames.seq(m, o)), 10);
            assertEquals(List.of(1L), got);
        }
    }

    @Test
    void heldFramesLiveInTheInjectorsArenaNotInTheWrappedDevicesBuffers() {
        ManualClock clock = new ManualClock();
        FaultPlan plan = FaultPlan.builder().delay(1_000_000, 0).build();
        try (DevicePair pair = DevicePair.create(256, 2)) {
            FaultInjector a = new FaultInjector(pair.a(), plan, clock);
            for (int i = 0; i < 10; i++) {
                assertTrue(Frames.send(a, i, LEN), "the 2-slot device still has a buffer for frame " + i);
                a.txFlush();
            }
            assertEquals(10L, a.counters().get("delayed"));
            assertFalse(pair.b().rxPending());
            clock.advanceMillis(1);
            List<Long> got = new ArrayList<>();
            for (int round = 0; round < 10 && got.size() < 10; round++) {
                a.txFlush();  // releases as many as the device has buffers for; the rest wait
                pair.b().receive((m, o, l, v) -> got.add(Frames.seq(m, o)), 10);
            }
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), got);
        }
    }

    @Test
    void corruptionFlipsExactlyOneBitBeyondTheEthernetHeaderAndTurnsVouchingOff() {
        try (FaultInjector f = new FaultInjector(new LoopbackDevice(256, 64), FaultPlan.builder().seed(5).corruption(1.0).build(), new ManualClock())) {
            assertFalse(f.txChecksumOffload(), "a corrupting link must make the stack compute checksums");
            List<Boolean> vouched = new ArrayList<>();
            List<byte[]> got = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                Frames.send(f, i, LEN);
                f.txFlush();
                f.receive((m, o, l, v) -> { vouched.add(v); got.add(Frames.bytes(m, o, l)); }, 10);
            }
            assertEquals(1_000, got.size());
            assertEquals(1_000L, f.counters().get("corrupted"));
            assertFalse(vouched.contains(true));
            for (int i = 0; i < got.size(); i++) {
                byte[] sent = Frames.expected(i, LEN);
                byte[] recv = got.get(i);
                int bitsChanged = 0;
                for (int j = 0; j < LEN; j++) {
                    int diff = Integer.bitCount((sent[j] ^ recv[j]) & 0xFF);
                    if (diff != 0) assertTrue(j >= 14, "byte " + j + " of the Ethernet header changed");
                    bitsChanged += diff;
                }
                assertEquals(1, bitsChanged, "frame " + i);
            }
        }
    }

    @Test
    void delayHoldsFramesUntilTheClockPassesTheirDueTime() {
        ManualClock clock = new ManualClock();
        FaultPlan plan = FaultPlan.builder().delay(10_000_000, 0).build();
        try (FaultInjector f = new FaultInjector(new LoopbackDevice(256, 64), plan, clock)) {
            Frames.send(f, 1, LEN);
            Frames.send(f, 2, LEN);
            f.txFlush();
            List<Long> got = new ArrayList<>();
            RxHandler collect = (m, o, l, v) -> got.add(Frames.seq(m, o));
            assertEquals(0, f.receive(collect, 10));
            clock.advanceMillis(9);
            f.txFlush();
            assertEquals(0, f.receive(collect, 10));
            clock.advanceMillis(1);
            assertEquals(2, f.receive(collect, 10), "receive releases due frames, and a loopback hands them straight back");
            assertEquals(List.of(1L, 2L), got);
            assertEquals(2L, f.counters().get("delayed"));
        }
    }

    @Test
    void jitterDelaysWithinBoundsWithoutReordering() {
        ManualClock clock = new ManualClock();
        FaultPlan plan = FaultPlan.builder().seed(11).delay(1_000_000, 4_000_000).build();
        try (FaultInjector f = new FaultInjector(new LoopbackDevice(256, 256), plan, clock)) {
            for (int i = 0; i < 100; i++) Frames.send(f, i, LEN);
            f.txFlush();
            List<Long> got = new ArrayList<>();
            RxHandler collect = (m, o, l, v) -> got.add(Frames.seq(m, o));
            clock.advanceNanos(999_999);
            f.txFlush();
            assertEquals(0, f.receive(collect, 1000), "nothing before the fixed delay");
            clock.advanceNanos(4_000_001);
            f.txFlush();
            f.receive(collect, 1000);
            assertEquals(100, got.size(), "everything by delay + jitter");
            for (int i = 0; i < 100; i++) assertEquals(i, got.get(i));
        }
    }

    @Test
    void rateLimitDropsWhatExceedsTheTokenBucket() {
        ManualClock clock = new ManualClock();
        FaultPlan plan = FaultPlan.builder().rateLimit(100_000, 1_000).build();  // 100 kB/s, 1000-byte bucket
        try (FaultInjector f = new FaultInjector(new LoopbackDevice(256, 64), plan, clock)) {
            int[] got = {0};
            RxHandler count = (m, o, l, v) -> got[0]++;
            for (int i = 0; i < 20; i++) Frames.send(f, i, LEN);
            f.txFlush();
            f.receive(count, 100);
            assertEquals(10, got[0], "the full bucket passes 1000 bytes");
            assertEquals(10L, f.counters().get("rate_limited"));
            clock.advanceMillis(5);  // 500 bytes of tokens
            for (int i = 0; i < 20; i++) Frames.send(f, i, LEN);
            f.txFlush();
            f.receive(count, 100);
            assertEquals(15, got[0]);
            assertEquals(25L, f.counters().get("rate_limited"));
        }
    }

    @Test
    void eachDirectionHasItsOwnTokenBucket() {
        FaultPlan plan = FaultPlan.builder().rateLimit(100_000, 1_000).applyToReceive(true).build();
        try (FaultInjector f = new FaultInjector(new LoopbackDevice(256, 64), plan, new ManualClock())) {
            for (int i = 0; i < 10; i++) Frames.send(f, i, LEN);
            f.txFlush();
            assertEquals(10, f.receive((m, o, l, v) -> {}, 100), "what the transmit bucket let out, the receive bucket lets in");
            assertEquals(0L, f.counters().get("rate_limited"));
        }
    }

    @Test
    void receiveSideFaultsApplyToFramesFromThePeerOnlyWhenAsked() {
        try (DevicePair pair = DevicePair.create(256, 64)) {
            FaultInjector b = new FaultInjector(pair.b(), FaultPlan.builder().loss(1.0).applyToReceive(true).build(), new ManualClock());
            for (int i = 0; i < 10; i++) Frames.send(pair.a(), i, LEN);
            pair.a().txFlush();
            assertEquals(0, b.receive((m, o, l, v) -> fail("all lost"), 100));
            assertEquals(10L, b.counters().get("dropped"));
            assertFalse(b.rxPending());
        }
        try (DevicePair pair = DevicePair.create(256, 64)) {
            FaultInjector b = new FaultInjector(pair.b(), FaultPlan.builder().loss(1.0).build(), new ManualClock());
            for (int i = 0; i < 10; i++) Frames.send(pair.a(), i, LEN);
            pair.a().txFlush();
            assertEquals(10, b.receive((m, o, l, v) -> {}, 100), "transmit-side faults only by default");
        }
    }

    @Test
    void receiveSideCorruptionCopiesTheFrameAndVouchesForNothing() {
        try (DevicePair pair = DevicePair.create(256, 64)) {
            FaultInjector b = new FaultInjector(pair.b(), FaultPlan.builder().seed(2).corruption(1.0).applyToReceive(true).build(), new ManualClock());
            Frames.send(pair.a(), 4, LEN);
            pair.a().txFlush();
            byte[][] got = new byte[1][];
            assertEquals(1, b.receive((m, o, l, v) -> { assertFalse(v); got[0] = Frames.bytes(m, o, l); }, 10));
            assertFalse(Arrays.equals(Frames.expected(4, LEN), got[0]));
            assertEquals(1L, b.counters().get("corrupted"));
        }
    }

    @Test
    void planValidationNamesTheBadValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FaultPlan.builder().loss(1.5).build());
        assertTrue(e.getMessage().contains("loss") && e.getMessage().contains("[0, 1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FaultPlan.builder().corruption(Double.NaN).build());
        assertTrue(e.getMessage().contains("corruption"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.builder().reorder(0.1, 0).build());
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.builder().delay(-1, 0).build());
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.builder().rateLimit(-5, 0).build());
    }
}
