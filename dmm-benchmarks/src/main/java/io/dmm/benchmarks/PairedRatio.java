package io.dmm.benchmarks;

import java.util.Arrays;
import org.openjdk.jmh.util.ListStatistics;

/**
 * The ratio candidate / baseline from paired measurements: pair {@code k} holds one fork of each,
 * run one right after the other, so what the machine does over minutes (another tenant's build, a
 * frequency change) moves both members of a pair alike and cancels in their ratio. The ratio is
 * summarised by the geometric mean of the per-pair ratios with a 95% confidence interval (Student's
 * t on their logarithms: ratios multiply, so their logs are what averages), plus the median and the
 * range of the per-pair ratios to show their spread as measured.
 */
final class PairedRatio {
    private final double[] ratios;
    private final double mean;
    private final double low;
    private final double high;

    private PairedRatio(double[] ratios) {
        this.ratios = ratios;
        double[] logs = new double[ratios.length];
        for (int i = 0; i < ratios.length; i++) {
            logs[i] = Math.log(ratios[i]);
        }
        ListStatistics stats = new ListStatistics(logs);
        double[] interval = stats.getConfidenceIntervalAt(0.95);
        this.mean = Math.exp(stats.getMean());
        this.low = Math.exp(interval[0]);
        this.high = Math.exp(interval[1]);
    }

    /** The fewest pairs with an interval (JMH's statistics give none for fewer). */
    static final int MIN_PAIRS = 3;

    /** Per-pair ratios {@code candidate[k] / baseline[k]}; needs at least {@link #MIN_PAIRS} pairs. */
    static PairedRatio of(double[] baseline, double[] candidate) {
        if (baseline.length != candidate.length || baseline.length < MIN_PAIRS) {
            throw new IllegalArgumentException("need at least " + MIN_PAIRS + " pairs of scores, got "
                    + baseline.length + " and " + candidate.length);
        }
        double[] r = new double[baseline.length];
        for (int i = 0; i < r.length; i++) {
            if (!(baseline[i] > 0) || !(candidate[i] > 0)) {
                throw new IllegalArgumentException("scores must be positive: pair " + (i + 1) + " has " + baseline[i] + ", " + candidate[i]);
            }
            r[i] = candidate[i] / baseline[i];
        }
        return new PairedRatio(r);
    }

    int pairs() {
        return ratios.length;
    }

    double ratio(int pair) {
        return ratios[pair];
    }

    /** The geometric mean of the per-pair ratios. */
    double mean() {
        return mean;
    }

    /** Lower end of the 95% confidence interval of {@link #mean()}. */
    double low() {
        return low;
    }

    /** Upper end of the 95% confidence interval of {@link #mean()}. */
    double high() {
        return high;
    }

    /** The median of the per-pair ratios. */
    double median() {
        return median(ratios);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    double min() {
        return Arrays.stream(ratios).min().orElseThrow();
    }

    double max() {
        return Arrays.stream(ratios).max().orElseThrow();
    }

    Target.Verdict judge(Target target) {
        return target.judge(low, high);
    }
}
