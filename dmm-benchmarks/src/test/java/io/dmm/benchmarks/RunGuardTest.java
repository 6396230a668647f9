package io.dmm.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/** The benchmarks of this module as the annotation processor listed them (target/classes/META-INF/BenchmarkList). */
class RunGuardTest {
    private static final String NO_DPDK = "DPDK is not usable: apt-get install dpdk libdpdk-dev";
    private static final String NOT_ROOT = "run it as root";
    private static final String LINUX_PEER = "io.dmm.benchmarks.LinuxPeerThroughputBenchmark.write1MiB";

    private static RunGuard.Plan plan(Function<HostNeed, String> unmet, String... args) throws Exception {
        return RunGuard.examine(new CommandLineOptions(args), BenchmarkList.defaultList(), unmet);
    }

    /** A host that lacks {@code missing}. */
    private static Function<HostNeed, String> hostWithout(HostNeed... missing) {
        Set<HostNeed> lacks = missing.length == 0 ? EnumSet.noneOf(HostNeed.class) : EnumSet.of(missing[0], missing);
        return need -> !lacks.contains(need) ? null : need == HostNeed.DPDK ? NO_DPDK : NOT_ROOT;
    }

    @Test
    void aRunWithoutPatternsNeedsNothingFromTheHostAndLeavesOutTheOptInBenchmarks() throws Exception {
        RunGuard.Plan plan = plan(need -> fail("a plain run must not check the host for " + need));
        assertEquals(List.of(), plan.problems(), "every default @Param value must run on any host");
        assertEquals(List.of(LINUX_PEER), plan.leftOutNames());
        assertEquals(List.of("^\\Q" + LINUX_PEER + "\\E$"), plan.leftOut());
    }

    @Test
    void aDpdkTransportWithoutDpdkFailsWithTheInstallHint() throws Exception {
        RunGuard.Plan plan = plan(hostWithout(HostNeed.DPDK), "TcpPingPongBenchmark", "-p", "transport=JDK,DMM_DPDK_RING");
        assertEquals(List.of("io.dmm.benchmarks.TcpPingPongBenchmark.roundTrip with transport=DMM_DPDK_RING: " + NO_DPDK),
                plan.problems());
    }

    @Test
    void aDpdkTransportAskedForWithoutAPatternIsCheckedToo() throws Exception {
        RunGuard.Plan plan = plan(hostWithout(HostNeed.DPDK), "-p", "transport=DMM_DPDK_RING_PARK", "-e", "System|Selector|Connect|Shard");
        assertEquals(2, plan.problems().size(), plan.problems().toString());
        assertTrue(plan.problems().stream().allMatch(p -> p.contains("transport=DMM_DPDK_RING_PARK: " + NO_DPDK)), plan.problems().toString());
    }

    @Test
    void aDpdkTransportOnAHostWithDpdkIsFine() throws Exception {
        RunGuard.Plan plan = plan(hostWithout(), "TcpPingPongBenchmark", "-p", "transport=JDK,DMM_DPDK_RING");
        assertEquals(List.of(), plan.problems());
        assertEquals(List.of(), plan.leftOutNames());
    }

    @Test
    void anOptInBenchmarkNamedByAPatternIsCheckedNotLeftOut() throws Exception {
        RunGuard.Plan plan = plan(hostWithout(HostNeed.ROOT_AND_NETWORK_TOOLS), "LinuxPeer", "-p", "path=VETH_JDK");
        assertEquals(List.of(LINUX_PEER + " with path=VETH_JDK: " + NOT_ROOT), plan.problems());
        assertEquals(List.of(), plan.leftOutNames());
    }

    @Test
    void aValueTheBenchmarkDoesNotHaveFailsBeforeTheRun() throws Exception {
        RunGuard.Plan plan = plan(hostWithout(), "SystemPingPong", "-p", "transport=JDK,DMM_KERNEL");
        assertEquals(List.of("io.dmm.benchmarks.SystemPingPongBenchmark.roundTrip has no transport DMM_KERNEL (its values: JDK, DMM)"),
                plan.problems());
    }
}
