package io.dmm.stack.userspace.phy;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A device whose transmitted frames come back as its own received frames, as Linux's {@code lo}:
 * {@link #txFlush()} moves the submitted frames to the receive queue and calls the rx notifier.
 * Checksums are vouched for in both directions (the bytes never leave memory).
 *
 * <p>The default MTU is 65535, the largest an IPv4 packet can be (Linux's lo uses 65536): big
 * segments mean few per-packet costs, so bulk throughput over loopback is high. Memory is
 * {@code slots × round64(mtu + 14)} bytes off-heap, about 64 MiB for the defaults; pass a smaller
 * MTU or slot count for many instances.
 *
 * <p>Frames in flight and frames received but not yet taken share the one arena of slots, so when
 * the receiver falls behind {@link #txAcquire()} returns -1 (counted as {@code tx_full}).
 * Not thread-safe, like every {@link Device}.
 */
public final class LoopbackDevice implements Device {
    public static final int DEFAULT_MTU = 65535;
    public static final int DEFAULT_SLOTS = 1024;
    /** 02:00:00:00:00:01, locally administered unicast. */
    public static final long DEFAULT_MAC = 0x02_00_00_00_00_01L;

    private final String name;
    private final long mac;
    private final int mtu;
    private final FrameArena arena;
    private final FrameQueue submitted;
    private final FrameQueue received;
    private volatile Runnable rxNotifier;
    private boolean closed;
    private long rxFrames, rxBytes, txFrames, txBytes, txFull;

    public LoopbackDevice() {
        this("loopback", DEFAULT_MTU, DEFAULT_SLOTS, DEFAULT_MAC);
    }

    public LoopbackDevice(int mtu, int slots) {
        this("loopback", mtu, slots, DEFAULT_MAC);
    }

    public LoopbackDevice(String name, int mtu, int slots, long mac) {
        this.name = name;
        this.mtu = mtu;
        this.mac = mac & 0xFFFF_FFFF_FFFFL;
        this.arena = new FrameArena(mtu, slots);
        this.submitted = new FrameQueue(slots);
        this.received = new FrameQueue(slots);
    }

    @Override public String name() { return name; }
    @Override public long macAddress() { return mac; }
    @Override public int mtu() { return mtu; }
    @Override public boolean txChecksumOffload() { return true; }
    @Override public MemorySegment memory() { return arena.memory(); }
    @Override public int txCapacity() { return mtu + 14; }
    @Override public boolean reflectsTransmit() { return true; }

    @Override
    public int receive(RxHandler handler, int budget) {
        int n = 0;
        while (n < budget && !closed && !received.isEmpty()) {
            // Dequeue before the call: the handler may transmit (and flush) in reply.
            long offset = received.headOffset();
            int length = received.headLength();
            received.removeHead();
            rxFrames++;
            rxBytes += length;
            n++;
            try {
                handler.frame(arena.memory(), offset, length, true);
            } finally {
                if (!closed) arena.release(offset);
            }
        }
        return n;
    }

    @Override
    public boolean rxPending() {
        return !received.isEmpty();
    }

    @Override
    public long txAcquire() {
        if (closed) return -1;
        long offset = arena.acquire();
        if (offset < 0) txFull++;
        return offset;
    }

    @Override
    public void txSubmit(long offset, int length) {
        checkLength(length);
        arena.checkAcquired(offset);
        // Cannot fail: every queued frame holds a slot, and the queue has a place per slot.
        submitted.offer(offset, length, 0);
    }

    @Override
    public void txRelease(long offset) {
        arena.release(offset);
    }

    @Override
    public void txFlush() {
        if (submitted.isEmpty()) return;
        while (!submitted.isEmpty()) {
            int length = submitted.headLength();
            received.offer(submitted.headOffset(), length, 0);
            submitted.removeHead();
            txFrames++;
            txBytes += length;
        }
        Runnable n = rxNotifier;
        if (n != null) n.run();
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
        received.clear();
        arena.close();
    }

    private void checkLength(int length) {
        if (length < 14 || length > mtu + 14) {
            throw new IllegalArgumentException("frame length must be in [14, " + (mtu + 14) + "]: " + length);
        }
    }
}
