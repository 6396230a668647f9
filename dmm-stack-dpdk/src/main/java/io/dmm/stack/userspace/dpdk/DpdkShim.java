package io.dmm.stack.userspace.dpdk;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The shim's functions as Java methods (one downcall handle each, in static finals so the JIT
 * inlines them). Signatures mirror {@code src/main/c/dmm_dpdk.c}; C {@code uint16_t} is passed as
 * {@code short}. Touch this class only after {@link ShimLibrary#require()} succeeded.
 *
 * <p>The four fast-path calls are {@linkplain Linker.Option#critical critical}: bounded work that
 * never blocks nor calls back, so they skip the thread-state transition (a few ns per burst).
 */
final class DpdkShim {
    /** The shim ABI this binding speaks ({@code DMM_SHIM_ABI}). */
    static final int ABI = 4;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIB = ShimLibrary.require();

    private static final MethodHandle SHIM_ABI = fn("dmm_shim_abi", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle SHIM_RELEASE = fn("dmm_shim_dpdk_release", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle RUNTIME_VERSION = fn("dmm_runtime_version", FunctionDescriptor.of(ADDRESS));
    private static final MethodHandle ERRNO = fn("dmm_errno", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle STRERROR = fn("dmm_strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle EAL_INIT = fn("dmm_eal_init", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EAL_CLEANUP = fn("dmm_eal_cleanup", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle RUNTIME_DIR = fn("dmm_runtime_dir", FunctionDescriptor.of(ADDRESS));
    private static final MethodHandle PORT_ATTACH = fn("dmm_port_attach", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle RING_PAIR = fn("dmm_ring_pair",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle RING_PAIR_FREE = fn("dmm_ring_pair_free", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
    private static final MethodHandle POOL_CREATE = fn("dmm_pool_create",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle POOL_FREE = fn("dmm_pool_free", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle POOL_AVAILABLE = fn("dmm_pool_available", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle DATA_OFFSET = fn("dmm_mbuf_data_offset", FunctionDescriptor.of(JAVA_LONG));
    private static final MethodHandle PORT_SOCKET = fn("dmm_port_socket", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT));
    private static final MethodHandle PORT_SETUP = fn("dmm_port_setup", FunctionDescriptor.of(JAVA_INT,
            JAVA_SHORT, JAVA_SHORT, JAVA_SHORT, JAVA_SHORT, ADDRESS, JAVA_SHORT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle PORT_MAC = fn("dmm_port_mac", FunctionDescriptor.of(JAVA_LONG, JAVA_SHORT));
    private static final MethodHandle PORT_SET_MAC = fn("dmm_port_set_mac", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, JAVA_LONG));
    private static final MethodHandle PORT_PROMISCUOUS = fn("dmm_port_promiscuous", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT));
    private static final MethodHandle PORT_SET_MULTICAST = fn("dmm_port_set_multicast",
            FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, ADDRESS, JAVA_INT));
    private static final MethodHandle PORT_LINK = fn("dmm_port_link", FunctionDescriptor.of(JAVA_LONG, JAVA_SHORT));
    private static final MethodHandle PORT_STATS = fn("dmm_port_stats", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, ADDRESS));
    private static final MethodHandle PORT_PROBE = fn("dmm_port_probe", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, ADDRESS));
    private static final MethodHandle PORT_IF_INDEX = fn("dmm_port_if_index", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT));
    private static final MethodHandle PORT_SET_LINK = fn("dmm_port_set_link", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, JAVA_INT));
    private static final MethodHandle PORT_CLOSE = fn("dmm_port_close", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, JAVA_INT));
    private static final MethodHandle RX_BURST = fast("dmm_rx_burst",
            FunctionDescriptor.of(JAVA_SHORT, JAVA_SHORT, JAVA_SHORT, ADDRESS, JAVA_SHORT, ADDRESS));
    private static final MethodHandle TX_BURST = fast("dmm_tx_burst",
            FunctionDescriptor.of(JAVA_SHORT, JAVA_SHORT, JAVA_SHORT, ADDRESS, ADDRESS, JAVA_SHORT));
    private static final MethodHandle ALLOC_BULK = fast("dmm_alloc_bulk", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle FREE_BULK = fast("dmm_free_bulk", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT));

    private DpdkShim() {}

    private static MethodHandle fn(String name, FunctionDescriptor d) {
        return LINKER.downcallHandle(symbol(name), d);
    }

    private static MethodHandle fast(String name, FunctionDescriptor d) {
        return LINKER.downcallHandle(symbol(name), d, Linker.Option.critical(false));
    }

    private static MemorySegment symbol(String name) {
        return LIB.find(name).orElseThrow(() -> new DpdkUnavailableException("the DPDK shim has no symbol " + name
                + ": it is from another version of DMM; rebuild dmm-stack-dpdk"));
    }

    /** Rethrows what a downcall threw: downcalls throw nothing checked, so anything else is a binding bug. */
    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("DPDK shim call failed", t);
    }

    static int shimAbi() {
        try {
            return (int) SHIM_ABI.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int shimRelease() {
        try {
            return (int) SHIM_RELEASE.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static String runtimeVersion() {
        try {
            return cString((MemorySegment) RUNTIME_VERSION.invokeExact());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int errno() {
        try {
            return (int) ERRNO.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** DPDK's text for an errno value (positive or negative). */
    static String strerror(int err) {
        try {
            return cString((MemorySegment) STRERROR.invokeExact(Math.abs(err)));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int ealInit(int argc, MemorySegment argv) {
        try {
            return (int) EAL_INIT.invokeExact(argc, argv);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int ealCleanup() {
        try {
            return (int) EAL_CLEANUP.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static String runtimeDir() {
        try {
            return cString((MemorySegment) RUNTIME_DIR.invokeExact());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int portAttach(MemorySegment devargs, MemorySegment probedOut) {
        try {
            return (int) PORT_ATTACH.invokeExact(devargs, probedOut);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int ringPair(MemorySegment nameA, MemorySegment nameB, int ringSize, MemorySegment portA, MemorySegment portB) {
        try {
            return (int) RING_PAIR.invokeExact(nameA, nameB, ringSize, portA, portB);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void ringPairFree(MemorySegment nameA, MemorySegment nameB) {
        try {
            RING_PAIR_FREE.invokeExact(nameA, nameB);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static MemorySegment poolCreate(MemorySegment name, int count, int cache, int dataRoom, int socket) {
        try {
            return (MemorySegment) POOL_CREATE.invokeExact(name, count, cache, dataRoom, socket);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void poolFree(MemorySegment pool) {
        try {
            POOL_FREE.invokeExact(pool);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int poolAvailable(MemorySegment pool) {
        try {
            return (int) POOL_AVAILABLE.invokeExact(pool);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long mbufDataOffset() {
        try {
            return (long) DATA_OFFSET.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int portSocket(short port) {
        try {
            return (int) PORT_SOCKET.invokeExact(port);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int portSetup(short port, short queues, short rxd, short txd, MemorySegment pool, short mtu, int offloads,
                         MemorySegment capsOut, MemorySegment stepOut) {
        try {
            return (int) PORT_SETUP.invokeExact(port, queues, rxd, txd, pool, mtu, offloads, capsOut, stepOut);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long portMac(short port) {
        try {
            return (long) PORT_MAC.invokeExact(port);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int portSetMac(short port, long mac) {
        try {
            return (int) PORT_SET_MAC.invokeExact(port, mac);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int portPromiscuous(short port) {
        try {
            return (int) PORT_PROMISCUOUS.invokeExact(port);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** 0 filtered, 1 all multicast, 2 the port passes everything, or -errno (see the shim). */
    static int portSetMulticast(short port, MemorySegment macs, int n) {
        try {
            return (int) PORT_SET_MULTICAST.invokeExact(port, macs, n);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long portLink(short port) {
        try {
            return (long) PORT_LINK.invokeExact(port);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int portStats(short port, MemorySegment out) {
        try {
            return (int) PORT_STATS.invokeExact(port, out);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code dmm_port_probe}: a {@code PROBE_*} result of {@link DpdkPort}; {@code errOut} (an int) gets the errno when the port went away. */
    static int portProbe(short port, MemorySegment errOut) {
        try {
            return (int) PORT_PROBE.invokeExact(port, errOut);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int portIfIndex(short port) {
        try {
            return (int) PORT_IF_INDEX.invokeExact(port);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int portSetLink(short port, int up) {
        try {
            return (int) PORT_SET_LINK.invokeExact(port, up);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int portClose(short port, int remove) {
        try {
            return (int) PORT_CLOSE.invokeExact(port, remove);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int rxBurst(short port, short queue, MemorySegment mbufs, int n, MemorySegment desc) {
        try {
            return Short.toUnsignedInt((short) RX_BURST.invokeExact(port, queue, mbufs, (short) n, desc));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int txBurst(short port, short queue, MemorySegment mbufs, MemorySegment meta, int n) {
        try {
            return Short.toUnsignedInt((short) TX_BURST.invokeExact(port, queue, mbufs, meta, (short) n));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int allocBulk(MemorySegment pool, MemorySegment mbufs, int n) {
        try {
            return (int) ALLOC_BULK.invokeExact(pool, mbufs, n);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void freeBulk(MemorySegment mbufs, int n) {
        try {
            FREE_BULK.invokeExact(mbufs, n);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static String cString(MemorySegment p) {
        return p.equals(MemorySegment.NULL) ? "" : p.reinterpret(4096).getString(0);
    }
}
