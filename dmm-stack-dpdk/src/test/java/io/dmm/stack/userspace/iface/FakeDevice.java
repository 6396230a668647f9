package io.dmm.stack.userspace.iface;

import io.dmm.stack.userspace.phy.Device;
import io.dmm.stack.userspace.phy.RxHandler;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A device for driving the interface in tests: a handful of transmit buffers in one segment;
 * submitted frames are copied out and become visible in {@link #sent} on flush. Received frames
 * are injected by calling the interface's {@code frame} directly.
 */
final class FakeDevice implements Device {
    static final int BUFFER = 2048;
    /** The one large buffer for TSO sends, after the ordinary ones. */
    static final int TSO_BUFFER = 65536 + 14;

    final long mac;
    final int mtu;
    boolean offload;
    final MemorySegment memory;
    /** Free buffer offsets as a plain stack: boxing them would make the allocation test measure us. */
    private final long[] free;
    private int freeCount;
    /** Off for the allocation test: copying frames out allocates. */
    boolean record = true;
    final int buffers;
    final List<byte[]> submitted = new ArrayList<>();
    final List<byte[]> sent = new ArrayList<>();
    int flushes;
    /** As real NICs: a submitted buffer is free again only once flushed (sent), not on submit. */
    boolean buffersReturnOnFlush;
    private final List<Long> inFlight = new ArrayList<>();
    /** TCP segmentation offload: the largest IPv4 packet of a segmented send; 0 (the default) for none. */
    int tsoMax;
    private final long tsoOffset;
    private boolean tsoTaken;
    /** Frames submitted for segmentation, and the segment size each asked for. */
    final List<byte[]> segmented = new ArrayList<>();
    final List<Integer> segmentSizes = new ArrayList<>();

    FakeDevice(long mac, int mtu, int buffers) {
        this.mac = mac;
        this.mtu = mtu;
        this.buffers = buffers;
        this.memory = Arena.ofAuto().allocate((long) buffers * BUFFER + TSO_BUFFER);
        this.tsoOffset = (long) buffers * BUFFER;
        this.free = new long[buffers];
        for (int i = buffers - 1; i >= 0; i--) free[freeCount++] = (long) i * BUFFER;
    }

    FakeDevice(long mac) {
        this(mac, 1500, 16);
    }

    /** Frames sent (flushed) since the last call, oldest first. */
    List<byte[]> takeSent() {
        List<byte[]> out = new ArrayList<>(sent);
        sent.clear();
        return out;
    }

    /** Buffers handed out and neither submitted nor released. */
    int outstanding() {
        return buffers - freeCount;
    }

    void holdAllBuffers() {
        freeCount = 0;
    }

    @Override public String name() { return "fake"; }
    @Override public long macAddress() { return mac; }
    @Override public int mtu() { return mtu; }
    @Override public boolean txChecksumOffload() { return offload; }
    @Override public MemorySegment memory() { return memory; }
    /** Frames for {@link #receive} to hand over, oldest first. */
    final ArrayList<byte[]> rxQueue = new ArrayList<>();

    /** As a DPDK port: a burst's frames stay readable until it ends, so the stack may merge them (GRO). */
    boolean holdsFrames;

    @Override public boolean holdsFramesForBurst() { return holdsFrames; }

    @Override
    public int receive(RxHandler handler, int budget) {
        int n = 0;
        while (n < budget && !rxQueue.isEmpty()) {
            byte[] f = rxQueue.remove(0);
            handler.frame(MemorySegment.ofArray(f), 0, f.length, false);
            n++;
        }
        if (holdsFrames && n > 0) handler.endOfBurst();
        return n;
    }

    @Override public boolean rxPending() { return !rxQueue.isEmpty(); }
    @Override public int txCapacity() { return BUFFER; }

    @Override
    public long txAcquire() {
        return freeCount == 0 ? -1 : free[--freeCount];
    }

    @Override
    public void txSubmit(long offset, int length) {
        if (length <= 0 || length > BUFFER) throw new AssertionError("bad frame length " + length);
        if (record) submitted.add(memory.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
        if (buffersReturnOnFlush) inFlight.add(offset);
        else free[freeCount++] = offset;
    }

    @Override public int tsoMaxBytes() { return tsoMax; }

    @Override
    public long txAcquireSegmented() {
        if (tsoMax == 0 || tsoTaken) return -1;
        tsoTaken = true;
        return tsoOffset;
    }

    @Override
    public void txSubmitSegmented(long offset, int length, int segmentSize) {
        if (offset != tsoOffset || !tsoTaken || length > tsoMax + 14) throw new AssertionError("bad TSO frame " + offset + ", " + length);
        segmented.add(memory.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
        segmentSizes.add(segmentSize);
        tsoTaken = false;
    }

    /** Whether the TSO buffer is handed out (neither submitted nor released). */
    boolean tsoBufferTaken() {
        return tsoTaken;
    }

    @Override
    public void txRelease(long offset) {
        if (offset == tsoOffset) {
            if (!tsoTaken) throw new AssertionError("double release of the TSO buffer");
            tsoTaken = false;
            return;
        }
        for (int i = 0; i < freeCount; i++) if (free[i] == offset) throw new AssertionError("double release of " + offset);
        free[freeCount++] = offset;
    }

    @Override
    public void txFlush() {
        flushes++;
        if (!inFlight.isEmpty()) {
            for (long o : inFlight) free[freeCount++] = o;
            inFlight.clear();
        }
        if (!submitted.isEmpty()) {  // addAll allocates even for nothing
            sent.addAll(submitted);
            submitted.clear();
        }
    }

    /** The last multicast filter the stack asked for, or null before any. */
    long[] multicastFilter;

    @Override public void multicastFilter(long[] groupMacs) { multicastFilter = groupMacs.clone(); }
    @Override public void setRxNotifier(Runnable notifier) { }
    @Override public Map<String, Long> counters() { return Map.of(); }
    @Override public void close() { }
}
