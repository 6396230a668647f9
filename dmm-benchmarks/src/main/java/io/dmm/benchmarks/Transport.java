package io.dmm.benchmarks;

import io.dmm.api.DmmSockets;
import io.dmm.api.RouteHints;
import io.dmm.core.runtime.DmmRuntime;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The ways a benchmark opens its sockets: straight from the JDK, or through DMM to a stack. The DPDK
 * ones need DPDK on the host ({@link #needs()}): benchmarks leave them out of their default
 * {@code @Param} lists, so they run only when asked for with {@code -p transport=...}.
 */
public enum Transport implements HostDependent {
    /** Raw JDK NIO channels: the baseline. */
    JDK {
        @Override
        SocketChannel openClient() throws IOException {
            return SocketChannel.open();
        }

        @Override
        ServerSocketChannel openServer() throws IOException {
            return ServerSocketChannel.open();
        }
    },
    /** DMM routed channels on the kernel stack (the built-in default policy). */
    DMM_KERNEL {
        @Override
        SocketChannel openClient() throws IOException {
            return DmmSockets.open();
        }

        @Override
        ServerSocketChannel openServer() throws IOException {
            return DmmSockets.openServer();
        }
    },
    /**
     * DMM routed channels on a userspace stack instance with a loopback device, its settings at
     * their defaults: a policy rule sends 198.51.100.0/24 to it ({@link UserspaceRuntime}).
     */
    DMM_USERSPACE(UserspaceRuntime::defaults),
    /** As {@link #DMM_USERSPACE}, with {@code "spin": "0us"}: blocked calls park at once, no spinning. */
    DMM_USERSPACE_NOSPIN(UserspaceRuntime::noSpin),
    /** As {@link #DMM_USERSPACE}, with {@code "shards": 2}: each new client connection on the next of two shards. */
    DMM_USERSPACE_2_SHARDS(UserspaceRuntime::twoShards),
    /**
     * DMM routed channels on two userspace instances joined by a DPDK {@code net_ring} link: the
     * client end on one instance, the server end on the other ({@link DpdkRingRuntime}). Needs DPDK.
     */
    DMM_DPDK_RING(HostNeed.DPDK) {
        @Override
        SocketChannel openClient() throws IOException {
            return openClient(DpdkRingRuntime.get());
        }

        @Override
        ServerSocketChannel openServer() throws IOException {
            return openServer(DpdkRingRuntime.get());
        }

        @Override
        InetAddress bindAddress() {
            return DpdkRingRuntime.serverAddress();
        }
    },
    /**
     * As {@link #DMM_DPDK_RING}, with {@code "idle": "park"}: the instances' poll loops park when idle
     * instead of spinning and yielding first, leaving the two CPUs of a small machine to the
     * application threads (docs/benchmarks.md, "DPDK").
     */
    DMM_DPDK_RING_PARK(HostNeed.DPDK) {
        @Override
        SocketChannel openClient() throws IOException {
            return openClient(DpdkRingRuntime.parking());
        }

        @Override
        ServerSocketChannel openServer() throws IOException {
            return openServer(DpdkRingRuntime.parking());
        }

        @Override
        InetAddress bindAddress() {
            return DpdkRingRuntime.serverAddress();
        }
    };

    private final Set<HostNeed> needs;
    /** The runtime of a loopback-device userspace instance both ends use, or null for the others. */
    private final Supplier<DmmRuntime> userspace;

    Transport(HostNeed... needs) {
        this.needs = HostNeed.setOf(needs);
        this.userspace = null;
    }

    Transport(Supplier<DmmRuntime> userspace) {
        this.needs = Set.of();
        this.userspace = userspace;
    }

    @Override
    public Set<HostNeed> needs() {
        return needs;
    }

    /** The client end (the userspace ones: through their instance's runtime). */
    SocketChannel openClient() throws IOException {
        return openClient(userspace.get());
    }

    ServerSocketChannel openServer() throws IOException {
        return openServer(userspace.get());
    }

    /** The address the server end binds to (and the client connects to). */
    InetAddress bindAddress() {
        return userspace != null ? UserspaceRuntime.address() : InetAddress.getLoopbackAddress();
    }

    static SocketChannel openClient(DmmRuntime runtime) throws IOException {
        return runtime.openSocketChannel(null, RouteHints.none());
    }

    static ServerSocketChannel openServer(DmmRuntime runtime) throws IOException {
        return runtime.openServerSocketChannel(null, RouteHints.none());
    }
}
