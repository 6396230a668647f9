package io.dmm.stack.userspace.phy;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoopbackDeviceTest {
    @Test
    void framesComeBackInOrderAfterFlushVouchedAndNotifierCalled() {
        try (LoopbackDevice d = new LoopbackDevice(1500, 16)) {
            AtomicInteger notified = new AtomicInteger();
            d.setRxNotifier(notified::incrementAndGet);
            for (int i = 0; i < 10; i++) assertTrue(Frames.send(d, i, 60 + i));
            assertFalse(d.rxPending(), "submitted frames are invisible until flushed");
            assertEquals(0, d.receive((m, o, l, v) -> fail("nothing flushed yet"), 100));
            d.txFlush();
            assertEquals(1, notified.get());
            assertTrue(d.rxPending());
            List<Long> seqs = new ArrayList<>();
            assertEquals(4, d.receive((m, o, l, v) -> {
                assertTrue(v, "loopback vouches for checksums");
                long s = Frames.seq(m, o);
                assertEquals(60 + s, l);
                assertArrayEquals(Frames.expected(s, l), Frames.bytes(m, o, l));
                seqs.add(s);
            }, 4));
            assertEquals(6, d.receive((m, o, l, v) -> seqs.add(Frames.seq(m, o)), 100));
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), seqs);
            assertFalse(d.rxPending());
            assertTrue(d.txChecksumOffload());
            assertEquals(1514, d.txCapacity());
            assertEquals(10L, d.counters().get("rx_frames"));
            assertEquals(10L, d.counters().get("tx_frames"));
        }
    }

    @Test
    void defaultsAreLikeLinuxLoWithALocallyAdministeredMac() {
        try (LoopbackDevice d = new LoopbackDevice()) {
            assertEquals(65535, d.mtu());
            assertEquals(0x02L, d.macAddress() >>> 40, "locally administered unicast MAC 02:...");
            assertEquals(65535 + 14, d.txCapacity());
        }
    }

    @Test
    void fullRingReturnsMinusOneUntilFramesAreReceived() {
        try (LoopbackDevice d = new LoopbackDevice(1500, 4)) {
            for (int i = 0; i < 4; i++) assertTrue(Frames.send(d, i, 100));
            assertEquals(-1, d.txAcquire());
            d.txFlush();
            assertEquals(-1, d.txAcquire(), "received but not yet taken frames still hold their slots");
            assertEquals(2L, d.counters().get("tx_full"));
            assertEquals(1, d.receive((m, o, l, v) -> {}, 1));
            long o = d.txAcquire();
            assertTrue(o >= 0);
            d.txRelease(o);
            assertTrue(d.txAcquire() >= 0, "a released buffer is free again");
        }
    }

    @Test
    void handlerMayTransmitInReplyWhileReceiving() {
        try (LoopbackDevice d = new LoopbackDevice(1500, 8)) {
            Frames.send(d, 0, 64);
            d.txFlush();
            List<Long> seen = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                d.receive((m, o, l, v) -> {
                    long s = Frames.seq(m, o);
                    seen.add(s);
                    Frames.send(d, s + 1, 64);  // a reply while the frame is being handled
                    d.txFlush();
                }, 1);
            }
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L), seen);
        }
    }

    @Test
    void misuseIsRejectedClearly() {
        try (LoopbackDevice d = new LoopbackDevice(1500, 4)) {
            long o = d.txAcquire();
            assertThrows(IllegalArgumentException.class, () -> d.txSubmit(o, 1515));
            assertThrows(IllegalArgumentException.class, () -> d.txSubmit(o + 1, 100));
            d.txRelease(o);
            assertThrows(IllegalStateException.class, () -> d.txSubmit(o, 100), "submitting a released buffer");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> d.txRelease(o));
            assertTrue(e.getMessage().contains("double release"), e.getMessage());
        }
        LoopbackDevice d = new LoopbackDevice(1500, 4);
        d.close();
        d.close();
        assertEquals(-1, d.txAcquire());
    }
}
