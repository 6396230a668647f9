package io.dmm.benchmarks;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Optional;

/**
 * Looks at what a JMH command line would run, before anything runs: every benchmark it selects with
 * every parameter value (given with {@code -p}, else the {@code @Param} defaults). A value that needs
 * what the host lacks ({@link HostDependent}) makes the whole run fail at once with the reason and
 * the fix, as does a value the benchmark does not have. A benchmark whose default values all need the
 * host (it sets up namespaces, say) is opt-in: a run that names no benchmark leaves it out.
 */
final class RunGuard {
    /**
     * @param problems     why the run cannot work here, one line each (empty: it can)
     * @param leftOutNames benchmarks a run without patterns leaves out
     */
    record Plan(List<String> problems, List<String> leftOutNames) {
        /** {@link #leftOutNames} as JMH exclude patterns. */
        List<String> leftOut() {
            List<String> patterns = new ArrayList<>();
            for (String name : leftOutNames) {
                patterns.add("^" + Pattern.quote(name) + "$");
            }
            return patterns;
        }
    }

    private RunGuard() {}

    /** The plan for {@code options} over {@code benchmarks}; {@code unmet} says why the host lacks a need, or null. */
    static Plan examine(Options options, BenchmarkList benchmarks, Function<HostNeed, String> unmet) {
        boolean named = !options.getIncludes().isEmpty();
        SortedSet<BenchmarkListEntry> selected = benchmarks.find(
                OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT),
                named ? options.getIncludes() : List.of(".*"), options.getExcludes());
        Set<String> problems = new LinkedHashSet<>();
        Set<String> leftOutNames = new LinkedHashSet<>();
        for (BenchmarkListEntry entry : selected) {
            Class<?> type = benchmarkClass(entry);
            Map<String, String[]> defaults = entry.getParams().orElse(Map.of());
            for (Map.Entry<String, String[]> param : defaults.entrySet()) {
                Optional<Collection<String>> given = options.getParameter(param.getKey());
                boolean asked = named || given.hasValue();
                Collection<String> values = given.hasValue() ? given.get() : Arrays.asList(param.getValue());
                List<String> portable = new ArrayList<>();
                List<String> dependent = new ArrayList<>();
                for (String value : values) {
                    Object constant = constant(type, param.getKey(), value);
                    if (constant == null) {
                        problems.add(entry.getUsername() + " has no " + param.getKey() + " " + value
                                + " (its values: " + String.join(", ", constantNames(type, param.getKey())) + ")");
                    } else if (constant instanceof HostDependent d && !d.needs().isEmpty()) {
                        dependent.add(value);
                        if (asked) {
                            HostNeed.addUnmet(problems, entry.getUsername() + " with " + param.getKey() + "=" + value,
                                    d.needs(), unmet);
                        }
                    } else {
                        portable.add(value);
                    }
                }
                if (!asked && !dependent.isEmpty()) {
                    leftOutNames.add(entry.getUsername());
                    if (!portable.isEmpty()) {
                        // leaving the benchmark out would drop its portable values too
                        problems.add(entry.getUsername() + " lists " + dependent + " among its default " + param.getKey()
                                + " values next to " + portable + ": the defaults must run on any host");
                    }
                }
            }
        }
        return new Plan(List.copyOf(problems), List.copyOf(leftOutNames));
    }

    private static Class<?> benchmarkClass(BenchmarkListEntry entry) {
        try {
            return Class.forName(entry.getUserClassQName(), false, RunGuard.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("benchmark class of " + entry.getUsername() + " not found", e);
        }
    }

    /** The parameter's field type, when it is an enum (other parameters, numbers, are not checked). */
    private static Class<?> enumType(Class<?> type, String param) {
        try {
            Field field = type.getField(param);
            return field.getType().isEnum() ? field.getType() : null;
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    /** The enum constant named {@code value}, {@code value} itself for other parameters, null when there is none. */
    private static Object constant(Class<?> type, String param, String value) {
        Class<?> enumType = enumType(type, param);
        if (enumType == null) {
            return value;
        }
        for (Object c : enumType.getEnumConstants()) {
            if (((Enum<?>) c).name().equals(value)) {
                return c;
            }
        }
        return null;
    }

    private static List<String> constantNames(Class<?> type, String param) {
        List<String> names = new ArrayList<>();
        for (Object c : enumType(type, param).getEnumConstants()) {
            names.add(((Enum<?>) c).name());
        }
        return names;
    }
}
