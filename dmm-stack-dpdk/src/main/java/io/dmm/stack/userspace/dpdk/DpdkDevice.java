package io.dmm.stack.userspace.dpdk;

import io.dmm.stack.userspace.phy.Device;
import io.dmm.stack.userspace.phy.DeviceListener;
import io.dmm.stack.userspace.phy.RxHandler;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fast path of a DPDK port as a {@link Device}: frames are read and written in place in mbufs.
 *
 * <p>Frame offsets are mbuf data addresses in {@link #memory()}, a segment spanning the address
 * space, so the stack's wire views read DPDK's buffers directly. Receive is one
 * {@code dmm_rx_burst} per queue and burst (the shim copies each frame's address, length and
 * checksum verdict into {@link #rxDesc}) and one bulk free after the handler has seen the burst.
 * Transmit takes mbufs from a small cache refilled in bulk, queues them with their lengths and
 * sends them in one {@code dmm_tx_burst}. Nothing is allocated on the Java heap per frame.
 *
 * <p>Whether the port still works is asked by {@link #probe()}, which the owner calls at a slow pace
 * (the shim's {@code dmm_port_probe}: one system call). A port that went away (its tap interface or
 * veth deleted, its NIC removed) is reported once to the {@link DeviceListener} and from then on the
 * device stops touching it: receive returns nothing, transmit drops. A link that goes down and up
 * is reported as it changes. Nothing is checked per frame.
 *
 * <p>Not thread-safe, as every device: the owning stack instance calls it under its lock.
 */
final class DpdkDevice implements Device {
    private static final Logger LOG = LoggerFactory.getLogger(DpdkDevice.class);
    static final MemorySegment ADDRESS_SPACE = MemorySegment.ofAddress(0).reinterpret(Long.MAX_VALUE);
    static final int RX_BURST = 32;
    static final int TX_BURST = 32;
    private static final int TX_CACHE = 64;
    private static final int RX_CKSUM_GOOD = 1;
    private static final int RX_SEGMENTED = 2;
    private static final long TX_OFFLOAD = 1L << 32;
    private static final long TX_TSO = 2L << 32;

    private final String name;
    private final DpdkPort port;
    private final short portId;
    private final int queues;
    private final int mtu;
    private final long mac;
    private final long dataOffset;
    private final int txCapacity;
    private final boolean txOffload;
    private final boolean rxOffload;
    private final MemorySegment pool;
    /** Large mbufs for TSO sends; NULL when the port does no TSO. */
    private final MemorySegment tsoPool;
    private final int tsoMaxBytes;
    private final Arena arena = Arena.ofShared();
    /** One per queue pair; lane 0 is this device's own fast path (it receives from every queue). */
    private final Lane[] lanes;
    private final Runnable onClose;
    /** Where a probe puts the errno of a port that went away. */
    private final MemorySegment probeErr;
    private volatile DeviceListener listener;
    /** The link state last reported (ports start up; a port whose link state says nothing stays so). */
    private boolean linkUp = true;
    private int nextQueue;
    /** Called after frames were sent to a peer of this JVM (a ring link's other end); null otherwise. */
    private volatile Runnable peerNotifier;
    private volatile Runnable rxNotifier;
    private boolean closed;
    /**
     * Closed, or the port went away: the fast path stops touching it (one field read per burst).
     * Volatile: the lanes of other shards' threads read it too.
     */
    private volatile boolean stopped;

    /**
     * @param port    a started port
     * @param onClose run after the port is closed (a ring link frees its rings), or null
     */
    DpdkDevice(String name, DpdkPort port, int queues, int mtu, Runnable onClose) {
        this.name = name;
        this.port = port;
        this.portId = port.id;
        this.queues = queues;
        this.mtu = mtu;
        this.mac = port.mac();
        this.dataOffset = DpdkShim.mbufDataOffset();
        this.txCapacity = Math.min(port.dataRoom(), mtu + 14);
        this.txOffload = port.txChecksumOffload();
        this.rxOffload = port.rxChecksumOffload();
        this.pool = port.pool();
        this.tsoPool = port.tsoPool();
        // the IPv4 packet in a TSO mbuf: its data room less the Ethernet header, within IPv4's 16-bit length
        this.tsoMaxBytes = tsoPool.equals(MemorySegment.NULL) ? 0 : Math.min(0xFFFF, DpdkPort.TSO_DATA_ROOM - 14);
        this.onClose = onClose;
        this.lanes = new Lane[queues];
        for (int q = 0; q < queues; q++) lanes[q] = new Lane((short) q);
        this.probeErr = arena.allocate(ValueLayout.JAVA_INT);
    }

    void setPeerNotifier(Runnable notifier) {
        this.peerNotifier = notifier;
    }

    /** What this end's peer calls after sending to it (ring links). */
    void notifyArrival() {
        Runnable n = rxNotifier;
        if (n != null) n.run();
    }

    @Override public String name() { return name; }
    @Override public long macAddress() { return mac; }
    @Override public int mtu() { return mtu; }
    @Override public boolean txChecksumOffload() { return txOffload; }
    @Override public MemorySegment memory() { return ADDRESS_SPACE; }
    @Override public int txCapacity() { return txCapacity; }
    @Override public int tsoMaxBytes() { return tsoMaxBytes; }
    /** A burst's mbufs are freed together after it: GRO may hold them until then. */
    @Override public boolean holdsFramesForBurst() { return true; }
    @Override public void setRxNotifier(Runnable notifier) { this.rxNotifier = notifier; }
    @Override public void setListener(DeviceListener listener) { this.listener = listener; }

    /**
     * Asks the port whether it still works (see {@link DpdkPort#probe}); tells the listener, once,
     * that it went away, or that its link went down or came back.
     */
    @Override
    public void probe() {
        if (stopped) return;
        int r = port.probe(probeErr);
        if (r < 0) {
            stopped = true;
            String reason = port.goneReason(r, probeErr.get(ValueLayout.JAVA_INT, 0));
            DeviceListener l = listener;
            if (l != null) l.deviceFailed(reason);
            return;
        }
        if (r == DpdkPort.PROBE_LINK_UNKNOWN) return;
        boolean up = r == DpdkPort.PROBE_LINK_UP;
        if (up == linkUp) return;
        linkUp = up;
        DeviceListener l = listener;
        if (l != null) l.linkChanged(up, up ? "" : "the link of " + port + " is down (no carrier)");
    }

    /** Whether a probe found that the port went away. */
    boolean failed() {
        return stopped && !closed;
    }

    /**
     * The joined groups' MACs go to the port's filter (all-multicast where it has none). A port
     * that refuses both keeps what it had: logged, as the stack cannot fail an IGMP join for it.
     */
    @Override
    public void multicastFilter(long[] groupMacs) {
        if (closed) return;
        int r = port.setMulticast(groupMacs);
        if (r < 0) {
            LOG.warn("DPDK port {} refused the multicast filter of {} group(s) and all-multicast: errno {}; "
                    + "datagrams to joined groups may not arrive", name, groupMacs.length, -r);
        }
    }

    /** The port (tests: its link is taken down, it is closed behind the device's back). */
    DpdkPort port() {
        return port;
    }

    @Override
    public int receive(RxHandler handler, int budget) {
        if (stopped) return 0;
        int total = 0;
        // round robin over the rx queues, so one busy queue does not starve the others
        for (int i = 0; i < queues && total < budget; i++) {
            short q = (short) nextQueue;
            nextQueue = nextQueue + 1 == queues ? 0 : nextQueue + 1;
            total += lanes[0].receive(q, handler, budget - total);
        }
        return total;
    }

    /** A port cannot be asked cheaply whether frames wait; the poll loop polls it. */
    @Override
    public boolean rxPending() {
        return false;
    }

    @Override public long txAcquire() { return lanes[0].txAcquire(); }
    @Override public void txSubmit(long offset, int length) { lanes[0].txSubmit(offset, length); }
    @Override public long txAcquireSegmented() { return lanes[0].txAcquireSegmented(); }
    @Override public void txSubmitSegmented(long offset, int length, int segmentSize) {
        lanes[0].txSubmitSegmented(offset, length, segmentSize);
    }
    @Override public void txRelease(long offset) { lanes[0].txRelease(offset); }
    @Override public void txFlush() { lanes[0].txFlush(); }

    /** Its queue pairs: a shard each may use them side by side ({@link #queue}). */
    @Override
    public int queues() {
        return queues;
    }

    /**
     * Queue pair {@code q} as a device of its own: receive from rx queue {@code q}, send on tx queue
     * {@code q}, with its own burst buffers and mbuf cache, so one thread per queue uses them at once
     * (DPDK's rule: a queue is one thread's at a time). Queue 0's lane is also this device's own
     * transmit path; this device's receive polls every queue, so with lanes in use it is not called.
     * The port's health, filter and counters stay with this device.
     */
    @Override
    public Device queue(int q) {
        return lanes[q];
    }

    /** Mbufs this device holds in its transmit cache and queue (they count as taken from the pool). */
    int mbufsHeld() {
        int held = 0;
        for (Lane l : lanes) held += l.cached + l.pending;
        return held;
    }

    @Override
    public Map<String, Long> counters() {
        long[] sums = new long[9];
        for (Lane l : lanes) {  // racy reads of other shards' lanes: counters are a moment old anyway
            sums[0] += l.rxFrames;
            sums[1] += l.rxBytes;
            sums[2] += l.rxSegmentedDrops;
            sums[3] += l.txFrames;
            sums[4] += l.txBytes;
            sums[5] += l.txRingFull;
            sums[6] += l.txNoMbuf;
            sums[7] += l.txTsoFrames;
            sums[8] += l.txTsoNoMbuf;
        }
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("rx_frames", sums[0]);
        m.put("rx_bytes", sums[1]);
        m.put("rx_segmented_drops", sums[2]);
        m.put("tx_frames", sums[3]);
        m.put("tx_bytes", sums[4]);
        m.put("tx_ring_full", sums[5]);
        m.put("tx_no_mbuf", sums[6]);
        m.put("tx_tso_frames", sums[7]);
        m.put("tx_tso_no_mbuf", sums[8]);
        if (!closed) m.putAll(port.counters());
        return m;
    }

    @Override
    public void close() {
        if (closed) return;
        for (Lane l : lanes) l.freeHeld();
        closed = true;
        stopped = true;
        try {
            port.close();
        } finally {
            arena.close();
            if (onClose != null) onClose.run();
        }
    }

    /**
     * One queue pair's fast path: burst buffers, the transmit cache and queue, and their counters.
     * Used by one thread at a time (its shard's, under that shard's lock).
     */
    private final class Lane implements Device {
        private final short queue;
        private final MemorySegment rxMbufs = arena.allocate(ValueLayout.JAVA_LONG, RX_BURST);
        private final MemorySegment rxDesc = arena.allocate(ValueLayout.JAVA_LONG, 2L * RX_BURST);
        private final MemorySegment txCache = arena.allocate(ValueLayout.JAVA_LONG, TX_CACHE);
        private final MemorySegment txPending = arena.allocate(ValueLayout.JAVA_LONG, TX_BURST);
        private final MemorySegment txMeta = arena.allocate(ValueLayout.JAVA_LONG, TX_BURST);
        /** Where a TSO mbuf is allocated into. */
        private final MemorySegment tsoSlot = arena.allocate(ValueLayout.JAVA_LONG);
        private int cached;
        private int pending;
        private long rxFrames;
        private long rxBytes;
        private long rxSegmentedDrops;
        private long txFrames;
        private long txBytes;
        private long txRingFull;
        private long txNoMbuf;
        private long txTsoFrames;
        private long txTsoNoMbuf;

        Lane(short queue) {
            this.queue = queue;
        }

        @Override public String name() { return name + ".q" + queue; }
        @Override public long macAddress() { return mac; }
        @Override public int mtu() { return mtu; }
        @Override public boolean txChecksumOffload() { return txOffload; }
        @Override public MemorySegment memory() { return ADDRESS_SPACE; }
        @Override public int txCapacity() { return txCapacity; }
        @Override public boolean rxPending() { return false; }
        @Override public int tsoMaxBytes() { return tsoMaxBytes; }
        @Override public boolean holdsFramesForBurst() { return true; }
        /** The port's notifier, listener and filter are the device's ({@link DpdkDevice}). */
        @Override public void setRxNotifier(Runnable notifier) {}
        @Override public Map<String, Long> counters() { return DpdkDevice.this.counters(); }
        /** The device closes the port and its lanes. */
        @Override public void close() {}

        @Override
        public int receive(RxHandler handler, int budget) {
            return stopped ? 0 : receive(queue, handler, budget);
        }

        /** One burst from rx queue {@code q} into this lane's buffers, handed to {@code handler}. */
        int receive(short q, RxHandler handler, int budget) {
            int got = DpdkShim.rxBurst(portId, q, rxMbufs, Math.min(RX_BURST, budget), rxDesc);
            if (got == 0) return 0;
            try {
                for (int k = 0; k < got; k++) {
                    long address = rxDesc.getAtIndex(ValueLayout.JAVA_LONG, 2L * k);
                    long meta = rxDesc.getAtIndex(ValueLayout.JAVA_LONG, 2L * k + 1);
                    int length = (int) meta;
                    int flags = (int) (meta >>> 32);
                    if ((flags & RX_SEGMENTED) != 0) {
                        rxSegmentedDrops++;  // no scatter is configured: a chained frame is larger than the MTU
                        continue;
                    }
                    rxFrames++;
                    rxBytes += length;
                    handler.frame(ADDRESS_SPACE, address, length, rxOffload && (flags & RX_CKSUM_GOOD) != 0);
                }
            } finally {
                try {
                    handler.endOfBurst();  // the mbufs are freed just below: what was held of them goes up now
                } finally {
                    DpdkShim.freeBulk(rxMbufs, got);
                }
            }
            return got;
        }

        @Override
        public long txAcquire() {
            if (stopped) return -1;
            if (cached == 0 && !refill()) {
                txNoMbuf++;
                return -1;
            }
            return txCache.getAtIndex(ValueLayout.JAVA_LONG, --cached) + dataOffset;
        }

        private boolean refill() {
            if (DpdkShim.allocBulk(pool, txCache, TX_CACHE) == 0) {
                cached = TX_CACHE;
                return true;
            }
            // the pool is nearly empty (received frames or sends in flight hold it): take one if any
            if (DpdkShim.allocBulk(pool, txCache, 1) == 0) {
                cached = 1;
                return true;
            }
            return false;
        }

        @Override
        public void txSubmit(long offset, int length) {
            if (length < 0 || length > txCapacity) {
                throw new IllegalArgumentException("frame of " + length + " bytes on " + name + " (capacity " + txCapacity + ")");
            }
            txPending.setAtIndex(ValueLayout.JAVA_LONG, pending, offset - dataOffset);
            txMeta.setAtIndex(ValueLayout.JAVA_LONG, pending, length | (txOffload ? TX_OFFLOAD : 0L));
            pending++;
            txBytes += length;
            if (pending == TX_BURST) txFlush();
        }

        /** A large mbuf from the TSO pool (one at a time: a TSO send carries tens of segments' worth). */
        @Override
        public long txAcquireSegmented() {
            if (stopped || tsoMaxBytes == 0) return -1;
            if (DpdkShim.allocBulk(tsoPool, tsoSlot, 1) != 0) {
                txTsoNoMbuf++;
                return -1;
            }
            return tsoSlot.get(ValueLayout.JAVA_LONG, 0) + dataOffset;
        }

        @Override
        public void txSubmitSegmented(long offset, int length, int segmentSize) {
            if (tsoMaxBytes == 0 || length < 0 || length > tsoMaxBytes + 14 || segmentSize <= 0 || segmentSize > 0xFFFF) {
                throw new IllegalArgumentException("TSO frame of " + length + " bytes, segments of " + segmentSize + " on "
                        + name + " (TSO capacity " + tsoMaxBytes + ")");
            }
            txPending.setAtIndex(ValueLayout.JAVA_LONG, pending, offset - dataOffset);
            txMeta.setAtIndex(ValueLayout.JAVA_LONG, pending, length | TX_OFFLOAD | TX_TSO | (long) segmentSize << 48);
            pending++;
            txBytes += length;
            txTsoFrames++;
            if (pending == TX_BURST) txFlush();
        }

        @Override
        public void txRelease(long offset) {
            if (cached < TX_CACHE) {
                txCache.setAtIndex(ValueLayout.JAVA_LONG, cached++, offset - dataOffset);
            } else {
                txPending.setAtIndex(ValueLayout.JAVA_LONG, TX_BURST - 1, offset - dataOffset);
                DpdkShim.freeBulk(txPending.asSlice(8L * (TX_BURST - 1)), 1);
            }
        }

        @Override
        public void txFlush() {
            int n = pending;
            if (n == 0) return;  // always so once closed: close() frees what was pending
            pending = 0;
            if (stopped) {
                DpdkShim.freeBulk(txPending, n);  // the port went away: what was queued is dropped
                return;
            }
            int sent = DpdkShim.txBurst(portId, queue, txPending, txMeta, n);
            txFrames += sent;
            if (sent < n) txRingFull += n - sent;  // the shim freed them; TCP retransmits
            Runnable peer = peerNotifier;
            if (sent > 0 && peer != null) peer.run();
        }

        /** Gives the mbufs it holds back to the pool (the device is closing). */
        void freeHeld() {
            if (pending > 0) {
                DpdkShim.freeBulk(txPending, pending);
                pending = 0;
            }
            if (cached > 0) {
                DpdkShim.freeBulk(txCache, cached);
                cached = 0;
            }
        }
    }

    @Override
    public String toString() {
        return name + " on " + port;
    }
}
