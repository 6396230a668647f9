package io.dmm.benchmarks;

import io.dmm.core.config.PolicyLoader;
import io.dmm.core.runtime.DmmRuntime;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The DMM runtime of the userspace benchmarks: a policy with the kernel stack as default and one
 * userspace instance on a loopback device, reached by a rule on its subnet. Channels are opened
 * through this runtime, so they go through DMM's routing (decision at bind/connect, routed
 * channel wrappers) exactly as an application's do; only the policy is given programmatically
 * instead of by {@code -Ddmm.config}, so the other transports of the same JVM keep the built-in
 * default policy.
 */
final class UserspaceRuntime {
    /** The userspace instance's address; both ends of a benchmark's connection use it. */
    static final String ADDRESS = "198.51.100.1";

    static final String POLICY = """
            {
              "stacks": [
                {"name": "kernel", "type": "kernel"},
                {"name": "user0", "type": "userspace", "address": "198.51.100.1/24",
                 "device": {"driver": "loopback"}}
              ],
              "default": "kernel",
              "rules": [
                {"name": "userspace loopback", "dst": "198.51.100.0/24", "stack": "user0"}
              ]
            }
            """;

    private UserspaceRuntime() {}

    /** Built on first use and kept for the JVM's life (a benchmark fork). */
    static DmmRuntime get() {
        return Holder.RUNTIME;
    }

    static InetAddress address() {
        try {
            return InetAddress.getByName(ADDRESS);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Holder {
        static final DmmRuntime RUNTIME = new DmmRuntime(PolicyLoader.parse(POLICY, "userspace-bench.json"));
    }
}
