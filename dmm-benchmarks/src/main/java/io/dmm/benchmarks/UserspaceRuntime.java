package io.dmm.benchmarks;

import io.dmm.core.config.PolicyLoader;
import io.dmm.core.runtime.DmmRuntime;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The DMM runtimes of the userspace benchmarks: a policy with the kernel stack as default and one
 * userspace instance on a loopback device, reached by a rule on its subnet. Channels are opened
 * through such a runtime, so they go through DMM's routing (decision at bind/connect, routed
 * channel wrappers) exactly as an application's do; only the policy is given programmatically
 * instead of by {@code -Ddmm.config}, so DMM's default runtime ({@code DmmSockets}, which
 * {@link Transport#DMM_KERNEL} uses) keeps the built-in default policy in any JVM that uses both,
 * as {@link UserspaceRoundTrips} and {@link IdleConnectionMemory} may.
 *
 * <p>Two variants of the instance: its defaults (what a user gets: blocked socket calls spin,
 * yielding, up to 20 µs before they park) and {@code "spin": "0us"} (they park at once), to measure
 * what spinning costs or gains on the machine at hand (docs/benchmarks.md).
 */
final class UserspaceRuntime {
    /** The userspace instance's address; both ends of a benchmark's connection use it. */
    static final String ADDRESS = "198.51.100.1";

    /** The policy; {@code EXTRA} is replaced by extra keys of the userspace entry. */
    static final String POLICY = """
            {
              "stacks": [
                {"name": "kernel", "type": "kernel"},
                {"name": "user0", "type": "userspace", "address": "198.51.100.1/24",
                 "device": {"driver": "loopback"}EXTRA}
              ],
              "default": "kernel",
              "rules": [
                {"name": "userspace loopback", "dst": "198.51.100.0/24", "stack": "user0"}
              ]
            }
            """;

    private UserspaceRuntime() {}

    /** The policy with the given extra settings of the userspace entry (e.g. {@code , "spin": "0us"}). */
    static String policy(String extra) {
        return POLICY.replace("EXTRA", extra);
    }

    /** The instance with its default settings; built on first use and kept for the JVM's life (a fork). */
    static DmmRuntime defaults() {
        return Defaults.RUNTIME;
    }

    /** The instance with {@code "spin": "0us"}. */
    static DmmRuntime noSpin() {
        return NoSpin.RUNTIME;
    }

    /** The instance with {@code "shards": 2}: its flows spread over two shards, each a lock and a poll loop. */
    static DmmRuntime twoShards() {
        return TwoShards.RUNTIME;
    }

    static InetAddress address() {
        try {
            return InetAddress.getByName(ADDRESS);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Defaults {
        static final DmmRuntime RUNTIME = new DmmRuntime(PolicyLoader.parse(policy(""), "userspace-bench.json"));
    }

    private static final class TwoShards {
        static final DmmRuntime RUNTIME = new DmmRuntime(PolicyLoader.parse(policy(", \"shards\": 2"),
                "userspace-bench-2-shards.json"));
    }

    private static final class NoSpin {
        static final DmmRuntime RUNTIME = new DmmRuntime(PolicyLoader.parse(policy(", \"spin\": \"0us\""),
                "userspace-bench-nospin.json"));
    }
}
