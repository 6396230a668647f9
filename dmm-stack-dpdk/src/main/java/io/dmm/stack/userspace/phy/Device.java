package io.dmm.stack.userspace.phy;

import java.lang.foreign.MemorySegment;

/**
 * Moves Ethernet frames (no preamble, no FCS) for one stack instance. Frames live in device memory
 * and are addressed as (memory, offset, length) so the fast path allocates nothing: a DPDK device
 * answers with mbuf data addresses in a segment spanning the address space, an in-memory device
 * with offsets in its own arena.
 *
 * <p>Transmit is acquire, write in place, submit, flush: {@link #txAcquire()} hands out a buffer of
 * {@link #txCapacity()} bytes, the stack writes the frame into it, {@link #txSubmit} queues it
 * (ownership passes to the device) or {@link #txRelease} gives it back unused, and
 * {@link #txFlush()} pushes the queued frames out as one burst.
 *
 * <p>Not thread-safe: one stack instance drives a device, under its lock. Only
 * {@link #setRxNotifier} callbacks may come from other threads.
 */
public interface Device extends AutoCloseable {
    /** A short name for logs and counters, e.g. {@code loopback} or {@code pair0.a}. */
    String name();

    /** The device's MAC address in the low 48 bits. */
    long macAddress();

    /** The largest IPv4 packet the device carries (the L3 MTU, 1500 for Ethernet). */
    int mtu();

    /**
     * Whether outgoing IPv4/TCP/UDP checksums may be left for the device (in-memory links, NIC tx
     * offload). When false the stack computes them.
     */
    boolean txChecksumOffload();

    /** Memory that every frame offset of this device refers to. */
    MemorySegment memory();

    /**
     * Hands up to {@code budget} received frames to {@code handler}, in arrival order, and releases
     * each after the call. Returns how many were handed over.
     */
    int receive(RxHandler handler, int budget);

    /**
     * Whether the frames one {@link #receive} call hands over stay readable until the burst ends:
     * the device releases them together, after calling {@link RxHandler#endOfBurst()}. The stack
     * then merges a burst's in-order TCP segments of one flow (GRO) without copying them.
     * False by default: each frame is released after its own call.
     */
    default boolean holdsFramesForBurst() {
        return false;
    }

    /** Whether {@link #receive} would hand over at least one frame now. */
    boolean rxPending();

    /** The capacity of every transmit buffer: at least {@code mtu() + 14}. */
    int txCapacity();

    /** The offset in {@link #memory()} of a free transmit buffer, or -1 when none is free now. */
    long txAcquire();

    /** Queues the frame of {@code length} bytes written at {@code offset} (from {@link #txAcquire}). */
    void txSubmit(long offset, int length);

    /** Gives back an acquired buffer that will not be sent. */
    void txRelease(long offset);

    /**
     * TCP segmentation offload (TSO): the largest IPv4 packet a buffer of
     * {@link #txAcquireSegmented()} carries, which the device cuts into packets of at most the MTU
     * itself (each with the headers copied, sequence number, IPv4 length and id adjusted, and
     * every checksum computed). 0, the default: the device cannot, and the stack sends MTU-sized
     * segments. A capability of the device (a NIC's, or net_tap's software GSO), never guessed
     * from its name.
     */
    default int tsoMaxBytes() {
        return 0;
    }

    /**
     * A transmit buffer of {@link #tsoMaxBytes()} + 14 bytes for one TCP/IPv4 frame to be
     * segmented, or -1 when none is free now (the stack then sends ordinary segments). Given back
     * with {@link #txRelease} or submitted with {@link #txSubmitSegmented}.
     */
    default long txAcquireSegmented() {
        return -1;
    }

    /**
     * Queues a TCP/IPv4 frame from {@link #txAcquireSegmented()} that the device sends as segments
     * of {@code segmentSize} payload bytes each (the last may be shorter); the stack leaves the
     * IPv4 and TCP checksums to the device. A device may cut segments smaller where its own
     * limits ask for it.
     */
    default void txSubmitSegmented(long offset, int length, int segmentSize) {
        throw new UnsupportedOperationException(name() + " does no TCP segmentation offload");
    }

    /** Sends every queued frame. */
    void txFlush();

    /**
     * Sends what {@link #txSubmit} queued without sending, called by a thread that has just released
     * the stack lock (after every outermost release). A device whose transmit is a system call
     * (the tap) queues at submit and writes here, so that no thread holds the stack lock across the
     * call: holding it there made the other threads spin or yield for it (docs/benchmarks.md). Any
     * thread, any time; the default sends nothing, having nothing queued.
     */
    default void txFlushAfterRelease() {}

    /**
     * Called (from any thread, quickly) when frames arrive while the owner may be idle; replaces
     * any earlier notifier, null for none. A loopback device calls it from its own txFlush.
     */
    void setRxNotifier(Runnable notifier);

    /**
     * Sets who hears about the device's health (it went away, its link changed); null for nobody.
     * Devices that can neither fail nor lose their link ignore it.
     */
    default void setListener(DeviceListener listener) {}

    /**
     * Checks whether the device still works and tells the listener what changed since the last
     * check. Slow (a system call for a DPDK port), so the owner calls it at a slow pace, e.g. every
     * 100 ms from its poll loop, never per frame; allocates nothing while nothing changes. Devices
     * with nothing to check do nothing.
     */
    default void probe() {}

    /**
     * Whether every frame transmitted comes back as a received frame and reaches nobody else (a
     * loopback device). Multicast sent on such a device reaches only this host, so the stack
     * delivers it locally by IP_MULTICAST_LOOP alone and sends no IGMP there.
     */
    default boolean reflectsTransmit() {
        return false;
    }

    /**
     * The multicast MACs the stack wants to receive (the IPv4 groups it joined, 01:00:5e plus the
     * group's low 23 bits; 224.0.0.1's always among them); replaces the earlier list. A NIC filters
     * with them (or receives all multicast where it cannot filter); in-memory devices deliver every
     * frame, the stack filters, and they need no list.
     */
    default void multicastFilter(long[] groupMacs) {}

    /**
     * How many receive/transmit queue pairs it has that threads may use side by side through
     * {@link #queue}: 1 (the device is one thread's at a time) unless it says more, as a DPDK port of
     * several queues does.
     */
    default int queues() {
        return 1;
    }

    /**
     * Queue pair {@code q} (0 .. {@link #queues()} - 1) as a device of its own, which one thread may
     * use while others use the other queues: it receives from its own rx queue only and sends on its
     * own tx queue. Its health, filter and notifier are this device's.
     */
    default Device queue(int q) {
        throw new UnsupportedOperationException(name() + " has one queue");
    }

    /** Device counters (names of its choosing, e.g. rx_frames, tx_frames, tx_full), never null. */
    java.util.Map<String, Long> counters();

    /** Releases the device's memory; frames queued are dropped. Idempotent. */
    @Override
    void close();
}
