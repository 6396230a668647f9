package io.dmm.benchmarks;

import io.dmm.stack.userspace.dpdk.DpdkUnavailableException;
import io.dmm.stack.userspace.dpdk.Eal;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What a benchmark needs from the host beyond a JDK. The launchers ({@link BenchMain},
 * {@link RatioRun}) check these before the first fork starts, so a run that cannot work fails at once
 * with the fix, instead of after the benchmarks that could run.
 */
enum HostNeed {
    /**
     * DPDK usable in this process: the shim built, DPDK's libraries of the right release loadable, the
     * EAL starting with the defaults the benchmarks' forks use. Checked by starting it here, which is
     * the one check that covers all of these; the EAL is cleaned up at this JVM's exit.
     */
    DPDK {
        @Override
        String check() {
            try {
                Eal.ensureStarted(null);
                return null;
            } catch (DpdkUnavailableException e) {
                return e.getMessage();
            }
        }
    },
    /** Root, {@code ip} and {@code socat}: for benchmarks that create network namespaces and interfaces. */
    ROOT_AND_NETWORK_TOOLS {
        @Override
        String check() {
            try {
                HostCommands.require("this benchmark", "ip", "socat");
                return null;
            } catch (IllegalStateException e) {
                return e.getMessage();
            }
        }
    };

    /** {@code needs} as an unmodifiable set in declaration order (the order they are checked and reported in). */
    static Set<HostNeed> setOf(HostNeed... needs) {
        EnumSet<HostNeed> set = EnumSet.noneOf(HostNeed.class);
        set.addAll(List.of(needs));
        return Collections.unmodifiableSet(set);
    }

    /** What the host needs for all of {@code values} (those that are not {@link HostDependent} need nothing). */
    static Set<HostNeed> union(Object... values) {
        EnumSet<HostNeed> set = EnumSet.noneOf(HostNeed.class);
        for (Object v : values) {
            if (v instanceof HostDependent d) {
                set.addAll(d.needs());
            }
        }
        return Collections.unmodifiableSet(set);
    }

    /** Adds to {@code problems} a line "{@code who}: why" for each of {@code needs} the host lacks ({@code unmet} says why, or null). */
    static void addUnmet(Collection<String> problems, String who, Set<HostNeed> needs, Function<HostNeed, String> unmet) {
        for (HostNeed need : needs) {
            String why = unmet.apply(need);
            if (why != null) {
                problems.add(who + ": " + why);
            }
        }
    }

    private String unmet;
    private boolean checked;

    /** Why this host lacks it (what is missing and how to get it), or null when it has it. */
    synchronized String unmetReason() {
        if (!checked) {
            unmet = check();
            checked = true;
        }
        return unmet;
    }

    abstract String check();
}
