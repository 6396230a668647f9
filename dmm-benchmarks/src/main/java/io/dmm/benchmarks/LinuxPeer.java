package io.dmm.benchmarks;

import io.dmm.api.spi.StackHealth;
import io.dmm.api.spi.StackInstance;
import io.dmm.core.config.PolicyLoader;
import io.dmm.core.runtime.DmmRuntime;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;

/**
 * The ways a benchmark reaches a Linux peer in a network namespace made for it, each opening a
 * TCP connection to a {@link SocatPeer} there (a discard sink or an echo server):
 * <ul>
 *   <li>{@link #VETH_JDK}: Linux to Linux. A veth pair, one end in the root namespace, the other in
 *       the peer's; the client is a raw JDK {@code SocketChannel} on the root namespace's kernel stack.
 *   <li>{@link #TAP_DRIVER_DMM_USERSPACE}: DMM's userspace stack on its own tap driver, and
 *       {@link #TAP_DMM_USERSPACE} on a DPDK {@code net_tap} port; either way the tap's kernel
 *       side is moved into the peer's namespace; the client is a DMM routed channel on that instance.
 * </ul>
 * All use the interfaces' default MTU (1500) and a /24 unique to this JVM, so forks do not clash.
 * All need root, {@code ip} and {@code socat}; the net_tap path needs DPDK too.
 */
public enum LinuxPeer implements HostDependent {
    VETH_JDK(HostNeed.ROOT_AND_NETWORK_TOOLS) {
        @Override
        ClientOpener setUp(Cleanup cleanup, Netns ns, String subnet, String instanceKeys) {
            String root = Netns.interfaceName("dbv");
            String peer = root + "p";
            HostCommands.run("ip", "link", "add", root, "type", "veth", "peer", "name", peer);
            // deleting either end deletes the pair (runs before the namespace is deleted: cleanup is last-first)
            cleanup.push(() -> HostCommands.runQuietly("ip", "link", "delete", root));
            ns.adopt(peer, subnet + ".2/24");
            HostCommands.run("ip", "addr", "add", subnet + ".1/24", "dev", root);
            HostCommands.run("ip", "link", "set", root, "up");
            return SocketChannel::open;
        }

        @Override
        int secondOctet() {
            return 211;
        }
    },
    TAP_DMM_USERSPACE(HostNeed.ROOT_AND_NETWORK_TOOLS, HostNeed.DPDK) {
        @Override
        ClientOpener setUp(Cleanup cleanup, Netns ns, String subnet, String instanceKeys) {
            String tap = Netns.interfaceName("dbt");
            return userspaceOnTap(cleanup, ns, subnet, instanceKeys, tap,
                    "{\"driver\": \"dpdk\", \"port\": \"net_tap_" + tap + ",iface=" + tap + "\"}");
        }

        @Override
        int secondOctet() {
            return 212;
        }
    },
    /** As {@link #TAP_DMM_USERSPACE}, on the stack's own tap driver (no DPDK). */
    TAP_DRIVER_DMM_USERSPACE(HostNeed.ROOT_AND_NETWORK_TOOLS) {
        @Override
        ClientOpener setUp(Cleanup cleanup, Netns ns, String subnet, String instanceKeys) {
            String tap = Netns.interfaceName("dbd");
            return userspaceOnTap(cleanup, ns, subnet, instanceKeys, tap,
                    "{\"driver\": \"tap\", \"interface\": \"" + tap + "\"}");
        }

        @Override
        int secondOctet() {
            return 213;
        }
    };

