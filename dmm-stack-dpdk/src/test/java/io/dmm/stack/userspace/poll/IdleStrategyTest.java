package io.dmm.stack.userspace.poll;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class IdleStrategyTest {
    @Test
    void parseKnowsTheThreeNamesAndExplainsOthers() {
        assertInstanceOf(BusySpinIdle.class, IdleStrategy.parse("busy-spin"));
        assertInstanceOf(BackoffIdle.class, IdleStrategy.parse("backoff"));
        assertInstanceOf(ParkIdle.class, IdleStrategy.parse(" PARK "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdleStrategy.parse("sleep"));
        assertTrue(e.getMessage().contains("\"sleep\"") && e.getMessage().contains("busy-spin, backoff or park"), e.getMessage());
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
