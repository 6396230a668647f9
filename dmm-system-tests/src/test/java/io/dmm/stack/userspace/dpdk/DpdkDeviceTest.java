package io.dmm.stack.userspace.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.config.DeviceSpec;
import io.dmm.stack.userspace.config.DpdkSpec;
import io.dmm.stack.userspace.phy.Device;
import io.dmm.stack.userspace.phy.RxHandler;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The DPDK device's fast path over a net_ring link (two ports of this JVM wired crosswise): frames
 * arrive intact, mbufs all go back to their pool, the peer is woken, nothing is allocated on the
 * Java heap per frame, and links come and go.
 */
@Timeout(60)
class DpdkDeviceTest {
    private static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final AtomicInteger LINKS = new AtomicInteger();
    private static final int MBUFS = 4095;

    private static DeviceSpec ringEnd(String link, List<String> eal) {
        return new DeviceSpec(DeviceSpec.DPDK, 1500, 0, 0, link, null, null,
                new DpdkSpec(null, link, 1, 512, 512, MBUFS, true, eal));
    }

    private static String link() {
        return "dt" + LINKS.incrementAndGet();
    }

    /** Records what arrives; one instance per test, so the handler allocates nothing itself. */
    private static final class Sink implements RxHandler {
        long frames;
        long sum;
        int lastLength;

        @Override
        public void frame(MemorySegment memory, long offset, int length, boolean checksumsVerified) {
            frames++;
            lastLength = length;
            sum += memory.get(LONG_BE, offset + 14);
        }
    }

    private static void send(Device d, long value, int length) {
        long o = d.txAcquire();
        assertTrue(o >= 0, "an mbuf");
        MemorySegment m = d.memory();
        m.asSlice(o, length).fill((byte) 0);
        m.set(LONG_BE, o + 14, value);
        d.txSubmit(o, length);
    }

    @Test
    void framesCrossIntactAndEveryMbufGoesBack() {
        String link = link();
        try (DpdkDevice a = (DpdkDevice) DpdkDevices.open("dt-a", ringEnd(link, null));
             DpdkDevice b = (DpdkDevice) DpdkDevices.open("dt-b", ringEnd(link, null))) {
            assertTrue(a.macAddress() != b.macAddress() && (a.macAddress() & 0x02_00_00_00_00_00L) != 0);
            AtomicInteger wakeups = new AtomicInteger();
            b.setRxNotifier(wakeups::incrementAndGet);
            Sink sink = new Sink();
            long expected = 0;
            for (int round = 0; round < 200; round++) {
                for (int i = 0; i < 50; i++) {  // more than a burst: txSubmit flushes by itself at 32
                    long v = round * 1000L + i;
                    send(a, v, 60 + i);
                    expected += v;
                }
                a.txFlush();
                while (b.receive(sink, 64) > 0) {
                    // drain
                }
            }
            assertEquals(10_000, sink.frames);
            assertEquals(expected, sink.sum);
            assertEquals(60 + 49, sink.lastLength);
            assertTrue(wakeups.get() > 0, "the peer's poll loop is woken after a send");
            // released buffers go back to the cache, not lost
            long o = a.txAcquire();
            a.txRelease(o);
            assertEquals(MBUFS, a.counters().get("mbufs_free") + a.mbufsHeld(), a.counters().toString());
            assertEquals(10_000L, a.counters().get("tx_frames"));
            assertEquals(10_000L, b.counters().get("rx_frames"));
            assertEquals(10_000L, a.counters().get("port_tx_packets"));
            assertEquals(0L, a.counters().get("tx_ring_full"));
        }
    }

    @Test
    void theFastPathAllocatesNothingPerFrame() {
        String link = link();
        try (Device a = DpdkDevices.open("da-a", ringEnd(link, null));
             Device b = DpdkDevices.open("da-b", ringEnd(link, null))) {
            Sink sink = new Sink();
            for (int i = 0; i < 50_000; i++) pump(a, b, sink, i);  // warm-up: let the JIT settle
            long before = THREADS.getCurrentThreadAllocatedBytes();
            int frames = 200_000;
            for (int i = 0; i < frames; i++) pump(a, b, sink, i);
            long perFrame = (THREADS.getCurrentThreadAllocatedBytes() - before) / frames;
            assertEquals(0, perFrame, "bytes allocated per frame");
            assertTrue(sink.frames >= 250_000 - 64, "frames went through: " + sink.frames);
        }
    }

    private static void pump(Device tx, Device rx, Sink sink, long value) {
        long o = tx.txAcquire();
        if (o >= 0) {
            tx.memory().set(LONG_BE, o + 14, value);
            tx.txSubmit(o, 64);
        }
        tx.txFlush();
        rx.receive(sink, 16);
    }

    @Test
    void aLinkNameCanBeUsedAgainAndAThirdEndIsRefused() {
        String link = link();
        for (int i = 0; i < 3; i++) {
            try (Device a = DpdkDevices.open("dr-a", ringEnd(link, null));
                 Device b = DpdkDevices.open("dr-b", ringEnd(link, null))) {
                DpdkUnavailableException e = assertThrows(DpdkUnavailableException.class,
                        () -> DpdkDevices.open("dr-c", ringEnd(link, null)));
                assertTrue(e.getMessage().contains("already connects dr-a and dr-b"), e.getMessage());
                send(a, 42, 64);
                a.txFlush();
                Sink sink = new Sink();
                b.receive(sink, 4);
                assertEquals(42, sink.sum);
            }
        }
    }

    @Test
    void aSecondEalConfigurationIsRefusedWithTheOneInUse() {
        String link = link();
        try (Device a = DpdkDevices.open("de-a", ringEnd(link, null))) {  // the EAL runs (defaults unless started before)
            DpdkUnavailableException e = assertThrows(DpdkUnavailableException.class,
                    () -> DpdkDevices.open("de-b", ringEnd(link(), List.of("--no-huge", "-m", "64"))));
            assertTrue(e.getMessage().contains("already runs with") && e.getMessage().contains("same \"eal\""), e.getMessage());
            assertTrue(Eal.started());
            assertTrue(Eal.runtimeDirectory() != null && java.nio.file.Files.isDirectory(Eal.runtimeDirectory()));
        }
    }

    @Test
    void aPortThatDoesNotExistSaysSo() {
        DeviceSpec spec = new DeviceSpec(DeviceSpec.DPDK, 1500, 0, 0, null, null, null,
                new DpdkSpec("net_nosuchdriver0", null, 1, 512, 512, MBUFS, true, null));
        DpdkUnavailableException e = assertThrows(DpdkUnavailableException.class, () -> DpdkDevices.open("dx", spec));
        assertTrue(e.getMessage().contains("\"net_nosuchdriver0\" could not be attached"), e.getMessage());
    }
}
