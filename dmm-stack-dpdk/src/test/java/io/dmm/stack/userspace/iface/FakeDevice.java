package io.dmm.stack.userspace.iface;

import io.dmm.stack.userspace.phy.Device;
import io.dmm.stack.userspace.phy.RxHandler;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
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

    final long mac;
    final int mtu;
    boolean offload;
    final MemorySegment memory;
    final ArrayDeque<Long> free = new ArrayDeque<>();
    final int buffers;
    final List<byte[]> submitted = new ArrayList<>();
    final List<byte[]> sent = new ArrayList<>();
    int flushes;
    /** As real NICs: a submitted buffer is free again only once flushed (sent), not on submit. */
    boolean buffersReturnOnFlush;
    private final List<Long> inFlight = new ArrayList<>();

    FakeDevice(long mac, int mtu, int buffers) {
        this.mac = mac;
        this.mtu = mtu;
        this.buffers = buffers;
        this.memory = Arena.ofAuto().allocate((long) buffers * BUFFER);
        for (int i = 0; i < buffers; i++) free.add((long) i * BUFFER);
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
        return buffers - free.size();
    }

    void holdAllBuffers() {
        free.clear();
    }

    @Override public String name() { return "fake"; }
    @Override public long macAddress() { return mac; }
    @Override public int mtu() { return mtu; }
    @Override public boolean txChecksumOffload() { return offload; }
    @Override public MemorySegment memory() { return memory; }
    @Override public int receive(RxHandler handler, int budget) { return 0; }
    @Override public boolean rxPending() { return false; }
    @Override public int txCapacity() { return BUFFER; }

    @Override
    public long txAcquire() {
        Long o = free.poll();
        return o == null ? -1 : o;
    }

    @Override
    public void txSubmit(long offset, int length) {
        if (length <= 0 || length > BUFFER) throw new AssertionError("bad frame length " + length);
        submitted.add(memory.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
        if (buffersReturnOnFlush) inFlight.add(offset);
        else free.add(offset);
    }

    @Override
    public void txRelease(long offset) {
        if (free.contains(offset)) throw new AssertionError("double release of " + offset);
        free.add(offset);
    }

    @Override
    public void txFlush() {
        flushes++;
        free.addAll(inFlight);
        inFlight.clear();
        sent.addAll(submitted);
        submitted.clear();
    }

    @Override public void setRxNotifier(Runnable notifier) { }
    @Override public Map<String, Long> counters() { return Map.of(); }
    @Override public void close() { }
}
