package io.dmm.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PairedRatioTest {
    private static final double EPS = 1e-9;

    private static PairedRatio ratios(double... candidateOverOne) {
        double[] baseline = new double[candidateOverOne.length];
        Arrays.fill(baseline, 1);
        return PairedRatio.of(baseline, candidateOverOne);
    }

    @Test
    void ratiosAreCandidateOverBaselinePerPair() {
        PairedRatio r = PairedRatio.of(new double[] {10, 20, 40, 10, 10, 10, 10}, new double[] {9, 20, 44, 10, 10, 10, 12});
        assertEquals(0.9, r.ratio(0), EPS);
        assertEquals(1.0, r.ratio(1), EPS);
        assertEquals(1.1, r.ratio(2), EPS);
        assertEquals(1.0, r.median(), EPS);
        assertEquals(0.9, r.min(), EPS);
        assertEquals(1.2, r.max(), EPS);
    }

    @Test
    void theIntervalIsTheWidestPairOfOrderStatisticsThatStillCoversTheMedianWith95Percent() {
        // 1 - 2 P(Bin(n, 1/2) <= k-1): n = 6, k = 1: 62/64; n = 10, k = 2: 1 - 22/1024, k = 3: 1 - 112/1024
        assertEquals(0, PairedRatio.lowerRank(5), "the whole range of 5 covers the median 30/32 < 95% of the time");
        assertEquals(1, PairedRatio.lowerRank(6));
        assertEquals(1, PairedRatio.lowerRank(8));
        assertEquals(2, PairedRatio.lowerRank(9));
        assertEquals(2, PairedRatio.lowerRank(10));
        assertEquals(3, PairedRatio.lowerRank(12));
        assertEquals(62.0 / 64, PairedRatio.coverage(6, 1), EPS);
        assertEquals(1 - 22.0 / 1024, PairedRatio.coverage(10, 2), EPS);
        assertEquals(1 - 112.0 / 1024, PairedRatio.coverage(10, 3), EPS);

        PairedRatio r = ratios(1.05, 0.97, 1.01, 0.95, 1.10, 0.99, 1.03, 0.90, 1.00, 1.02);
        assertEquals(0.95, r.low(), EPS, "second smallest");
        assertEquals(1.05, r.high(), EPS, "second largest");
        assertEquals(1.005, r.median(), EPS);
        assertEquals(1 - 22.0 / 1024, r.coverage(), EPS);
    }

    @Test
    void oneForkSlowedByABurstOfLoadDoesNotDecide() {
        PairedRatio steady = ratios(1.00, 0.99, 1.01, 1.00, 0.99, 1.01, 1.00, 1.00, 0.99, 1.01);
        PairedRatio burst = ratios(1.00, 0.99, 1.01, 1.00, 0.99, 1.01, 1.00, 1.00, 0.99, 5.5);
        assertEquals(Target.Verdict.MET, steady.judge(Target.atMost(1.03)));
        assertEquals(Target.Verdict.MET, burst.judge(Target.atMost(1.03)));
        assertEquals(1.01, burst.high(), EPS);
    }

    @Test
    void aMedianInsideTheTargetIsNotEnoughWhenThePairsScatter() {
        PairedRatio scattered = ratios(0.90, 1.10, 0.95, 1.08, 1.00, 1.00, 0.92, 1.06, 0.97, 1.01);
        assertEquals(Target.Verdict.INCONCLUSIVE, scattered.judge(Target.atMost(1.03)), "median " + scattered.median());
        assertEquals(Target.Verdict.NOT_MET, ratios(1.20, 1.21, 1.19, 1.25, 1.18, 1.22).judge(Target.atMost(1.03)));
    }

    @Test
    void needsSixPositivePairs() {
        assertThrows(IllegalArgumentException.class, () -> ratios(1, 1, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> PairedRatio.of(new double[] {1, 2, 3, 4, 5, 6}, new double[] {1, 2, 3, 4, 5}));
        assertThrows(IllegalArgumentException.class, () -> ratios(1, 1, 0, 1, 1, 1));
    }
}
