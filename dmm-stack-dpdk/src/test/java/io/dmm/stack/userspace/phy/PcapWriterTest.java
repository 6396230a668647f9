package io.dmm.stack.userspace.phy;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.stack.userspace.time.ManualClock;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapWriterTest {
    private static final long WALL_ORIGIN = 1_700_000_000_123_456_789L;

    @TempDir
    Path dir;

    /** Sends frames of the given lengths 1 ms apart, receives them back, closes; returns the capture. */
    private Path capture(int... lengths) throws IOException {
        Path file = dir.resolve("capture.pcap");
        ManualClock clock = new ManualClock(5_000_000_000L);
        LoopbackDevice lo = new LoopbackDevice(1500, 16);
        PcapWriter pcap = new PcapWriter(lo, file, clock, WALL_ORIGIN);
        for (int i = 0; i < lengths.length; i++) {
            Frames.send(pcap, i, lengths[i]);
            clock.advanceMillis(1);
        }
        pcap.txFlush();
        clock.advanceMillis(10);
        assertEquals(lengths.length, pcap.receive((m, o, l, v) -> {}, 100));
        assertEquals(2L * lengths.length, pcap.records());
        pcap.close();
        pcap.close();
        assertEquals(-1, lo.txAcquire(), "closing the writer closes the wrapped device");
        return file;
    }

    @Test
    void writesAClassicNanosecondPcapThatParsesBackByteExact() throws IOException {
        int[] lengths = {60, 1514, 98};
        Path file = capture(lengths);
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
                long ts = WALL_ORIGIN + (pass == 0 ? i : 13) * 1_000_000L;
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

    /** Wireshark's own reader accepts the capture (tshark is installed by .ci/run; without it this fails, saying so). */
    @Test
    void tsharkReadsTheCapture() throws Exception {
        String tshark = null;
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(d, "tshark").canExecute()) tshark = new File(d, "tshark").getPath();
        }
        assertNotNull(tshark, "install tshark (apt-get install -y tshark) to run this test");
        int[] lengths = {60, 1514, 98};
        Path file = capture(lengths);
        Process p = new ProcessBuilder(tshark, "-r", file.toString(), "-T", "fields", "-e", "frame.len")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start(); // stderr: tshark's warnings (e.g. running as root)
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<String> expected = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) for (int l : lengths) expected.add(Integer.toString(l));
        assertEquals(expected, out.lines().map(String::trim).filter(s -> !s.isEmpty()).toList(), out);
    }
}
