package io.dmm.stack.userspace.dpdk;

import io.dmm.stack.userspace.config.DpdkSpec;
import io.dmm.stack.userspace.wire.MacAddress;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control path of one DPDK ethdev port: attach (probe a vdev or find a probed device), an mbuf
 * pool, configure and start with checksum offloads when the port has them, MAC, link state and
 * statistics, and stop/close/detach. The fast path is {@link DpdkDevice}.
 */
final class DpdkPort {
    private static final Logger LOG = LoggerFactory.getLogger(DpdkPort.class);
    /** Bits of dmm_port_setup's capabilities. */
    static final int CAP_TX_L4_CKSUM = 1;
    static final int CAP_RX_CKSUM = 2;
    static final int CAP_TSO = 4;
    /**
     * The data room of the mbufs TSO sends are written into: as large as a pool's mbufs can be
     * (headroom plus data room fit DPDK's 16-bit size; Debian's headroom is 128 bytes).
     */
    static final int TSO_DATA_ROOM = 0xFF00;
    /** How many TSO mbufs a port gets (16 MiB): a send finding none goes out as ordinary segments. */
    static final int TSO_MBUFS = 256;
    private static final int ENOTSUP = 95;
    /** Results of {@code dmm_port_probe} (DMM_PROBE_* in the shim): >= 0 the port works, < 0 it went away. */
    static final int PROBE_LINK_DOWN = 0;
    static final int PROBE_LINK_UP = 1;
    static final int PROBE_LINK_UNKNOWN = 2;
    static final int PROBE_REMOVED = -1;
    static final int PROBE_TAP_GONE = -2;
    static final int PROBE_IFACE_GONE = -3;
    private static final AtomicInteger POOLS = new AtomicInteger();
    /** Per-queue counters the shim reports (DMM_STATS_QUEUES). */
    private static final int STATS_QUEUES = 16;
    private static final String[] STAT_NAMES = {"port_rx_packets", "port_tx_packets", "port_rx_bytes", "port_tx_bytes",
            "port_rx_missed", "port_rx_errors", "port_tx_errors", "port_rx_nombuf"};

    final short id;
    final String label;
    private final boolean detachOnClose;
    private MemorySegment pool = MemorySegment.NULL;
    /** Large mbufs for TSO sends, NULL when the port cannot segment (or the pool could not be made). */
    private MemorySegment tsoPool = MemorySegment.NULL;
    private int caps;
    private int queues;
    /** The address set by configuration on a port that cannot take one, else 0. */
    private long softwareMac;
    /** How the port takes multicast (see {@link #setMulticast}); -1 until the stack first asked. */
    private volatile int multicastMode = -1;
    private int dataRoom;
    private boolean closed;

    private DpdkPort(short id, String label, boolean detachOnClose) {
        this.id = id;
        this.label = label;
        this.detachOnClose = detachOnClose;
    }