    /**
     * A userspace instance on the tap {@code device} makes (named {@code tap}), whose kernel side is
     * then moved into the peer's namespace; closing the instance destroys the tap wherever it is.
     */
    private static ClientOpener userspaceOnTap(Cleanup cleanup, Netns ns, String subnet, String instanceKeys, String tap,
                                               String device) {
        String policy = """
                {
                  "stacks": [
                    {"name": "kernel", "type": "kernel"},
                    {"name": "tap", "type": "userspace", "address": "SUBNET.1/24", "device": DEVICEKEYS}
                  ],
                  "default": "kernel",
                  "rules": [{"name": "linux peer", "dst": "SUBNET.0/24", "stack": "tap"}]
                }
                """.replace("SUBNET", subnet).replace("DEVICE", device)
                .replace("KEYS", instanceKeys.isEmpty() ? "" : ", " + instanceKeys);
        DmmRuntime rt = new DmmRuntime(PolicyLoader.parse(policy, "tap-bench.json"));
        cleanup.push(rt::close);
        StackInstance instance = rt.registry().get("tap").instance();
        if (instance.health() != StackHealth.UP) {
            throw new IllegalStateException("userspace instance on the tap " + tap + " is "
                    + instance.health() + ": " + instance.healthDetail());
        }
        ns.adopt(tap, subnet + ".2/24");
        return new ClientOpener() {
            @Override
            public SocketChannel open() throws IOException {
                return Transport.openClient(rt);
            }

            @Override
            public Map<String, Long> counters() {
                return rt.stats().stacks().stream().filter(s -> s.name().equals("tap")).findFirst().orElseThrow()
                        .stackCounters();
            }
        };
    }

    private final Set<HostNeed> needs;

    LinuxPeer(HostNeed... needs) {
        this.needs = HostNeed.setOf(needs);
    }

    @Override
    public Set<HostNeed> needs() {
        return needs;
    }

    /**
     * Creates the path's interfaces in {@code ns} (peer address {@code subnet}.2) and the root
     * namespace, pushing their removal on {@code cleanup}; answers how to open a client on the path.
     * {@code instanceKeys} (JSON members, or empty) are added to a userspace instance's entry.
     */
    abstract ClientOpener setUp(Cleanup cleanup, Netns ns, String subnet, String instanceKeys);

    /** Opens an unconnected client channel of the path. */
    @FunctionalInterface
    interface ClientOpener {
        SocketChannel open() throws IOException;

        /** The userspace instance's counters (empty for the kernel's path). */
        default Map<String, Long> counters() {
            return Map.of();
        }
    }

    abstract int secondOctet();

    /**
     * Sets everything up (checking root and tools first) and connects to a discard sink: the returned
     * connection's {@code close()} removes all of it, in reverse order, as does a failure halfway.
     */
    Connection connect(String benchmark) throws IOException {
        return connect(benchmark, SocatPeer.Kind.DISCARD, "");
    }

    /** As {@link #connect(String)}, to a peer of that kind, with these keys added to a userspace instance's entry. */
    Connection connect(String benchmark, SocatPeer.Kind kind, String instanceKeys) throws IOException {
        HostCommands.require(benchmark, "ip", "socat");
        Cleanup cleanup = new Cleanup();
        try {
            Netns ns = Netns.create();
            cleanup.push(ns::close);
            String subnet = "10." + secondOctet() + "." + (ProcessHandle.current().pid() % 250 + 1);
            ClientOpener opener = setUp(cleanup, ns, subnet, instanceKeys);
            SocatPeer peer = SocatPeer.start(ns, kind);
            cleanup.push(peer::close);
            SocketChannel ch = connectWhenListening(opener, peer, new InetSocketAddress(subnet + ".2", SocatPeer.PORT));
            return new Connection(ch, opener, cleanup);
        } catch (IOException | RuntimeException e) {
            cleanup.close();
            throw e;
        }
    }

    /** socat listens a moment after it starts: retry refused connects for up to 5 s. */
    private static SocketChannel connectWhenListening(ClientOpener opener, SocatPeer peer, InetSocketAddress to) throws IOException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            peer.checkAlive();
            SocketChannel ch = opener.open();
            try {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.connect(to);
                return ch;
            } catch (ConnectException refused) {
                ch.close();
                if (System.nanoTime() > deadline) throw refused;
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while connecting to the peer", e);
                }
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }
    }

    /** Things to undo, last first; every step runs even when one fails. */
    static final class Cleanup implements AutoCloseable {
        private final Deque<AutoCloseable> steps = new ArrayDeque<>();

        void push(AutoCloseable step) {
            steps.push(step);
        }

        @Override
        public void close() {
            for (AutoCloseable step; (step = steps.poll()) != null; ) {
                try {
                    step.close();
                } catch (Exception e) {
                    System.err.println("cleanup step failed: " + e);
                }
            }
        }
    }

    /** A connection to the peer and everything set up for it. */
    record Connection(SocketChannel channel, ClientOpener path, Cleanup cleanup) implements AutoCloseable {
        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                System.err.println("closing the benchmark's connection: " + e);
            }
            cleanup.close();
        }
    }
}
