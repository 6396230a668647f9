package io.dmm.stack.userspace.phy;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two devices wired back to back in memory, like a veth pair: what {@link #a()} transmits,
 * {@link #b()} receives, and the other way round. Meant for two stack instances in one JVM, each
 * driving its end from its own thread under its own lock.
 *
 * <p>Both ends share one off-heap arena: slots {@code [0, slots)} carry a→b frames, slots
 * {@code [slots, 2·slots)} carry b→a frames, so each end's {@link Device#memory()} covers both its
 * transmit and its receive offsets. Per direction, the sender alone owns the free list of its
 * slots; a flushed frame crosses to the receiver on a lock-free SPSC ring ({@link SpscLongRing},
 * release/acquire ordered, so the receiver sees the bytes written before the flush), and the
 * receiver hands the slot back on a second SPSC ring once it has handled the frame. No locks and
 * no allocation per frame.
 *
 * <p>Checksums are vouched for (an in-memory link cannot corrupt) unless the pair is created with
 * {@code checksumOffload = false}, which makes both stacks compute and verify them: use that to test
 * the checksum paths, or behind a {@link FaultInjector} that corrupts.
 */
public final class DevicePair implements AutoCloseable {
    private static final AtomicInteger PAIRS = new AtomicInteger();

    private final FrameArena arena;
    private final End a;
    private final End b;
    private final AtomicInteger openEnds = new AtomicInteger(2);

    private DevicePair(int mtu, int slots, boolean checksumOffload) {
        if (slots < 1) throw new IllegalArgumentException("slots must be positive: " + slots);
        this.arena = new FrameArena(mtu, 2 * slots);
        int id = PAIRS.getAndIncrement();
        SpscLongRing ab = new SpscLongRing(slots);
        SpscLongRing abReturns = new SpscLongRing(slots);
        SpscLongRing ba = new SpscLongRing(slots);
        SpscLongRing baReturns = new SpscLongRing(slots);
        // 02:00:00:ii:ii:0a and ...:0b, locally administered and distinct across the pairs of a JVM.
        long base = 0x02_00_00_00_00_00L | (long) (id & 0xFFFF) << 8;
        this.a = new End("pair" + id + ".a", base | 0x0A, mtu, slots, 0, checksumOffload, ab, abReturns, ba, baReturns);
        this.b = new End("pair" + id + ".b", base | 0x0B, mtu, slots, slots, checksumOffload, ba, baReturns, ab, abReturns);
        a.peer = b;
        b.peer = a;
    }

    /** A pair whose ends carry IPv4 packets of up to {@code mtu} bytes with {@code slots} frames in flight each way. */
    public static DevicePair create(int mtu, int slots) {
        return new DevicePair(mtu, slots, true);
    }

    /** As {@link #create(int, int)}; with {@code checksumOffload} false nothing is vouched and stacks compute checksums. */
    public static DevicePair create(int mtu, int slots, boolean checksumOffload) {
        return new DevicePair(mtu, slots, checksumOffload);
    }

    public Device a() {
        return a;
    }

    public Device b() {
        return b;
    }

    /** Closes both ends. */
    @Override
    public void close() {
        a.close();
        b.close();
    }

    private void endClosed() {
        // The memory goes only when neither stack can touch it any more.
        if (openEnds.decrementAndGet() == 0) arena.close();
    }

    private final class End implements Device {
        private final String name;
        private final long mac;
        private final int mtu;
        private final boolean checksumOffload;
        private final SpscLongRing txRing;
        private final SpscLongRing txReturns;
        private final SpscLongRing rxRing;
        private final SpscLongRing rxReturns;
        /** This end's transmit slots not in use, as slot indexes in the shared arena (sender-owned). */
        private final int[] freeSlots;
        private final boolean[] inUse;
        private final int firstSlot;
        private int freeCount;
        private final FrameQueue submitted;
        private volatile Runnable rxNotifier;
        private End peer;
        private volatile boolean closed;
        private long rxFrames, rxBytes, txFrames, txBytes, txFull;

        End(String name, long mac, int mtu, int slots, int firstSlot, boolean checksumOffload,
            SpscLongRing txRing, SpscLongRing txReturns, SpscLongRing rxRing, SpscLongRing rxReturns) {
            this.name = name;
            this.mac = mac;
            this.mtu = mtu;
            this.checksumOffload = checksumOffload;
            this.txRing = txRing;
            this.txReturns = txReturns;
            this.rxRing = rxRing;
            this.rxReturns = rxReturns;
            this.firstSlot = firstSlot;
            this.freeSlots = new int[slots];
            this.inUse = new boolean[slots];
            for (int i = 0; i < slots; i++) freeSlots[i] = firstSlot + slots - 1 - i;
            this.freeCount = slots;
            this.submitted = new FrameQueue(slots);
        }

        @Override public String name() { return name; }
        @Override public long macAddress() { return mac; }
        @Override public int mtu() { return mtu; }
        @Override public boolean txChecksumOffload() { return checksumOffload; }
        @Override public MemorySegment memory() { return arena.memory(); }
        @Override public int txCapacity() { return mtu + 14; }

        @Override
        public int receive(RxHandler handler, int budget) {
            int n = 0;
            MemorySegment memory = arena.memory();
            while (n < budget && !closed) {
                long entry = rxRing.poll();
                if (entry < 0) break;
                int slot = (int) (entry >>> 32);
                int length = (int) entry;
                rxFrames++;
                rxBytes += length;
                n++;
                try {
                    handler.frame(memory, arena.offsetOf(slot), length, checksumOffload);
                } finally {
                    // Never full: the ring has a place for every slot of the direction.
                    rxReturns.offer(slot);
                }
            }
            return n;
        }

        @Override
        public boolean rxPending() {
            return rxRing.consumerHasNext();
        }

        @Override
        public long txAcquire() {
            if (closed) return -1;
            if (freeCount == 0) {
                long slot;
                while ((slot = txReturns.poll()) >= 0) {
                    int s = (int) slot;
                    inUse[s - firstSlot] = false;
                    freeSlots[freeCount++] = s;
                }
                if (freeCount == 0) {
                    txFull++;
                    return -1;
                }
            }
            int slot = freeSlots[--freeCount];
            inUse[slot - firstSlot] = true;
            return arena.offsetOf(slot);
        }

        @Override
        public void txSubmit(long offset, int length) {
            if (length < 14 || length > mtu + 14) {
                throw new IllegalArgumentException("frame length must be in [14, " + (mtu + 14) + "]: " + length);
            }
            ownedSlot(offset);
            submitted.offer(offset, length, 0);
        }

        @Override
        public void txRelease(long offset) {
            int slot = ownedSlot(offset);
            inUse[slot - firstSlot] = false;
            freeSlots[freeCount++] = slot;
        }

        @Override
        public void txFlush() {
            if (submitted.isEmpty()) return;
            while (!submitted.isEmpty()) {
                int slot = arena.slotOf(submitted.headOffset());
                int length = submitted.headLength();
                submitted.removeHead();
                // In flight: no longer ours until the peer returns it.
                inUse[slot - firstSlot] = false;
                txRing.offer((long) slot << 32 | length);
                txFrames++;
                txBytes += length;
            }
            Runnable n = peer.rxNotifier;
            if (n != null) n.run();
        }

        private int ownedSlot(long offset) {
            int slot = arena.slotOf(offset);
            if (slot < firstSlot || slot >= firstSlot + inUse.length || !inUse[slot - firstSlot]) {
                throw new IllegalStateException(name + ": offset " + offset + " is not an acquired transmit buffer");
            }
            return slot;
        }

        @Override
        public void setRxNotifier(Runnable notifier) {
            this.rxNotifier = notifier;
        }

        @Override
        public Map<String, Long> counters() {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("rx_frames", rxFrames);
            m.put("rx_bytes", rxBytes);
            m.put("tx_frames", txFrames);
            m.put("tx_bytes", txBytes);
            m.put("tx_full", txFull);
            return m;
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            submitted.clear();
            endClosed();
        }
    }
}
