package io.dmm.benchmarks;

import io.dmm.api.spi.StackHealth;
import io.dmm.api.spi.StackInstance;
import io.dmm.core.config.PolicyLoader;
import io.dmm.core.runtime.DmmRuntime;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The DMM runtime of the DPDK ring benchmarks: two userspace instances, each on one end of a DPDK
 * {@code net_ring} link (two ring ports wired crosswise in this JVM), so every packet leaves one
 * instance as an mbuf through {@code rte_eth_tx_burst} and reaches the other through
 * {@code rte_eth_rx_burst}. Rules by role put servers bound to the server instance's address on
 * that instance and clients connecting into the link's subnet on the other, so a benchmark's pair
 * opened through this runtime has one end on each instance, both through DMM's routing.
 *
 * <p>DPDK must be usable (package dpdk, root or hugepage/vfio access): an instance that came up
 * DOWN stops the benchmark with the instance's own reason rather than a routing error later.
 */
final class DpdkRingRuntime {
    static final String CLIENT_ADDRESS = "10.77.0.1";
    static final String SERVER_ADDRESS = "10.77.0.2";

    /**
     * LINK is replaced by a name unique to this JVM (a link name is per process, as the EAL), EXTRA
     * by extra keys of both instances' entries.
     */
    static final String POLICY = """
            {
              "stacks": [
                {"name": "kernel", "type": "kernel"},
                {"name": "ring-client", "type": "userspace", "address": "10.77.0.1/24",
                 "device": {"driver": "dpdk", "link": "LINK"}EXTRA},
                {"name": "ring-server", "type": "userspace", "address": "10.77.0.2/24",
                 "device": {"driver": "dpdk", "link": "LINK"}EXTRA}
              ],
              "default": "kernel",
              "rules": [
                {"name": "ring servers", "role": "server", "dst": "10.77.0.2/32", "stack": "ring-server"},
                {"name": "ring clients", "role": "client", "dst": "10.77.0.0/24", "stack": "ring-client"}
              ]
            }
            """;

    private DpdkRingRuntime() {}

    /** Built on first use and kept for the JVM's life (a JMH fork); the EAL starts with it. */
    static DmmRuntime get() {
        return Holder.RUNTIME;
    }

    /** As {@link #get()}, with the poll loops' idle strategy {@code park}. */
    static DmmRuntime parking() {
        return Parking.RUNTIME;
    }

    static InetAddress serverAddress() {
        try {
            return InetAddress.getByName(SERVER_ADDRESS);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A runtime with {@code extra} keys (e.g. {@code , "spin": "0us"}) in both instances' entries. */
    static DmmRuntime start(String extra) {
        String policy = POLICY.replace("LINK", "bench" + ProcessHandle.current().pid()).replace("EXTRA", extra);
        DmmRuntime runtime = new DmmRuntime(PolicyLoader.parse(policy, "dpdk-ring-bench.json"));
        for (String name : new String[] {"ring-client", "ring-server"}) {
            StackInstance instance = runtime.registry().get(name).instance();
            if (instance.health() != StackHealth.UP) {
                String why = instance.healthDetail();
                runtime.close();
                throw new IllegalStateException("userspace instance " + name + " on the DPDK ring link is "
                        + instance.health() + ": " + why);
            }
        }
        return runtime;
    }

    private static final class Holder {
        static final DmmRuntime RUNTIME = start("");
    }

    private static final class Parking {
        static final DmmRuntime RUNTIME = start(", \"idle\": \"park\"");
    }
}
