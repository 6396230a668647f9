package io.dmm.stack.userspace.phy;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.stack.userspace.time.ManualClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapWriterTest {
    @TempDir
    Path dir;

    @Test
    void writesAClassicNanosecondPcapThatParsesBackByteExact() throws IOException {
        int[] lengths = {60, 1514, 98};
        Path file = PcapCaptures.capture(dir.resolve("capture.pcap"), lengths);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b23c4d, b.getInt(), "nanosecond pcap magic");
        assertEquals(2, b.getShort());
        assertEquals(4, b.getShort());
        assertEquals(0, b.getInt());
        assertEquals(0, b.getInt());
        assertEquals(65535, b.getInt());
        assertEquals(1, b.getInt(), "link type Ethernet");
        // Transmitted frames at t0, t0+1ms, t0+2ms; then the received ones at t0+13ms.
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < lengths.length; i++) {
                long ts = PcapCaptures.WALL_ORIGIN + (pass == 0 ? i : 13) * 1_000_000L;
                assertEquals((int) (ts / 1_000_000_000L), b.getInt(), "seconds of record " + i);
                assertEquals((int) (ts % 1_000_000_000L), b.getInt(), "nanoseconds of record " + i);
                assertEquals(lengths[i], b.getInt(), "captured length");
                assertEquals(lengths[i], b.getInt(), "original length");
                byte[] frame = new byte[lengths[i]];
                b.get(frame);
                assertArrayEquals(Frames.expected(i, lengths[i]), frame);
            }
        }
        assertFalse(b.hasRemaining(), "nothing after the last record");
    }

    @Test
    void bufferFlushesWhenHalfFullSoLongCapturesReachTheFile() throws IOException {
        Path file = dir.resolve("long.pcap");
        try (PcapWriter pcap = new PcapWriter(new LoopbackDevice(9000, 64), file, new ManualClock())) {
            long before = Files.size(file);
            assertEquals(24, before, "the global header is written at once");
            for (int i = 0; i < 40; i++) {
                Frames.send(pcap, i, 9014);
                pcap.txFlush();
                pcap.receive((m, o, l, v) -> {}, 10);
            }
            assertTrue(Files.size(file) > 100_000, "records reach the file before close: " + Files.size(file));
        }
        assertEquals(24 + 80 * (16 + 9014), Files.size(file));
    }

    @Test
    void aQuietCaptureReachesTheFileAtLeastOnceASecond() throws IOException {
        Path file = dir.resolve("quiet.pcap");
        ManualClock clock = new ManualClock();
        try (PcapWriter pcap = new PcapWriter(new LoopbackDevice(1500, 8), file, clock)) {
            Frames.send(pcap, 1, 60);
            assertEquals(24, Files.size(file), "buffered");
            clock.advanceMillis(1_000);
            Frames.send(pcap, 2, 60);
            assertEquals(24 + 2 * (16 + 60), Files.size(file), "a second later both records are written");
        }
    }
}
