package io.dmm.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The distribution of single 64-byte round trips (TCP_NODELAY, blocking) to a Linux echo server in
 * a network namespace ({@link SocatPeer.Kind#ECHO}), over both {@link LinuxPeer} paths in one JVM:
 * the kernel over veth and the userspace stack on a tap (its own tap driver, or DPDK's {@code net_tap}
 * PMD when the fourth argument is {@code net_tap}). Blocks alternate
 * between the paths, so a busy machine slows both alike; each line gives the percentiles and this
 * JVM's CPU time per round trip (all its threads: a poll loop that spins shows here), and the end
 * the same-run ratios: of the medians of the blocks, of the percentiles of all round trips of all blocks
 * pooled, and of each path's best block (on a 2-vCPU VM a path's median moves between blocks by a
 * factor of up to 6, with where the scheduler puts the two threads: docs/benchmarks.md); then the
 * userspace instance's non-zero counters. Needs root,
 * {@code ip}, {@code socat} (and DPDK for net_tap); removes its namespaces and ports when done.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp dmm-benchmarks/target/benchmarks.jar io.dmm.benchmarks.LinuxPeerRoundTrips 20000 4 '"idle": "busy-spin"'</pre>
 *
 * Arguments: round trips per block (20,000), blocks per path (4), JSON members added to the
 * userspace instance's entry (none), the device ({@code tap}, the default, or {@code net_tap}).
 */
public final class LinuxPeerRoundTrips {
    private LinuxPeerRoundTrips() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int blocks = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        String keys = args.length > 2 ? args[2] : "";
        LinuxPeer userspace = args.length > 3 && args[3].equals("net_tap") ? LinuxPeer.TAP_DMM_USERSPACE
                : LinuxPeer.TAP_DRIVER_DMM_USERSPACE;
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (LinuxPeer.Connection veth = LinuxPeer.VETH_JDK.connect("LinuxPeerRoundTrips", SocatPeer.Kind.ECHO, "");
             LinuxPeer.Connection tap = userspace.connect("LinuxPeerRoundTrips", SocatPeer.Kind.ECHO, keys)) {
            long[] rtt = new long[n];
            long[][] pooled = new long[2][n * blocks];
            double[][] medians = new double[2][blocks];
            double[][] p99s = new double[2][blocks];
            // warm-up of both paths, a block each (ARP, and the JIT: with a tenth of a block the
            // userspace path was still being compiled in the first measured blocks)
            TcpPingPongBenchmark.timeRoundTrips(veth.channel(), rtt, n);
            TcpPingPongBenchmark.timeRoundTrips(tap.channel(), rtt, n);
            for (int b = 0; b < blocks; b++) {
                for (int path = 0; path < 2; path++) {
                    LinuxPeer.Connection c = path == 0 ? veth : tap;
                    long cpu0 = os.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    TcpPingPongBenchmark.timeRoundTrips(c.channel(), rtt, n);
                    long wall = System.nanoTime() - t0;
                    long cpu = os.getProcessCpuTime() - cpu0;
                    System.arraycopy(rtt, 0, pooled[path], b * n, n);
                    Arrays.sort(rtt);
                    medians[path][b] = rtt[n / 2] / 1e3;
                    p99s[path][b] = rtt[n * 99 / 100] / 1e3;
                    System.out.printf(Locale.ROOT,
                            "%-17s block %d: p10 %7.1f p50 %7.1f p90 %7.1f p99 %7.1f p99.9 %7.1f max %8.1f us;"
                                    + " JVM CPU %5.1f us per round trip (%3.0f%% of a core)%n",
                            path == 0 ? "kernel/veth" : "userspace/tap", b + 1,
                            rtt[n / 10] / 1e3, rtt[n / 2] / 1e3, rtt[n * 9 / 10] / 1e3, rtt[n * 99 / 100] / 1e3,
                            rtt[n * 999 / 1000] / 1e3, rtt[n - 1] / 1e3, cpu / 1e3 / n, 100.0 * cpu / wall);
                }
            }
            System.out.printf(Locale.ROOT, "userspace/kernel, median of blocks: p50 %.2f (%.1f / %.1f us), p99 %.2f (%.1f / %.1f us)%n",
                    median(medians[1]) / median(medians[0]), median(medians[1]), median(medians[0]),
                    median(p99s[1]) / median(p99s[0]), median(p99s[1]), median(p99s[0]));
            Arrays.sort(pooled[0]);
            Arrays.sort(pooled[1]);
            System.out.printf(Locale.ROOT, "userspace/kernel, all round trips pooled: p50 %.2f (%.1f / %.1f us), p90 %.2f (%.1f / %.1f us), p99 %.2f (%.1f / %.1f us)%n",
                    ratio(pooled, 0.5), at(pooled[1], 0.5), at(pooled[0], 0.5),
                    ratio(pooled, 0.9), at(pooled[1], 0.9), at(pooled[0], 0.9),
                    ratio(pooled, 0.99), at(pooled[1], 0.99), at(pooled[0], 0.99));
            System.out.printf(Locale.ROOT, "userspace/kernel, best block: p50 %.2f (%.1f / %.1f us)%n",
                    min(medians[1]) / min(medians[0]), min(medians[1]), min(medians[0]));
            System.out.print("non-zero counters of the userspace instance:");
            for (Map.Entry<String, Long> e : new TreeMap<>(tap.path().counters()).entrySet()) {
                if (e.getValue() != 0) System.out.print(" " + e.getKey() + "=" + e.getValue());
            }
            System.out.println();
        }
        System.exit(0);  // the EAL's shutdown hook removes its runtime directory
    }

    /** The {@code q} quantile of sorted round trips, in µs. */
    private static double at(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, (long) (sorted.length * q))] / 1e3;
    }

    private static double ratio(long[][] pooled, double q) {
        return at(pooled[1], q) / at(pooled[0], q);
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