    /** The port for devargs: a device the EAL probed already, else hot-plugged now (and detached on close). */
    static DpdkPort attach(String devargs) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment probed = arena.allocate(ValueLayout.JAVA_INT);
            int ret = DpdkShim.portAttach(arena.allocateFrom(devargs), probed);
            if (ret < 0) {
                throw new DpdkUnavailableException("DPDK port \"" + devargs + "\" could not be attached: "
                        + DpdkShim.strerror(ret) + " (errno " + -ret + "). A vdev needs its driver (net_tap, "
                        + "net_af_packet, net_ring: package dpdk) and a free interface name; a PCI device must be bound to "
                        + "vfio-pci and the EAL started without --no-pci (docs/dpdk.md)");
            }
            return new DpdkPort((short) ret, devargs, probed.get(ValueLayout.JAVA_INT, 0) != 0);
        }
    }

    /** A port the shim created itself (a ring pair end): closing it closes and detaches it. */
    static DpdkPort created(int id, String label) {
        return new DpdkPort((short) id, label, true);
    }

    /**
     * Creates the mbuf pool and starts the port with {@code spec}'s queues and descriptors, the L3
     * {@code mtu} and (when {@code spec.offloads()}) the checksum offloads the port has.
     */
    void start(DpdkSpec spec, int mtu, long mac) {
        // room for the Ethernet header and a VLAN tag past the MTU; never below DPDK's usual 2 KiB
        dataRoom = Math.max(2048, (mtu + 18 + 127) & ~127);
        try (Arena arena = Arena.ofConfined()) {
            String poolName = "dmm" + POOLS.incrementAndGet() + "_p" + Short.toUnsignedInt(id);
            pool = DpdkShim.poolCreate(arena.allocateFrom(poolName), spec.mbufs(), 0, dataRoom, DpdkShim.portSocket(id));
            if (pool.equals(MemorySegment.NULL)) {
                int err = DpdkShim.errno();
                throw new DpdkUnavailableException("DPDK port \"" + label + "\": no mbuf pool of " + spec.mbufs() + " x "
                        + dataRoom + " bytes: " + DpdkShim.strerror(err) + " (raise the EAL's memory, -m, or lower \"mbufs\")");
            }
            MemorySegment capsOut = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment stepOut = arena.allocate(ValueLayout.ADDRESS);
            int ret = DpdkShim.portSetup(id, (short) spec.queues(), (short) spec.rxDescriptors(), (short) spec.txDescriptors(),
                    pool, (short) mtu, spec.offloads() ? 1 : 0, capsOut, stepOut);
            if (ret != 0) {
                String step = stepOut.get(ValueLayout.ADDRESS, 0).reinterpret(64).getString(0);
                throw new DpdkUnavailableException("DPDK port \"" + label + "\" did not start: " + step + " failed: "
                        + DpdkShim.strerror(ret) + " (errno " + -ret + ") with " + spec.queues() + " queue(s), MTU " + mtu);
            }
            queues = spec.queues();
            caps = capsOut.get(ValueLayout.JAVA_INT, 0);
            if ((caps & CAP_TSO) != 0) {
                tsoPool = DpdkShim.poolCreate(arena.allocateFrom(poolName + "t"), TSO_MBUFS, 0, TSO_DATA_ROOM,
                        DpdkShim.portSocket(id));
                if (tsoPool.equals(MemorySegment.NULL)) {
                    LOG.info("DPDK port \"{}\" offers TSO, but no pool of {} x {} bytes could be made ({}): "
                            + "TCP sends MTU-sized segments", label, TSO_MBUFS, TSO_DATA_ROOM, DpdkShim.strerror(DpdkShim.errno()));
                }
            }
        }
        if (mac != 0) {
            int ret = DpdkShim.portSetMac(id, mac);
            if (ret == -ENOTSUP) {
                // the port has no address filter to program (net_ring): the stack uses the address in
                // software, and the port must then pass every frame up
                softwareMac = mac;
                ret = DpdkShim.portPromiscuous(id);
                if (ret == -ENOTSUP) ret = 0;
            }
            if (ret != 0) {
                throw new DpdkUnavailableException("DPDK port \"" + label + "\" refused the MAC address "
                        + MacAddress.toString(mac) + ": " + DpdkShim.strerror(ret));
            }
        }
    }

    MemorySegment pool() {
        return pool;
    }

    /** Bytes an mbuf of the pool holds after its headroom. */
    int dataRoom() {
        return dataRoom;
    }

    boolean txChecksumOffload() {
        return (caps & CAP_TX_L4_CKSUM) != 0;
    }

    /** The pool of large mbufs for TSO sends, or NULL when the port does no TSO. */
    MemorySegment tsoPool() {
        return tsoPool;
    }

    boolean rxChecksumOffload() {
        return (caps & CAP_RX_CKSUM) != 0;
    }

    long mac() {
        if (softwareMac != 0) return softwareMac;
        long m = DpdkShim.portMac(id);
        if (m < 0) throw new DpdkUnavailableException("DPDK port \"" + label + "\" has no MAC address: " + DpdkShim.strerror((int) m));
        return m;
    }

    /**
     * Programs the port's multicast filter with {@code groupMacs} (or all-multicast where it has
     * no filter): 0 filtered, 1 all multicast, 2 the port passes every frame anyway, or -errno.
     */
    int setMulticast(long[] groupMacs) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment list = arena.allocate(ValueLayout.JAVA_LONG, Math.max(1, groupMacs.length));
            for (int i = 0; i < groupMacs.length; i++) list.setAtIndex(ValueLayout.JAVA_LONG, i, groupMacs[i]);
            int mode = DpdkShim.portSetMulticast(id, list, groupMacs.length);
            if (mode >= 0) multicastMode = mode;
            return mode;
        }
    }

    /** Port statistics, link state and pool occupancy, for the stack's counters. */
    Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_LONG, STAT_NAMES.length + STATS_QUEUES);
            if (DpdkShim.portStats(id, out) == 0) {
                for (int i = 0; i < STAT_NAMES.length; i++) m.put(STAT_NAMES[i], out.getAtIndex(ValueLayout.JAVA_LONG, i));
                if (queues > 1) {  // per rx queue: how RSS spread the flows
                    for (int q = 0; q < Math.min(queues, STATS_QUEUES); q++) {
                        m.put("port_rx_packets_q" + q, out.getAtIndex(ValueLayout.JAVA_LONG, STAT_NAMES.length + q));
                    }
                }
            }
        }
        long link = DpdkShim.portLink(id);
        if (link >= 0) {
            m.put("link_up", link >>> 32 & 1);
            m.put("link_speed_mbps", link & 0xFFFF_FFFFL);
        }
        m.put("mbufs_free", (long) DpdkShim.poolAvailable(pool));
        if (multicastMode >= 0) m.put("multicast_mode", (long) multicastMode);
        m.put("tx_checksum_offload", txChecksumOffload() ? 1L : 0L);
        m.put("rx_checksum_offload", rxChecksumOffload() ? 1L : 0L);
        m.put("tso", tsoPool.equals(MemorySegment.NULL) ? 0L : 1L);
        return m;
    }

    /**
     * Whether the port still works: a {@code PROBE_*} result; when it went away (negative),
     * {@code errOut} (an int) holds the errno that showed it. A system call at most; allocates nothing.
     */
    int probe(MemorySegment errOut) {
        return DpdkShim.portProbe(id, errOut);
    }

    /** Why the port went away, in one line naming it and the cause, from a negative probe result. */
    String goneReason(int probe, int errno) {
        String cause = switch (probe) {
            case PROBE_REMOVED -> "the device was removed (its ethdev is gone)";
            case PROBE_TAP_GONE -> "its tap interface was deleted (the tap queue's file descriptor fails: "
                    + Errno.describe(errno) + ")";
            case PROBE_IFACE_GONE -> "its kernel interface (index " + Integer.toUnsignedString(DpdkShim.portIfIndex(id))
                    + ") was deleted or left this network namespace (" + Errno.describe(errno) + ")";
            default -> "probe result " + probe + " (" + Errno.describe(errno) + ")";
        };
        return this + " went away: " + cause;
    }

    /** Sets the port's link down or up, as a NIC losing its carrier would (tests, on ring ports). 0 or -errno. */
    int setLink(boolean up) {
        return DpdkShim.portSetLink(id, up ? 1 : 0);
    }

    /** Stops and closes the port (detaching a hot-plugged device) and frees the pool. Idempotent. */
    void close() {
        if (closed) return;
        closed = true;
        DpdkShim.portClose(id, detachOnClose ? 1 : 0);
        if (!pool.equals(MemorySegment.NULL)) DpdkShim.poolFree(pool);
        if (!tsoPool.equals(MemorySegment.NULL)) DpdkShim.poolFree(tsoPool);
    }

    @Override
    public String toString() {
        return "DPDK port " + Short.toUnsignedInt(id) + " (" + label + ")";
    }
}
