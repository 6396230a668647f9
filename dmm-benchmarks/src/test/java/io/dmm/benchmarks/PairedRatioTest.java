package io.dmm.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PairedRatioTest {
    private static final double EPS = 1e-9;

    @Test
    void ratiosAreCandidateOverBaselinePerPair() {
        PairedRatio r = PairedRatio.of(new double[] {10, 20, 40}, new double[] {9, 20, 44});
        assertEquals(0.9, r.ratio(0), EPS);
        assertEquals(1.0, r.ratio(1), EPS);
        assertEquals(1.1, r.ratio(2), EPS);
        assertEquals(1.0, r.median(), EPS);
        assertEquals(0.9, r.min(), EPS);
        assertEquals(1.1, r.max(), EPS);
        assertEquals(Math.cbrt(0.9 * 1.0 * 1.1), r.mean(), EPS);
    }

    @Test
    void theIntervalIsStudentsTOnTheLogarithms() {
        // logs -0.1, 0, 0.1: mean 0, standard deviation 0.1; t(0.975, 2 degrees of freedom) = 4.302653
        double[] baseline = {1, 1, 1};
        double[] candidate = {Math.exp(-0.1), 1, Math.exp(0.1)};
        PairedRatio r = PairedRatio.of(baseline, candidate);
        double half = 4.302653 * 0.1 / Math.sqrt(3);
        assertEquals(1.0, r.mean(), EPS);
        assertEquals(Math.exp(-half), r.low(), 1e-6);
        assertEquals(Math.exp(half), r.high(), 1e-6);
    }

    @Test
    void aMeanInsideTheTargetIsNotEnoughWhenThePairsScatter() {
        PairedRatio steady = PairedRatio.of(new double[] {100, 100, 100, 100}, new double[] {99, 100, 101, 100});
        PairedRatio scattered = PairedRatio.of(new double[] {100, 100, 100, 100}, new double[] {90, 100, 112, 100});
        assertEquals(Target.Verdict.MET, steady.judge(Target.atMost(1.03)));
        assertEquals(Target.Verdict.INCONCLUSIVE, scattered.judge(Target.atMost(1.03)), "mean " + scattered.mean());
        assertEquals(Target.Verdict.NOT_MET,
                PairedRatio.of(new double[] {100, 100, 100}, new double[] {120, 121, 119}).judge(Target.atMost(1.03)));
    }

    @Test
    void needsThreePositivePairs() {
        assertThrows(IllegalArgumentException.class, () -> PairedRatio.of(new double[] {1, 2}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> PairedRatio.of(new double[] {1, 2, 3}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> PairedRatio.of(new double[] {1, 0, 3}, new double[] {1, 2, 3}));
    }
}
