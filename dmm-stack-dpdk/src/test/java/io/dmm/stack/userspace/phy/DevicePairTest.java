package io.dmm.stack.userspace.phy;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DevicePairTest {
    @Test
    void framesCrossInBothDirectionsAndWakeThePeer() {
        try (DevicePair pair = DevicePair.create(1500, 8)) {
            Device a = pair.a();
            Device b = pair.b();
            assertNotEquals(a.macAddress(), b.macAddress());
            assertEquals(0x02L, a.macAddress() >>> 40, "locally administered unicast");
            try (DevicePair other = DevicePair.create(1500, 2)) {
                assertNotEquals(a.macAddress(), other.a().macAddress(), "pairs differ too");
            }
            assertSame(a.memory(), b.memory());
            AtomicInteger bWoken = new AtomicInteger();
            AtomicInteger aWoken = new AtomicInteger();
            b.setRxNotifier(bWoken::incrementAndGet);
            a.setRxNotifier(aWoken::incrementAndGet);

            Frames.send(a, 7, 100);
            assertFalse(b.rxPending());
            a.txFlush();
            assertEquals(1, bWoken.get());
            assertEquals(0, aWoken.get());
            assertFalse(a.rxPending(), "a does not hear itself");
            List<Long> atB = new ArrayList<>();
            assertEquals(1, b.receive((m, o, l, v) -> {
                assertTrue(v);
                assertArrayEquals(Frames.expected(7, 100), Frames.bytes(m, o, l));
                atB.add(Frames.seq(m, o));
            }, 10));
            assertEquals(List.of(7L), atB);

            Frames.send(b, 8, 90);
            b.txFlush();
            assertEquals(1, aWoken.get());
            assertEquals(1, a.receive((m, o, l, v) -> assertEquals(8, Frames.seq(m, o)), 10));
        }
    }

    @Test
    void slotsComeBackToTheSenderOnceTheReceiverIsDone() {
        try (DevicePair pair = DevicePair.create(1500, 2)) {
            assertTrue(Frames.send(pair.a(), 1, 60));
            assertTrue(Frames.send(pair.a(), 2, 60));
            assertEquals(-1, pair.a().txAcquire());
            pair.a().txFlush();
            assertEquals(-1, pair.a().txAcquire(), "in flight until b has received them");
            assertEquals(1, pair.b().receive((m, o, l, v) -> {}, 1));
            assertTrue(pair.a().txAcquire() >= 0);
            assertEquals(2L, pair.a().counters().get("tx_full"));
        }
    }

    @Test
    void withoutChecksumOffloadNothingIsVouched() {
        try (DevicePair pair = DevicePair.create(1500, 4, false)) {
            assertFalse(pair.a().txChecksumOffload());
            Frames.send(pair.a(), 1, 60);
            pair.a().txFlush();
            pair.b().receive((m, o, l, v) -> assertFalse(v), 1);
        }
    }

    @Test
    void twoThreadsStreamAMillionFramesEachWayWithoutLossOrReorder() throws Exception {
        final int n = 1_000_000;
        try (DevicePair pair = DevicePair.create(256, 256)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread ta = new Thread(() -> pump(pair.a(), n, failure), "end-a");
            Thread tb = new Thread(() -> pump(pair.b(), n, failure), "end-b");
            ta.start();
            tb.start();
            ta.join(30_000);
            tb.join(30_000);
            assertFalse(ta.isAlive() || tb.isAlive(), "pumps did not finish in 30 s");
            if (failure.get() != null) throw new AssertionError(failure.get());
            assertEquals((long) n, pair.a().counters().get("rx_frames"));
            assertEquals((long) n, pair.b().counters().get("rx_frames"));
        }
    }

    /** Drives one end as a stack thread would: send a burst, flush, receive what came, until both counts reach n. */
    private static void pump(Device d, int n, AtomicReference<Throwable> failure) {
        long[] expected = {0};
        RxHandler check = (m, o, l, v) -> {
            long s = Frames.seq(m, o);
            if (s != expected[0] || l != 22 + (int) (s & 63)) {
                throw new AssertionError(d.name() + " expected frame " + expected[0] + " but got " + s + " length " + l);
            }
            expected[0]++;
        };
        try {
            long sent = 0;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while ((sent < n || expected[0] < n) && failure.get() == null) {
                int burst = 0;
                while (sent < n && burst < 32) {
                    long o = d.txAcquire();
                    if (o < 0) break;
                    // Only the sequence number: the filler bytes of Frames.write would dominate the run time.
                    d.memory().set(Frames.LONG_BE, o + 14, sent);
                    d.txSubmit(o, 22 + (int) (sent & 63));
                    sent++;
                    burst++;
                }
                d.txFlush();
                if (d.receive(check, 64) == 0 && burst == 0) {
                    Thread.yield();  // the machine may have fewer free cores than spinning threads
                    if (System.nanoTime() > deadline) throw new AssertionError(d.name() + " stalled at sent=" + sent + " received=" + expected[0]);
                }
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }
}
