package io.dmm.stack.userspace.phy;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * One device shared by the shards of an instance: each shard drives it through its own
 * {@link #view view}. Transmit calls take the device's monitor (a device is not thread-safe), each
 * on its own, so a shard writes its frame into an acquired buffer without holding it. Receive:
 * shard 0 polls the device and hands each frame to the shard that owns it — processing its own in
 * place, copying the others' into their {@link FrameInbox}es and waking them — and a view of another
 * shard receives from its inbox.
 *
 * <p>Nobody takes a shard's lock while holding the device's monitor, and the owner of a view holds
 * its shard's lock while it calls the view, so the lock order is always shard, then device.
 */
public final class SharedDevice {
    /** Which shard owns a frame: an index, or a negative value for every shard. */
    @FunctionalInterface
    public interface Owner {
        int of(MemorySegment memory, long offset, int length);
    }

    private final Device device;
    private final Owner owner;
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
        this.inboxes = new FrameInbox[shards];
        this.views = new View[shards];
        for (int i = 0; i < shards; i++) {
            if (i > 0) inboxes[i] = new FrameInbox(inboxSlots, device.txCapacity());
            views[i] = new View(i);
        }
    }

    /** Shard {@code shard}'s face of the device. */
    public Device view(int shard) {
        return views[shard];
    }

    /** Frames other shards received for shard {@code shard} and its inbox had no room for. */
    public long inboxDrops(int shard) {
        return shard == 0 ? 0 : inboxes[shard].dropped();
    }

    /** Frames handed to shard {@code shard} by shard 0. */
    public long handedOver(int shard) {
        return shard == 0 ? 0 : inboxes[shard].copied();
    }

    /** Shard 0's receive: frames it owns go to its handler; the rest to their owners' inboxes. */
    private final class Steer implements RxHandler {
        RxHandler local;

        @Override
        public void frame(MemorySegment memory, long offset, int length, boolean checksumsVerified) {
            int to = owner.of(memory, offset, length);
            if (to == 0) {
                local.frame(memory, offset, length, checksumsVerified);
                return;
            }
            for (int i = 1; i < inboxes.length; i++) {
                if ((to == i || to < 0) && inboxes[i].offer(memory, offset, length, checksumsVerified)) wake.accept(i);
            }
            if (to < 0) local.frame(memory, offset, length, checksumsVerified);
        }
    }

    private final class View implements Device {
        private final int shard;
        private final Steer steer;

        View(int shard) {
            this.shard = shard;
            this.steer = shard == 0 ? new Steer() : null;
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
            if (shard != 0) return inboxes[shard].drain(handler, budget);
            synchronized (device) {
                steer.local = handler;
                return device.receive(steer, budget);
            }
        }

        @Override
        public boolean rxPending() {
            if (shard != 0) return !inboxes[shard].isEmpty();
            synchronized (device) {
                return device.rxPending();
            }
        }

        @Override
        public long txAcquire() {
            synchronized (device) {
                return device.txAcquire();
            }
        }

        @Override
        public void txSubmit(long offset, int length) {
            synchronized (device) {
                device.txSubmit(offset, length);
            }
        }

        @Override
        public void txRelease(long offset) {
            synchronized (device) {
                device.txRelease(offset);
            }
        }

        @Override
        public void txFlush() {
            synchronized (device) {
                device.txFlush();
            }
        }

        /** Shard 0's alone: it is the one that polls the device. */
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
