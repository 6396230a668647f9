package io.dmm.stack.userspace.poll;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class IdleStrategyTest {
    @Test
    void parseKnowsTheFourNamesAndExplainsOthers() {
        assertInstanceOf(AdaptiveIdle.class, IdleStrategy.parse("adaptive"));
        assertEquals(AdaptiveIdle.DEFAULT_BUDGET_NANOS, ((AdaptiveIdle) IdleStrategy.parse("adaptive")).budgetNanos());
        assertEquals(7_000, ((AdaptiveIdle) IdleStrategy.parse("Adaptive", 7_000)).budgetNanos());
        assertInstanceOf(BusySpinIdle.class, IdleStrategy.parse("busy-spin"));
        assertInstanceOf(BackoffIdle.class, IdleStrategy.parse("backoff"));
        assertInstanceOf(ParkIdle.class, IdleStrategy.parse(" PARK "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdleStrategy.parse("sleep"));
        assertTrue(e.getMessage().contains("\"sleep\"") && e.getMessage().contains("adaptive, busy-spin, backoff or park"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IdleStrategy.parse(null));
    }

    @Test
    void backoffSpinsThenYieldsThenParksForDoublingTimesUpToTheMaximumAndResetsOnWork() {
        BackoffIdle idle = new BackoffIdle(2, 1, 1_000, 4_000);
        long far = Long.MAX_VALUE;
        idle.idle(0, far, 0);  // spin
        idle.idle(0, far, 0);  // spin
        idle.idle(0, far, 0);  // yield
        assertEquals(1_000, idle.currentParkNanos());
        idle.idle(0, far, 0);  // park 1 us
        assertEquals(2_000, idle.currentParkNanos());
        idle.idle(0, far, 0);
        assertEquals(4_000, idle.currentParkNanos());
        idle.idle(0, far, 0);
        assertEquals(4_000, idle.currentParkNanos(), "capped at the maximum");
        idle.idle(1, far, 0);
        assertEquals(1_000, idle.currentParkNanos(), "work resets the backoff");
    }

    @Test
    void adaptivePollsBusilyWithinItsBudgetAfterWorkThenBacksOff() {
        BackoffIdle after = new BackoffIdle(0, 0, 1_000, 4_000);
        AdaptiveIdle idle = new AdaptiveIdle(50_000, after);
        long far = Long.MAX_VALUE;
        idle.idle(1, far, 1_000_000);  // work at 1 ms (loop clock)
        for (long t = 1_000_000; t < 1_050_000; t += 5_000) {
            idle.idle(0, far, t);
        }
        assertEquals(1_000, after.currentParkNanos(), "within 50 us of the work: busy polling, no park yet");
        idle.idle(0, far, 1_050_000);
        assertEquals(2_000, after.currentParkNanos(), "the budget is spent: the backoff parked (1 us) and doubled");
        idle.idle(0, far, 1_060_000);
        assertEquals(4_000, after.currentParkNanos());

        idle.idle(2, far, 2_000_000);  // traffic again: a new budget, the backoff starts over
        assertEquals(1_000, after.currentParkNanos());
        idle.idle(0, far, 2_049_999);
        assertEquals(1_000, after.currentParkNanos(), "a gap shorter than the budget never parks");
    }

    @Test
    void adaptiveWithAZeroBudgetIsAPlainBackoffAndAResetStartsTheBudgetAgain() {
        BackoffIdle after = new BackoffIdle(0, 0, 1_000, 4_000);
        AdaptiveIdle zero = new AdaptiveIdle(0, after);
        zero.idle(1, Long.MAX_VALUE, 0);
        zero.idle(0, Long.MAX_VALUE, 0);
        assertEquals(2_000, after.currentParkNanos(), "no budget: parks on the first idle turn");

        BackoffIdle after2 = new BackoffIdle(0, 0, 1_000, 4_000);
        AdaptiveIdle idle = new AdaptiveIdle(50_000, after2);
        idle.idle(0, Long.MAX_VALUE, 0);  // first turn: the budget starts
        idle.idle(0, Long.MAX_VALUE, 60_000);
        assertEquals(2_000, after2.currentParkNanos());
        idle.reset();
        idle.idle(0, Long.MAX_VALUE, 100_000);
        idle.idle(0, Long.MAX_VALUE, 149_999);
        assertEquals(1_000, after2.currentParkNanos(), "after a reset the budget runs again from the next turn");
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveIdle(-1));
    }

    @Test
    void backoffNeverParksPastTheDeadline() {
        long tenSeconds = 10_000_000_000L;
        BackoffIdle idle = new BackoffIdle(0, 0, tenSeconds, tenSeconds);
        long start = System.nanoTime();
        idle.idle(0, start - 1, start);  // deadline passed: no park at all
        idle.idle(0, start + 20_000_000, start);  // 20 ms deadline, 10 s park
        long took = System.nanoTime() - start;
        assertTrue(took < 2_000_000_000L, "returned by the deadline, took " + took / 1_000_000 + " ms");
    }

    @Test
    void parkWaitsUntilTheDeadlineCappedByTheMaximum() {
        ParkIdle deadlineBound = new ParkIdle(10_000_000_000L);
        long start = System.nanoTime();
        deadlineBound.idle(0, start + 20_000_000, start);
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "a 20 ms deadline is not a 10 s park");

        ParkIdle capped = new ParkIdle(20_000_000);
        start = System.nanoTime();
        capped.idle(0, Long.MAX_VALUE, start);
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "no deadline: parks at most the maximum");

        start = System.nanoTime();
        deadlineBound.idle(3, start + 5_000_000_000L, start);
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "after work it does not park (the deadline is 5 s away)");
    }

    @Test
    void timeToTheDeadlineNeverOverflows() {
        assertEquals(Long.MAX_VALUE, IdleStrategy.nanosUntil(Long.MAX_VALUE, -5), "no deadline, negative nanoTime");
        assertEquals(Long.MAX_VALUE, IdleStrategy.nanosUntil(Long.MAX_VALUE - 1, -5));
        assertEquals(Long.MIN_VALUE, IdleStrategy.nanosUntil(Long.MIN_VALUE + 1, 5));
        assertEquals(20, IdleStrategy.nanosUntil(-80, -100));
        assertEquals(-20, IdleStrategy.nanosUntil(80, 100));
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new BackoffIdle(1, 1, 10, 5));
        assertThrows(IllegalArgumentException.class, () -> new BackoffIdle(-1, 1, 10, 50));
        assertThrows(IllegalArgumentException.class, () -> new ParkIdle(0));
    }
}
