package io.dmm.benchmarks;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code ./dmm bench ratios [NAME...] [options]}: measures the DMM / JDK ratios of
 * {@link Comparison} with forks that alternate. JMH on its own runs every fork of one parameter value
 * before the next, so on a shared machine whatever changed in between (another tenant's load) lands
 * on one side only. Here each pair is one JDK fork and one DMM fork run back to back, the order
 * flipping from pair to pair (JDK first, then DMM first, ...) so a steady drift favours neither side,
 * and the result is the median of the per-pair ratios with its 95% interval ({@link PairedRatio}).
 * Each fork is a fresh JVM, as in a JMH run: one side's JIT profile never shapes the other's code.
 *
 * <p>Options: {@code --pairs N} (default 10), and JMH's {@code -wi N}, {@code -w TIME}, {@code -i N},
 * {@code -r TIME} for every fork (defaults 3, 1s, 5, 1s). Without names it runs every comparison
 * that needs no more than a JDK; {@code --list} lists them all.
 */
public final class RatioRun {
    /** How each fork runs, and how many pairs. */
    record Settings(int pairs, int warmupIterations, TimeValue warmupTime, int iterations, TimeValue iterationTime) {
        /** A rough duration of one fork: its iterations plus JVM start-up and set-up. */
        long forkSeconds() {
            return warmupIterations * warmupTime.convertTo(TimeUnit.SECONDS)
                    + iterations * iterationTime.convertTo(TimeUnit.SECONDS) + 1;
        }
    }

    private RatioRun() {}

    public static void main(String[] args) {
        List<Comparison> chosen = new ArrayList<>();
        int pairs = 10;
        int wi = 3;
        int mi = 5;
        TimeValue w = TimeValue.seconds(1);
        TimeValue r = TimeValue.seconds(1);
        try {
            for (int a = 0; a < args.length; a++) {
                String arg = args[a];
                switch (arg) {
                    case "--list" -> {
                        list();
                        return;
                    }
                    case "--pairs" -> pairs = Integer.parseInt(value(args, ++a, arg));
                    case "-wi" -> wi = Integer.parseInt(value(args, ++a, arg));
                    case "-i" -> mi = Integer.parseInt(value(args, ++a, arg));
                    case "-w" -> w = time(value(args, ++a, arg));
                    case "-r" -> r = time(value(args, ++a, arg));
                    default -> {
                        Comparison c = Comparison.byCliName(arg);
                        if (c == null) {
                            throw new IllegalArgumentException("unknown comparison or option '" + arg + "' (--list lists the comparisons)");
                        }
                        chosen.add(c);
                    }
                }
            }
            if (pairs < PairedRatio.MIN_PAIRS || wi < 0 || mi < 1) {
                throw new IllegalArgumentException("need --pairs >= " + PairedRatio.MIN_PAIRS + ", -wi >= 0, -i >= 1");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("dmm bench ratios: " + e.getMessage());
            System.exit(2);
        }
        if (chosen.isEmpty()) {
            for (Comparison c : Comparison.values()) {
                if (c.needs().isEmpty()) {
                    chosen.add(c);
                }
            }
        }
        List<String> problems = hostProblems(chosen);
        if (!problems.isEmpty()) {
            System.err.println("dmm bench ratios: this run cannot work on this machine; nothing was started:");
            problems.forEach(p -> System.err.println("  " + p));
            System.exit(1);
        }
        Settings settings = new Settings(pairs, wi, w, mi, r);
        long seconds = chosen.size() * 2L * pairs * settings.forkSeconds();
        System.out.printf(Locale.ROOT, "%d comparison(s), %d pairs of forks each, every fork -wi %d -w %s -i %d -r %s: about %d min%n",
                chosen.size(), pairs, wi, w, mi, r, (seconds + 59) / 60);
        List<String> rows = new ArrayList<>();
        try {
            for (Comparison c : chosen) {
                rows.add(measure(c, settings));
            }
        } catch (RunnerException e) {
            System.err.println("dmm bench ratios: a fork failed: " + describe(e));
            System.exit(1);
        }
        System.out.println();
        System.out.println("| comparison | JDK (median fork) | DMM (median fork) | DMM / JDK (median pair) | 95% interval | range | target | verdict |");
        System.out.println("|---|---:|---:|---:|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** A JMH time value; a bare number is seconds, as on JMH's command line. */
    private static TimeValue time(String s) {
        return TimeValue.fromString(s.matches("\\d+") ? s + "s" : s);
    }

    private static void list() {
        for (Comparison c : Comparison.values()) {
            System.out.printf(Locale.ROOT, "%-26s %s (%s, %s vs %s, target %s)%s%n", c.cliName(), c.title,
                    c.benchmarkName(), c.baseline, c.candidate, c.target,
                    c.needs().isEmpty() ? "" : "; needs " + c.needs());
        }
    }

    private static List<String> hostProblems(List<Comparison> chosen) {
        Set<String> problems = new LinkedHashSet<>();
        for (Comparison c : chosen) {
            HostNeed.addUnmet(problems, c.cliName(), c.needs(), HostNeed::unmetReason);
        }
        return List.copyOf(problems);
    }

    /** Runs the pairs of one comparison, printing each, and returns its row of the summary table. */
    private static String measure(Comparison c, Settings s) throws RunnerException {
        System.out.printf(Locale.ROOT, "%n%s: %s, %s = %s vs %s, target DMM / JDK %s%n",
                c.cliName(), c.benchmarkName(), Comparison.PARAM, c.baseline, c.candidate, c.target);
        double[] baseline = new double[s.pairs()];
        double[] candidate = new double[s.pairs()];
        String unit = "";
        for (int k = 0; k < s.pairs(); k++) {
            long t0 = System.nanoTime();
            boolean baselineFirst = k % 2 == 0;
            Result<?> first = fork(c, baselineFirst ? c.baseline : c.candidate, s);
            Result<?> second = fork(c, baselineFirst ? c.candidate : c.baseline, s);
            baseline[k] = (baselineFirst ? first : second).getScore();
            candidate[k] = (baselineFirst ? second : first).getScore();
            unit = first.getScoreUnit();
            System.out.printf(Locale.ROOT, "  pair %2d/%d  %s first  %s %s  %s %s %s  ratio %.3f  (%d s)%n",
                    k + 1, s.pairs(), baselineFirst ? c.baseline : c.candidate, c.baseline, score(baseline[k]), c.candidate,
                    score(candidate[k]), unit, candidate[k] / baseline[k], (System.nanoTime() - t0) / 1_000_000_000L);
        }
        PairedRatio ratio = PairedRatio.of(baseline, candidate);
        Target.Verdict verdict = ratio.judge(c.target);
        System.out.printf(Locale.ROOT, "  %s / %s = %.3f (median of %d pairs), %.1f%% interval %.3f – %.3f, range %.3f – %.3f; "
                        + "target %s: %s%n",
                c.candidate, c.baseline, ratio.median(), ratio.pairs(), 100 * ratio.coverage(), ratio.low(), ratio.high(),
                ratio.min(), ratio.max(), c.target, verdict.text);
        return String.format(Locale.ROOT, "| %s | %s %s | %s %s | **%.3f** | %.3f – %.3f | %.3f – %.3f | %s | %s |",
                c.title, score(PairedRatio.median(baseline)), unit, score(PairedRatio.median(candidate)), unit,
                ratio.median(), ratio.low(), ratio.high(), ratio.min(), ratio.max(), c.target, verdict.text);
    }

    /** One JMH fork of {@code c}'s benchmark with the transport {@code side}: its primary score. */
    private static Result<?> fork(Comparison c, Enum<?> side, Settings s) throws RunnerException {
        Options options = new OptionsBuilder()
                .include("^" + Pattern.quote(c.benchmarkName()) + "$")
                .param(Comparison.PARAM, side.name())
                .forks(1)
                .warmupForks(0)
                .warmupIterations(s.warmupIterations())
                .warmupTime(s.warmupTime())
                .measurementIterations(s.iterations())
                .measurementTime(s.iterationTime())
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        return new Runner(options).runSingle().getPrimaryResult();
    }

    /** A score with four significant digits, without an exponent: 58.12, 2371, 156,895. */
    private static String score(double v) {
        return v >= 1000 ? String.format(Locale.ROOT, "%,.0f", v)
                : new BigDecimal(v).round(new MathContext(4)).toPlainString();
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            sb.append("; ").append(t);
            for (Throwable s : t.getSuppressed()) {
                sb.append("; ").append(s);
            }
        }
        return sb.toString();
    }
}
