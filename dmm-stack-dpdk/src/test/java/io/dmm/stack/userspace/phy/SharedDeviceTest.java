package io.dmm.stack.userspace.phy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shards' views of one device keep its offloads: TCP segmentation goes to the shard's own
 * queue (or to the device, under its monitor), and a view that receives in bursts (its own queue,
 * or shard 0 polling for all) passes the burst's end to its handler, so GRO can hold the burst's
 * frames; frames handed over from another shard's queue come one at a time, each its own burst,
 * since the inbox frees a frame's slot right after its call.
 */
class SharedDeviceTest {
    /** The first byte of a frame names the shard that owns it. */
    static final SharedDevice.Owner FIRST_BYTE = (m, o, l) -> m.get(ValueLayout.JAVA_BYTE, o);

    @Test
    void aShardWithAQueueOfItsOwnSegmentsOnItAndSeesItsBurstsEnd() {
        FakeDevice port = new FakeDevice(2);
        List<Integer> woken = new ArrayList<>();
        SharedDevice shared = new SharedDevice(port, 2, FIRST_BYTE, 8, woken::add);
        assertTrue(shared.lanes());
        Device one = shared.view(1);
        assertEquals(60_000, one.tsoMaxBytes());
        long buf = one.txAcquireSegmented();
        one.txSubmitSegmented(buf, 5000, 1448);
        assertEquals(List.of("segmented 5000/1448"), port.queues[1].log);
        assertTrue(port.queues[0].log.isEmpty(), "not on another shard's queue");

        port.queues[0].inject(0, 0, 1);  // two frames for shard 0, one for shard 1, on queue 0
        Recorder zero = new Recorder();
        assertTrue(shared.view(0).holdsFramesForBurst());
        assertEquals(3, shared.view(0).receive(zero, 32), "frames taken from its queue, handed over or not");
        assertEquals(List.of("frame 0", "frame 0", "end"), zero.events, "its own frames, then the burst's end");
        assertEquals(List.of(1), woken, "shard 1 was told of its frame");

        port.queues[1].inject(1);
        Recorder recorder = new Recorder();
        assertEquals(2, one.receive(recorder, 32));
        assertEquals(List.of("frame 1", "end", "frame 1", "end"), recorder.events,
                "its queue's burst, then the handed-over frame as a burst of its own");
    }

    @Test
    void sharingOneQueueTheShardsSegmentThroughTheDeviceAndOnlyShardZeroHoldsBursts() {
        FakeDevice port = new FakeDevice(1);
        SharedDevice shared = new SharedDevice(port, 2, FIRST_BYTE, 8, i -> { });
        assertFalse(shared.lanes());
        Device one = shared.view(1);
        assertEquals(60_000, one.tsoMaxBytes());
        one.txSubmitSegmented(one.txAcquireSegmented(), 3000, 1000);
        assertEquals(List.of("segmented 3000/1000"), port.queues[0].log);
        assertTrue(shared.view(0).holdsFramesForBurst());
        assertFalse(one.holdsFramesForBurst(), "it only gets frames one by one from its inbox");

        port.queues[0].inject(1, 0);
        Recorder zero = new Recorder();
        assertEquals(2, shared.view(0).receive(zero, 32));
        assertEquals(List.of("frame 0", "end"), zero.events);
        Recorder recorder = new Recorder();
        assertEquals(1, one.receive(recorder, 32));
        assertEquals(List.of("frame 1"), recorder.events);
    }

    /** Records frames by owner and burst ends. */
    static final class Recorder implements RxHandler {
        final List<String> events = new ArrayList<>();

        @Override
        public void frame(MemorySegment memory, long offset, int length, boolean checksumsVerified) {
            events.add("frame " + memory.get(ValueLayout.JAVA_BYTE, offset));
        }

        @Override
        public void endOfBurst() {
            events.add("end");
        }
    }

    /** A device of N queues, each handing over injected frames in one burst and logging segmented sends. */
    static final class FakeDevice implements Device {
        final FakeQueue[] queues;
        final MemorySegment memory = Arena.ofAuto().allocate(64 * 2048);

        FakeDevice(int n) {
            queues = new FakeQueue[n];
            for (int i = 0; i < n; i++) queues[i] = new FakeQueue(this, i);
        }

        @Override public int queues() { return queues.length; }
        @Override public Device queue(int q) { return queues[q]; }
        @Override public String name() { return "fake"; }
        @Override public long macAddress() { return 2; }
        @Override public int mtu() { return 1500; }
        @Override public boolean txChecksumOffload() { return true; }
        @Override public MemorySegment memory() { return memory; }
        @Override public int receive(RxHandler handler, int budget) { return queues[0].receive(handler, budget); }
        @Override public boolean holdsFramesForBurst() { return true; }
        @Override public boolean rxPending() { return queues[0].rxPending(); }
        @Override public int txCapacity() { return 1514; }
        @Override public long txAcquire() { return 0; }
        @Override public void txSubmit(long offset, int length) { }
        @Override public void txRelease(long offset) { }
        @Override public int tsoMaxBytes() { return 60_000; }
        @Override public long txAcquireSegmented() { return queues[0].txAcquireSegmented(); }
        @Override public void txSubmitSegmented(long o, int l, int s) { queues[0].txSubmitSegmented(o, l, s); }
        @Override public void txFlush() { }
        @Override public void setRxNotifier(Runnable notifier) { }
        @Override public Map<String, Long> counters() { return Map.of(); }
        @Override public void close() { }
    }

    static final class FakeQueue implements Device {
        final FakeDevice device;
        final int index;
        final ArrayDeque<Integer> frames = new ArrayDeque<>();
        final List<String> log = new ArrayList<>();

        FakeQueue(FakeDevice device, int index) {
            this.device = device;
            this.index = index;
        }

        /** Frames whose first byte is each owner, 60 bytes each. */
        void inject(int... owners) {
            for (int o : owners) frames.add(o);
        }

        @Override
        public int receive(RxHandler handler, int budget) {
            int n = 0;
            while (n < budget && !frames.isEmpty()) {
                long at = (index * 32L + n) * 2048;
                device.memory.asSlice(at, 60).fill((byte) 0);
                device.memory.set(ValueLayout.JAVA_BYTE, at, (byte) (int) frames.poll());
                handler.frame(device.memory, at, 60, true);
                n++;
            }
            if (n > 0) handler.endOfBurst();
            return n;
        }

        @Override public String name() { return "fake." + index; }
        @Override public long macAddress() { return 2; }
        @Override public int mtu() { return 1500; }
        @Override public boolean txChecksumOffload() { return true; }
        @Override public MemorySegment memory() { return device.memory; }
        @Override public boolean holdsFramesForBurst() { return true; }
        @Override public boolean rxPending() { return !frames.isEmpty(); }
        @Override public int txCapacity() { return 1514; }
        @Override public long txAcquire() { return 0; }
        @Override public void txSubmit(long offset, int length) { }
        @Override public void txRelease(long offset) { }
        @Override public int tsoMaxBytes() { return 60_000; }
        @Override public long txAcquireSegmented() { return 0; }
        @Override public void txSubmitSegmented(long o, int l, int s) { log.add("segmented " + l + "/" + s); }
        @Override public void txFlush() { }
        @Override public void setRxNotifier(Runnable notifier) { }
        @Override public Map<String, Long> counters() { return Map.of(); }
        @Override public void close() { }
    }
}
