package io.dmm.benchmarks;

import java.util.Locale;

/**
 * A target for a ratio (DMM / JDK): at most {@code bound} (times: lower is better) or at least
 * {@code bound} (rates: higher is better). A measured ratio meets it only when its whole confidence
 * interval lies on the right side of the bound; an interval that straddles the bound does not say.
 */
record Target(boolean atMost, double bound) {
    enum Verdict {
        MET("met"), NOT_MET("not met"), INCONCLUSIVE("inconclusive");

        final String text;

        Verdict(String text) {
            this.text = text;
        }
    }

    static Target atMost(double bound) {
        return new Target(true, bound);
    }

    static Target atLeast(double bound) {
        return new Target(false, bound);
    }

    /** The verdict for a ratio whose confidence interval is {@code [low, high]}. */
    Verdict judge(double low, double high) {
        if (!(low <= high)) {
            throw new IllegalArgumentException("not an interval: [" + low + ", " + high + "]");
        }
        double good = atMost ? high : low;
        double bad = atMost ? low : high;
        if (atMost ? good <= bound : good >= bound) {
            return Verdict.MET;
        }
        if (atMost ? bad > bound : bad < bound) {
            return Verdict.NOT_MET;
        }
        return Verdict.INCONCLUSIVE;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %.2f", atMost ? "≤" : "≥", bound);
    }
}
