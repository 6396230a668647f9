package io.dmm.benchmarks;

import java.util.Arrays;

/**
 * The ratio candidate / baseline from paired measurements: pair {@code k} holds one fork of each,
 * run one right after the other, so what the machine does over minutes (another tenant's build, a
 * frequency change) moves both members of a pair alike and cancels in their ratio. The ratio is the
 * median of the per-pair ratios, with a distribution-free confidence interval of at least 95%: the
 * order statistics {@code r(k)} and {@code r(n+1-k)} of the sorted ratios, {@code k} the largest rank
 * for which the median lies between them with probability 95% or more (each ratio falls below the
 * median with probability 1/2, so the count below is binomial). No assumption about the ratios'
 * distribution is made, and one fork slowed down by a burst of load moves neither the median nor
 * the interval much — on a shared machine such forks happen.
 */
final class PairedRatio {
    /** The fewest pairs with a 95% interval (with five, the whole range covers the median only 94% of the time). */
    static final int MIN_PAIRS = 6;

    private final double[] ratios;
    private final double[] sorted;
    private final int rank;

    private PairedRatio(double[] ratios) {
        this.ratios = ratios;
        this.sorted = ratios.clone();
        Arrays.sort(sorted);
        this.rank = lowerRank(ratios.length);
    }

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

    /**
     * The largest 1-based rank {@code k} such that the {@code k}-th smallest and the {@code k}-th
     * largest of {@code n} values enclose their distribution's median with probability at least 95%;
     * 0 when even the whole range does not.
     */
    static int lowerRank(int n) {
        int k = 0;
        while (k + 1 <= n / 2 && coverage(n, k + 1) >= 0.95) {
            k++;
        }
        return k;
    }

    /**
     * The probability that the {@code k}-th smallest and {@code k}-th largest of {@code n} values
     * enclose the median: {@code 1 - 2 P(X <= k-1)}, X binomial(n, 1/2) counting the values below it.
     */
    static double coverage(int n, int k) {
        double p = Math.pow(0.5, n); // P(X = 0)
        double cdf = 0;
        for (int i = 0; i < k; i++) {
            cdf += p;
            p = p * (n - i) / (i + 1); // P(X = i + 1)
        }
        return 1 - 2 * cdf;
    }

    /** The probability that this interval encloses the median: at least 0.95. */
    double coverage() {
        return coverage(ratios.length, rank);
    }

    int pairs() {
        return ratios.length;
    }

    double ratio(int pair) {
        return ratios[pair];
    }

    /** The median of the per-pair ratios. */
    double median() {
        return median(ratios);
    }

    /** Lower end of the interval: the {@code k}-th smallest ratio. */
    double low() {
        return sorted[rank - 1];
    }

    /** Upper end of the interval: the {@code k}-th largest ratio. */
    double high() {
        return sorted[sorted.length - rank];
    }

    double min() {
        return sorted[0];
    }

    double max() {
        return sorted[sorted.length - 1];
    }

    Target.Verdict judge(Target target) {
        return target.judge(low(), high());
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
