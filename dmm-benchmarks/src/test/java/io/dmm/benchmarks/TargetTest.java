package io.dmm.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TargetTest {
    @Test
    void anUpperBoundIsMetOnlyWhenTheWholeIntervalIsBelowIt() {
        Target t = Target.atMost(1.03);
        assertEquals(Target.Verdict.MET, t.judge(0.97, 1.02));
        assertEquals(Target.Verdict.MET, t.judge(0.97, 1.03));
        assertEquals(Target.Verdict.INCONCLUSIVE, t.judge(0.97, 1.04), "the mean may be below, the interval is not");
        assertEquals(Target.Verdict.INCONCLUSIVE, t.judge(1.03, 1.10));
        assertEquals(Target.Verdict.NOT_MET, t.judge(1.031, 1.10));
    }

    @Test
    void aLowerBoundIsMetOnlyWhenTheWholeIntervalIsAboveIt() {
        Target t = Target.atLeast(0.95);
        assertEquals(Target.Verdict.MET, t.judge(0.96, 1.10));
        assertEquals(Target.Verdict.MET, t.judge(0.95, 1.10));
        assertEquals(Target.Verdict.INCONCLUSIVE, t.judge(0.90, 1.10));
        assertEquals(Target.Verdict.INCONCLUSIVE, t.judge(0.80, 0.95));
        assertEquals(Target.Verdict.NOT_MET, t.judge(0.80, 0.94));
    }

    @Test
    void anIntervalWithoutEndsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Target.atMost(1).judge(Double.NaN, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Target.atMost(1).judge(1.1, 0.9));
    }

    @Test
    void printsItsDirectionAndBound() {
        assertEquals("≤ 1.03", Target.atMost(1.03).toString());
        assertEquals("≥ 0.97", Target.atLeast(0.97).toString());
    }
}
