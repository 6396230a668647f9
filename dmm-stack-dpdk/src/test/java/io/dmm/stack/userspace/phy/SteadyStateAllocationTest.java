package io.dmm.stack.userspace.phy;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.stack.userspace.time.ManualClock;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frame paths allocate nothing per frame: after a warm-up, a long run allocates less than one
 * byte per frame (a few bytes of JIT or runtime noise are tolerated, one object per frame is not).
 */
class SteadyStateAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @TempDir
    Path dir;

    /** Counts frames; one instance for the whole run, so the handler itself allocates nothing. */
    private static final class Sink implements RxHandler {
        long frames;

        @Override
        public void frame(java.lang.foreign.MemorySegment memory, long offset, int length, boolean checksumsVerified) {
            frames++;
        }
    }

    private static long bytesPerFrame(Device tx, Device rx, int frames) {
        return bytesPerFrame(tx, rx, frames, new ManualClock());
    }

    /** As above, moving {@code clock} 1 us per frame (so delayed frames fall due). */
    private static long bytesPerFrame(Device tx, Device rx, int frames, ManualClock clock) {
        Sink sink = new Sink();
        for (int i = 0; i < 50_000; i++) {  // warm-up: let the JIT settle
            pump(tx, rx, sink);
            clock.advanceNanos(1_000);
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < frames; i++) {
            pump(tx, rx, sink);
            clock.advanceNanos(1_000);
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertTrue(sink.frames > frames / 2, "frames went through: " + sink.frames);
        return allocated / frames;
    }

    private static void pump(Device tx, Device rx, Sink sink) {
        long o = tx.txAcquire();
        if (o >= 0) {
            tx.memory().set(Frames.LONG_BE, o + 14, sink.frames);
            tx.txSubmit(o, 64);
        }
        tx.txFlush();
        rx.receive(sink, 16);
    }

    @Test
    void loopbackPairFaultInjectorAndPcapAllocateNothingPerFrame() throws Exception {
        try (LoopbackDevice lo = new LoopbackDevice(1500, 64)) {
            assertEquals(0, bytesPerFrame(lo, lo, 200_000), "loopback");
        }
        try (DevicePair pair = DevicePair.create(1500, 64)) {
            assertEquals(0, bytesPerFrame(pair.a(), pair.b(), 200_000), "device pair");
        }
        ManualClock clock = new ManualClock();
        FaultPlan plan = FaultPlan.builder().seed(3).loss(0.01).duplication(0.01).reorder(0.01, 2)
                .corruption(0.01).delay(2_000, 3_000).rateLimit(1_000_000_000L, 0).applyToReceive(true).build();
        try (FaultInjector f = new FaultInjector(new LoopbackDevice(1500, 64), plan, clock)) {
            assertEquals(0, bytesPerFrame(f, f, 200_000, clock), "fault injector");
            assertTrue(f.counters().get("delayed") > 0 && f.counters().get("reordered") > 0, f.counters().toString());
        }
        try (PcapWriter p = new PcapWriter(new LoopbackDevice(1500, 64), Files.createTempFile(dir, "a", ".pcap"), clock)) {
            assertEquals(0, bytesPerFrame(p, p, 200_000), "pcap writer");
        }
    }
}
