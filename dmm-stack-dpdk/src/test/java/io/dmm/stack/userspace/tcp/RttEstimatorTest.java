package io.dmm.stack.userspace.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RttEstimatorTest {
    private static final long MS = 1_000_000L;
    private static final long US = 1_000L;

    private static RttEstimator estimator() {
        return new RttEstimator(1000 * MS, 200 * MS, 60_000 * MS, 1 * MS);
    }

    @Test
    void initialRtoBeforeAnySample() {
        RttEstimator e = estimator();
        assertFalse(e.hasSample());
        assertEquals(1000 * MS, e.rtoNanos());
        assertEquals(0, e.srttNanos());
    }

    @Test
    void handComputedRfc6298Sequence() {
        RttEstimator e = estimator();
        e.sample(100 * MS); // SRTT=100, RTTVAR=50, RTO=100+200
        assertTrue(e.hasSample());
        assertEquals(100 * MS, e.srttNanos());
        assertEquals(50 * MS, e.rttvarNanos());
        assertEquals(300 * MS, e.rtoNanos());
        e.sample(200 * MS); // RTTVAR = 3/4·50 + 1/4·|100−200| = 62.5; SRTT = 7/8·100 + 1/8·200 = 112.5
        assertEquals(62_500 * US, e.rttvarNanos());
        assertEquals(112_500 * US, e.srttNanos());
        assertEquals(362_500 * US, e.rtoNanos());
        e.sample(100 * MS); // RTTVAR = 3/4·62.5 + 1/4·12.5 = 50; SRTT = 112.5 − 12.5/8 = 110.9375
        assertEquals(50 * MS, e.rttvarNanos());
        assertEquals(110_937_500L, e.srttNanos());
        assertEquals(310_937_500L, e.rtoNanos());
    }

    @Test
    void granularityDominatesWhenVarianceVanishes() {
        RttEstimator e = new RttEstimator(1000 * MS, 1 * MS, 60_000 * MS, 10 * MS);
        for (int i = 0; i < 200; i++) {
            e.sample(50 * MS);
        }
        assertEquals(50 * MS, e.srttNanos());
        assertTrue(e.rttvarNanos() < 1 * MS);
        assertEquals(60 * MS, e.rtoNanos()); // SRTT + max(G=10ms, 4·RTTVAR)
    }

    @Test
    void theFloorIsAddedToTheSmoothedRttAsLinuxDoes() {
        RttEstimator e = estimator();
        for (int i = 0; i < 200; i++) {
            e.sample(100 * MS);  // a steady RTT: the variance vanishes
        }
        assertTrue(e.rttvarNanos() < 1 * MS);
        // RFC 6298's max(min, SRTT + 4·RTTVAR) would be 200 ms: an ACK 2 x late would look lost
        assertEquals(300 * MS, e.rtoNanos());
    }

    @Test
    void clampedToMinAndMax() {
        RttEstimator e = estimator();
        e.sample(1 * MS); // 1 + max(G 1, 4·RTTVAR 2, min 200) = 201 ms
        assertEquals(201 * MS, e.rtoNanos());
        RttEstimator f = estimator();
        f.sample(40_000 * MS); // 40 s + 80 s -> max 60 s
        assertEquals(60_000 * MS, f.rtoNanos());
        RttEstimator g = new RttEstimator(100_000 * MS, 200 * MS, 60_000 * MS, MS);
        assertEquals(60_000 * MS, g.rtoNanos()); // the initial value obeys the bounds too
    }

    @Test
    void backoffDoublesCapsAndPersistsUntilNextSample() {
        RttEstimator e = estimator();
        e.sample(100 * MS);
        assertEquals(300 * MS, e.rtoNanos());
        e.backoff();
        assertEquals(600 * MS, e.rtoNanos());
        e.backoff();
        assertEquals(1200 * MS, e.rtoNanos());
        assertEquals(2, e.backoffCount());
        // Persists: nothing but a sample resets it, and reading it does not change it.
        assertEquals(1200 * MS, e.rtoNanos());
        for (int i = 0; i < 10; i++) {
            e.backoff();
        }
        assertEquals(60_000 * MS, e.rtoNanos());
        e.backoff();
        assertEquals(60_000 * MS, e.rtoNanos());
        assertEquals(13, e.backoffCount());
        e.sample(100 * MS); // RTTVAR = 37.5, SRTT = 100 -> 100 + max(150, min 200) = 300
        assertEquals(0, e.backoffCount());
        assertEquals(300 * MS, e.rtoNanos());
    }

    @Test
    void backoffBeforeFirstSampleStartsFromInitialRto() {
        RttEstimator e = estimator();
        e.backoff();
        assertEquals(2000 * MS, e.rtoNanos());
        e.sample(100 * MS);
        assertEquals(300 * MS, e.rtoNanos());
    }
}
