package io.dmm.stack.userspace.phy;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * One device shared by the shards of an instance: each shard drives it through its own
 * {@link #view view}, and every received frame reaches the shard that owns it — a shard that
 * receives a frame it does not own copies it into the owner's {@link FrameInbox} and wakes it.
 *
 * <p>Two ways to share, by what the device offers:
 * <ul>
 * <li><b>a queue pair per shard</b>, when the device has as many {@linkplain Device#queues() queues}
 *     as there are shards (a DPDK port with RSS, by default): each shard
 *     polls its own rx queue and sends on its own tx queue, with no lock in common; frames the NIC's
 *     hash put on a queue whose shard does not own them are handed over;
 * <li><b>one device, its monitor per call</b>, otherwise (in-memory devices, a port of fewer
 *     or more queues than shards, or one wrapped by a fault injector or pcap writer): transmit calls take the device's
 *     monitor each on its own, so a shard writes its frame into an acquired buffer without holding
 *     it; shard 0 polls the device and hands the other shards their frames.
 * </ul>
 * The port's health, filter and counters are shard 0's to ask. Nobody takes a shard's lock while
 * holding the device's monitor, and a view's owner holds its shard's lock while it calls it, so
 * the lock order is always shard, then device.
 */
public final class SharedDevice {
    /** Which shard owns a frame: an index, or a negative value for every shard. */
    @FunctionalInterface
    public interface Owner {
        int of(MemorySegment memory, long offset, int length);
    }

    private final Device device;
    private final Owner owner;
    /** Whether each shard has a queue pair of its own. */
    private final boolean lanes;
    /** Frames handed to each shard by the others; null for shard 0 when only it receives. */
    private final FrameInbox[] inboxes;
    private final IntConsumer wake;
    private final View[] views;

    /**
     * {@code wake} wakes a shard's poll loop (its index): frames wait in its inbox.
     * {@code inboxSlots} frames of the device's largest size wait per shard at most.
     */
    public SharedDevice(Device device, int shards, Owner owner, int inboxSlots, IntConsumer wake) {
        this.device = device;
        this.owner = owner;
        this.wake = wake;
        // a queue each, and every queue someone's: with more queues than shards, shard 0 polls them all
        this.lanes = device.queues() == shards;
        this.inboxes = new FrameInbox[shards];
        this.views = new View[shards];
        for (int i = 0; i < shards; i++) {
            if (lanes || i > 0) inboxes[i] = new FrameInbox(inboxSlots, device.txCapacity());
            views[i] = new View(i);
        }
    }

    /** Shard {@code shard}'s face of the device. */
    public Device view(int shard) {
        return views[shard];
    }

    /** Whether each shard polls a queue of its own (else shard 0 polls for all). */
    public boolean lanes() {
        return lanes;
    }

    /** Frames other shards received for shard {@code shard} and its inbox had no room for. */
    public long inboxDrops(int shard) {
        return inboxes[shard] == null ? 0 : inboxes[shard].dropped();
    }

    /** Frames other shards received for shard {@code shard} and handed to it. */
    public long handedOver(int shard) {
        return inboxes[shard] == null ? 0 : inboxes[shard].copied();
    }

    /** A receiving shard's sorting: its own frames to its handler, the others' to their inboxes. */
    private final class Steer implements RxHandler {
        private final int self;
        RxHandler local;

        Steer(int self) {
            this.self = self;
        }

        @Override
        public void frame(MemorySegment memory, long offset, int length, boolean checksumsVerified) {
            int to = owner.of(memory, offset, length);
            if (to == self) {
                local.frame(memory, offset, length, checksumsVerified);
                return;
            }
            for (int i = 0; i < inboxes.length; i++) {
                if (i != self && (to == i || to < 0) && inboxes[i].offer(memory, offset, length, checksumsVerified)) {
                    wake.accept(i);
                }
            }
            if (to < 0) local.frame(memory, offset, length, checksumsVerified);
        }

        /** The burst's end reaches the local handler: GRO's held segments go up before the frames are freed. */
        @Override
        public void endOfBurst() {
            local.endOfBurst();
        }
    }

    /**
     * Hands a holding view's handler the frames of its inbox one by one, each followed by the end
     * of a burst: the inbox frees a frame's slot after its call, so nothing may be held past it.
     */
    private static final class EachFrameABurst implements RxHandler {
        RxHandler handler;

        @Override
        public void frame(MemorySegment memory, long offset, int length, boolean checksumsVerified) {
            handler.frame(memory, offset, length, checksumsVerified);
            handler.endOfBurst();
        }
    }

    private final class View implements Device {
        private final int shard;
        /** Its own queue pair, or null when the shards share the device by its monitor. */
        private final Device lane;
        /** Null for a shard that only drains its inbox. */
        private final Steer steer;
        /** Whether the frames of a burst stay readable until it ends (GRO): its queue's, or shard 0's device's. */
        private final boolean holds;
        private final EachFrameABurst inboxFrames = new EachFrameABurst();

        View(int shard) {
            this.shard = shard;
            this.lane = lanes ? device.queue(shard) : null;
            this.steer = lanes || shard == 0 ? new Steer(shard) : null;
            // a shard that only drains its inbox gets every frame on its own: nothing to merge
            this.holds = lane != null ? lane.holdsFramesForBurst() : shard == 0 && device.holdsFramesForBurst();
        }

        @Override public boolean holdsFramesForBurst() { return holds; }

        /** The device's (or its queue's) TCP segmentation, which a shard uses as a whole device would. */
        @Override
        public int tsoMaxBytes() {
            return lane != null ? lane.tsoMaxBytes() : device.tsoMaxBytes();
        }

        @Override
        public long txAcquireSegmented() {
            if (lane != null) return lane.txAcquireSegmented();
            synchronized (device) {
                return device.txAcquireSegmented();
            }
        }

        @Override
        public void txSubmitSegmented(long offset, int length, int segmentSize) {
            if (lane != null) {
                lane.txSubmitSegmented(offset, length, segmentSize);
                return;
            }
            synchronized (device) {
                device.txSubmitSegmented(offset, length, segmentSize);
            }
        }

        /** Its inbox's frames, each as a burst of its own when this view's handler may hold frames. */
        private int drainInbox(RxHandler handler, int budget) {
            if (!holds) return inboxes[shard].drain(handler, budget);
            inboxFrames.handler = handler;
            return inboxes[shard].drain(inboxFrames, budget);
        }

        @Override public String name() { return device.name(); }
        @Override public long macAddress() { return device.macAddress(); }
        @Override public int mtu() { return device.mtu(); }
        @Override public boolean txChecksumOffload() { return device.txChecksumOffload(); }
        @Override public MemorySegment memory() { return device.memory(); }
        @Override public int txCapacity() { return device.txCapacity(); }
        @Override public boolean reflectsTransmit() { return device.reflectsTransmit(); }

        @Override
        public int receive(RxHandler handler, int budget) {
            if (lane != null) {
                steer.local = handler;
                int n = lane.receive(steer, budget);
                return n < budget ? n + drainInbox(handler, budget - n) : n;
            }
            if (shard != 0) return drainInbox(handler, budget);
            synchronized (device) {
                steer.local = handler;
                return device.receive(steer, budget);
            }
        }

        @Override
        public boolean rxPending() {
            if (lane != null) return lane.rxPending() || !inboxes[shard].isEmpty();
            if (shard != 0) return !inboxes[shard].isEmpty();
            synchronized (device) {
                return device.rxPending();
            }
        }

        @Override
        public long txAcquire() {
            if (lane != null) return lane.txAcquire();
            synchronized (device) {
                return device.txAcquire();
            }
        }

        @Override
        public void txSubmit(long offset, int length) {
            if (lane != null) {
                lane.txSubmit(offset, length);
                return;
            }
            synchronized (device) {
                device.txSubmit(offset, length);
            }
        }

        @Override
        public void txRelease(long offset) {
            if (lane != null) {
                lane.txRelease(offset);
                return;
            }
            synchronized (device) {
                device.txRelease(offset);
            }
        }

        @Override
        public void txFlush() {
            if (lane != null) {
                lane.txFlush();
                return;
            }
            synchronized (device) {
                device.txFlush();
            }
        }

        /** Not under the device's monitor: a device that queues guards its own writing. */
        @Override
        public void txFlushAfterRelease() {
            if (lane != null) lane.txFlushAfterRelease();
            else device.txFlushAfterRelease();
        }

        /** Shard 0's alone: it is the one that hears of frames the device received. */
        @Override
        public void setRxNotifier(Runnable notifier) {
            if (shard == 0) device.setRxNotifier(notifier);
        }

        @Override
        public void setListener(DeviceListener listener) {
            if (shard == 0) device.setListener(listener);
        }

        @Override
        public void probe() {
            if (shard != 0) return;
            if (lanes) {
                device.probe();  // the port's state only, not a queue's
                return;
            }
            synchronized (device) {
                device.probe();
            }
        }

        /** Multicast lives on shard 0: its groups are the device's filter. */
        @Override
        public void multicastFilter(long[] groupMacs) {
            if (shard != 0) return;
            synchronized (device) {
                device.multicastFilter(groupMacs);
            }
        }

        @Override
        public Map<String, Long> counters() {
            synchronized (device) {
                return device.counters();
            }
        }

        /** The instance closes the device itself, once, after every shard stopped. */
        @Override
        public void close() {}
    }
}
