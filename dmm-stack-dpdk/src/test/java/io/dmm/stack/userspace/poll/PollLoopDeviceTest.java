package io.dmm.stack.userspace.poll;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.api.testing.BlockedThreads;
import io.dmm.stack.userspace.phy.Device;
import io.dmm.stack.userspace.phy.DevicePair;
import io.dmm.stack.userspace.phy.RxHandler;
import io.dmm.stack.userspace.time.Clock;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The rx notifier of a device wakes a parked poll loop: frames are handled promptly without spinning. */
class PollLoopDeviceTest {
    @Test
    void framesFromThePeerWakeAParkedLoop() throws Exception {
        int frames = 200;
        try (DevicePair pair = DevicePair.create(1500, 64)) {
            Device b = pair.b();
            CountDownLatch all = new CountDownLatch(frames);
            long[] lastSeq = {-1};
            RxHandler handler = (m, o, l, v) -> {
                long seq = m.get(ValueLayout.JAVA_LONG_UNALIGNED, o + 14);
                assertEquals(lastSeq[0] + 1, seq);
                lastSeq[0] = seq;
                all.countDown();
            };
            DutyCycle cycle = new DutyCycle() {
                @Override
                public int doWork(long nowNanos) {
                    return b.receive(handler, 32);
                }

                @Override
                public long nextDeadline() {
                    return Long.MAX_VALUE;
                }
            };
            // Parks up to 10 s when idle: only the notifier can make this test finish quickly.
            try (PollLoop loop = new PollLoop("pair-b", cycle, new ParkIdle(10_000_000_000L), Clock.SYSTEM)) {
                b.setRxNotifier(loop::wakeup);
                loop.start();
                Device a = pair.a();
                for (int i = 0; i < frames; i++) {
                    if (i % 50 == 0) BlockedThreads.awaitBlockedIn(loop.thread(), "idle");  // the next frame wakes a parked loop
                    long o;
                    long drainedBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    while ((o = a.txAcquire()) < 0) {
                        // a full ring drains only if the notifier woke the loop: the 10 s park would come too late
                        assertTrue(System.nanoTime() - drainedBy < 0, "the loop did not drain a full ring within 5 s");
                        Thread.onSpinWait();
                    }
                    MemorySegment m = a.memory();
                    m.set(ValueLayout.JAVA_LONG_UNALIGNED, o + 14, i);
                    a.txSubmit(o, 60);
                    a.txFlush();
                }
                assertTrue(all.await(5, TimeUnit.SECONDS), "all frames handled, woken by the notifier (the park is 10 s); left: "
                        + all.getCount());
                assertEquals(0, loop.errors());
            }
        }
    }
}
