package io.dmm.benchmarks;

import java.util.Locale;
import java.util.Set;

/**
 * The DMM / JDK ratios docs/benchmarks.md reports, each with its target: one benchmark method, its
 * {@code transport} parameter set once to the JDK baseline and once to the DMM candidate. Run by
 * {@link RatioRun}; the command-line name is the constant's name in lower case with dashes.
 */
enum Comparison {
    KERNEL_ROUND_TRIP("round trip, 64 B: DMM on the kernel stack", TcpPingPongBenchmark.class, "roundTrip",
            Transport.JDK, Transport.DMM_KERNEL, Target.atMost(1.03)),
    KERNEL_THROUGHPUT("throughput, 1 MiB writes: DMM on the kernel stack", TcpThroughputBenchmark.class, "write1MiB",
            Transport.JDK, Transport.DMM_KERNEL, Target.atLeast(0.97)),
    DROP_IN_ROUND_TRIP("round trip, 64 B: DMM as system provider", SystemPingPongBenchmark.class, "roundTrip",
            SystemTransport.JDK, SystemTransport.DMM, Target.atMost(1.03)),
    DROP_IN_SELECTOR_ECHO("selector echo, 1,000 connections: DMM as system provider", SelectorEchoBenchmark.class,
            "echoRound", SystemTransport.JDK, SystemTransport.DMM, Target.atLeast(0.95)),
    DROP_IN_CONNECT("connection set-up: DMM as system provider", ConnectRateBenchmark.class, "connectAcceptClose",
            SystemTransport.JDK, SystemTransport.DMM, Target.atLeast(0.95)),
    USERSPACE_ROUND_TRIP("round trip, 64 B: DMM userspace stack (defaults)", TcpPingPongBenchmark.class, "roundTrip",
            Transport.JDK, Transport.DMM_USERSPACE, Target.atMost(0.5)),
    USERSPACE_THROUGHPUT("throughput, 1 MiB writes: DMM userspace stack (defaults)", TcpThroughputBenchmark.class,
            "write1MiB", Transport.JDK, Transport.DMM_USERSPACE, Target.atLeast(1.0)),
    USERSPACE_ASYNC_ROUND_TRIP("round trip, 64 B, asynchronous channels: DMM userspace stack", AsyncPingPongBenchmark.class,
            "roundTrip", Transport.JDK, Transport.DMM_USERSPACE, Target.atMost(0.5)),
    SHARDS_THROUGHPUT("throughput, 2 threads each on its own connection: userspace 2 shards / 1 shard",
            ShardScalingBenchmark.class, "write1MiB", Transport.DMM_USERSPACE, Transport.DMM_USERSPACE_2_SHARDS,
            Target.atLeast(1.0)),
    SHARDS_REQUESTS("requests/s, 64 B, 2 threads each on its own connection: userspace 2 shards / 1 shard",
            ShardScalingBenchmark.class, "request", Transport.DMM_USERSPACE, Transport.DMM_USERSPACE_2_SHARDS,
            Target.atLeast(1.0)),
    DPDK_RING_ROUND_TRIP("round trip, 64 B: DMM userspace over a DPDK net_ring", TcpPingPongBenchmark.class, "roundTrip",
            Transport.JDK, Transport.DMM_DPDK_RING, Target.atMost(0.5)),
    DPDK_RING_PARK_ROUND_TRIP("round trip, 64 B: DMM userspace over a DPDK net_ring, idle park", TcpPingPongBenchmark.class,
            "roundTrip", Transport.JDK, Transport.DMM_DPDK_RING_PARK, Target.atMost(0.5));

    /** The benchmarks' parameter that selects the transport. */
    static final String PARAM = "transport";

    final String title;
    final Class<?> benchmark;
    final String method;
    final Enum<?> baseline;
    final Enum<?> candidate;
    final Target target;

    Comparison(String title, Class<?> benchmark, String method, Enum<?> baseline, Enum<?> candidate, Target target) {
        this.title = title;
        this.benchmark = benchmark;
        this.method = method;
        this.baseline = baseline;
        this.candidate = candidate;
        this.target = target;
    }

    /** The name on the command line, e.g. {@code kernel-round-trip}. */
    String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Comparison byCliName(String name) {
        for (Comparison c : values()) {
            if (c.cliName().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** JMH's name of the benchmark method. */
    String benchmarkName() {
        return benchmark.getName() + "." + method;
    }

    /** What the host needs for the two sides. */
    Set<HostNeed> needs() {
        return HostNeed.union(baseline, candidate);
    }
}
