package io.dmm.stack.userspace.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TCP segmentation offload on DPDK's net_tap (its software GSO): an upload to Linux in a namespace
 * goes to the port as large TCP frames that the PMD cuts into MTU-sized segments, each with its
 * own headers and checksums; Linux must receive every byte intact. Without offloads the same
 * upload goes as one frame per segment, which shows that the counts below come from TSO.
 *
 * <p>On the tap driver, each large frame is one write with a virtio-net header asking the kernel
 * for TCPv4 segmentation and a partial checksum; a local socket receives it whole.
 */
class TsoInteropTest {
    static final long SIZE = 20L * 1000 * 1000;
    static final Duration TRANSFER = Duration.ofSeconds(60);
    /** The most payload a 1500-byte packet carries with timestamps: an upper bound of any segment. */
    static final long MSS = 1448;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void uploadGoesAsLargeFramesTheTapCutsAndArrivesIntact() throws Exception {
        Map<String, Long> c = upload(PortKind.TAP, Map.of(), 21);
        long frames = c.get("device_tx_frames");
        assertEquals(1L, c.get("device_tso"), "net_tap offers TSO: " + c);
        assertTrue(c.get("tcp_tso_sends") > 0, "large sends were made: " + c);
        assertTrue(c.get("device_tx_tso_frames") > 0, c::toString);
        // every MSS-sized segment as its own frame would be at least SIZE / MSS frames
        assertTrue(frames < SIZE / MSS / 4, "frames handed to the port: " + frames + ", at least "
                + SIZE / MSS + " segments: " + c);
        // the port's own count is of what it wrote to the tap: the segments
        assertTrue(c.get("device_port_tx_packets") >= SIZE / MSS, "the PMD sent the segments: " + c);
        assertEquals(0L, c.get("device_port_tx_errors"), c::toString);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void withoutOffloadsEverySegmentIsAFrame() throws Exception {
        Map<String, Long> c = upload(PortKind.TAP, Map.of("offloads", false), 22);
        assertEquals(0L, c.get("device_tso"), c::toString);
        assertEquals(0L, c.getOrDefault("tcp_tso_sends", 0L), c::toString);
        assertTrue(c.get("device_tx_frames") >= SIZE / MSS, c::toString);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void theTapDriverWritesLargeFramesWholeAndTheUploadArrivesIntact() throws Exception {
        Map<String, Long> c = upload(PortKind.TAP_DRIVER, Map.of(), 23);
        assertEquals(1L, c.get("device_tso"), "the tap driver offers TSO: " + c);
        assertTrue(c.get("tcp_tso_sends") > 0, "large sends were made: " + c);
        long tso = c.get("device_tx_tso_frames");
        // a write per frame: the data went as large frames, not as one per segment
        assertTrue(tso > 0 && c.get("device_tx_frames") < SIZE / MSS / 4, "frames written: " + c);
        assertTrue(c.get("device_tx_bytes") >= SIZE, "every byte was written, headers on top: " + c);
        // the kernel took every write: a header it refused (EINVAL) would count as an error
        assertEquals(0L, c.get("device_tx_errors"), c::toString);
        assertEquals(0L, c.get("device_tx_link_down"), c::toString);
    }

    /** Uploads SIZE seeded bytes to socat in the namespace, checks them by SHA-256, returns the stack's counters. */
    private static Map<String, Long> upload(PortKind kind, Map<String, Object> device, long seed) throws Exception {
        try (DpdkKernelLink link = DpdkKernelLink.open(kind, Map.of(), device)) {
            SocatUpload.run(link, 8011, seed, SIZE, TRANSFER);
            return link.stack.counters();
        }
    }
}
