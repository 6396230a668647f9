package io.dmm.stack.userspace.poll;

import static org.junit.jupiter.api.Assertions.*;

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
                long start = System.nanoTime();
                for (int i = 0; i < frames; i++) {
                    long o;
                    while ((o = a.txAcquire()) < 0) Thread.onSpinWait();
                    MemorySegment m = a.memory();
                    m.set(ValueLayout.JAVA_LONG_UNALIGNED, o + 14, i);
                    a.txSubmit(o, 60);
                    a.txFlush();
                    if (i % 50 == 0) Thread.sleep(5);  // let the loop go idle and park in between
                }
                assertTrue(all.await(5, TimeUnit.SECONDS), "all frames handled; left: " + all.getCount());
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertTrue(ms < 3_000, "woken by the notifier, not the 10 s park: " + ms + " ms");
                assertEquals(0, loop.errors());
            }
        }
    }
}
