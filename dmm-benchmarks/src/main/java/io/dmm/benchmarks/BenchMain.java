package io.dmm.benchmarks;

import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.Main;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * {@code ./dmm bench [JMH options]}: JMH's own command line, checked first ({@link RunGuard}). What
 * cannot run on this host (a DPDK transport without DPDK, a benchmark that needs root) stops the run
 * before the first fork, with what is missing and how to get it. A run that names no benchmark runs
 * every benchmark whose defaults work on any host and says which ones it left out.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            Main.main(args); // JMH reports the bad option itself
            return;
        }
        if (options.shouldHelp() || options.shouldList() || options.shouldListWithParams()
                || options.shouldListProfilers() || options.shouldListResultFormats()) {
            Main.main(args);
            return;
        }
        RunGuard.Plan plan = RunGuard.examine(options, BenchmarkList.defaultList(), HostNeed::unmetReason);
        if (!plan.problems().isEmpty()) {
            System.err.println("dmm bench: this run cannot work on this machine; nothing was started:");
            for (String problem : plan.problems()) {
                System.err.println("  " + problem);
            }
            System.exit(1);
        }
        List<String> argv = new ArrayList<>(List.of(args));
        if (!plan.leftOutNames().isEmpty()) {
            System.out.println("dmm bench: left out, as they need more than a JDK (root, network tools or DPDK); "
                    + "name them to run them: " + String.join(", ", plan.leftOutNames()));
            for (String pattern : plan.leftOut()) {
                argv.add("-e");
                argv.add(pattern);
            }
        }
        Main.main(argv.toArray(String[]::new));
    }
}
