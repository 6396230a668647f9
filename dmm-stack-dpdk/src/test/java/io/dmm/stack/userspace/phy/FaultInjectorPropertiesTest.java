package io.dmm.stack.userspace.phy;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.stack.userspace.time.ManualClock;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** Whatever the plan and seed, the injector only drops, copies, delays and reorders: the books balance. */
class FaultInjectorPropertiesTest {
    @Property(tries = 60, seed = "20261121")
    void everyReceivedFrameWasSentAndTheCountersAccountForTheRest(
            @ForAll long seed,
            @ForAll @DoubleRange(min = 0, max = 0.5) double loss,
            @ForAll @DoubleRange(min = 0, max = 0.5) double duplication,
            @ForAll @DoubleRange(min = 0, max = 0.5) double reorder,
            @ForAll @IntRange(min = 1, max = 8) int distance,
            @ForAll @IntRange(min = 0, max = 3) int delayMicros,
            @ForAll @IntRange(min = 0, max = 3) int jitterMicros,
            @ForAll boolean onReceiveToo) {
        ManualClock clock = new ManualClock();
        FaultPlan plan = FaultPlan.builder().seed(seed).loss(loss).duplication(duplication).reorder(reorder, distance)
                .reorderMaxHoldNanos(50_000).delay(delayMicros * 1_000L, jitterMicros * 1_000L)
                .applyToReceive(onReceiveToo).build();
        int n = 500;
        Map<Long, Integer> copies = new HashMap<>();
        RxHandler check = (m, o, l, v) -> {
            long s = Frames.seq(m, o);
            assertTrue(s >= 0 && s < n, "a frame that was never sent: " + s);
            assertArrayEquals(Frames.expected(s, 80), Frames.bytes(m, o, l), "frame " + s + " intact");
            copies.merge(s, 1, Integer::sum);
        };
        try (FaultInjector f = new FaultInjector(new LoopbackDevice(256, 64), plan, clock)) {
            for (int i = 0; i < n; i++) {
                assertTrue(Frames.send(f, i, 80));
                f.txFlush();
                f.receive(check, 64);
                clock.advanceNanos(1_000);
            }
            for (int i = 0; i < 20; i++) {  // let every held frame fall due
                clock.advanceNanos(50_000);
                f.txFlush();
                while (f.receive(check, 64) > 0) { }
            }
            assertEquals(Long.MAX_VALUE, f.nextReleaseNanos(), "nothing left held");
            Map<String, Long> c = f.counters();
            long received = copies.values().stream().mapToLong(Integer::longValue).sum();
            assertEquals(n - c.get("dropped") + c.get("duplicated"), received, c.toString());
            int maxCopies = onReceiveToo ? 4 : 2;
            for (int k : copies.values()) assertTrue(k <= maxCopies, "a frame came " + k + " times");
            assertEquals(0L, c.get("hold_full") + c.get("fault_tx_no_buffer") + c.get("rate_limited"));
        }
    }
}
