package io.dmm.stack.userspace.phy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.stack.userspace.time.ManualClock;
import java.io.IOException;
import java.nio.file.Path;

/** A small capture made at virtual time: what PcapWriterTest parses, and the system tier's tshark reads. */
public final class PcapCaptures {
    /** The wall-clock time of the capture's virtual origin, in nanoseconds since the epoch. */
    public static final long WALL_ORIGIN = 1_700_000_000_123_456_789L;

    private PcapCaptures() {}

    /**
     * Sends frames of the given lengths 1 ms apart through a loopback device wrapped in a
     * {@link PcapWriter}, receives them back 10 ms after the last, closes; returns {@code file}.
     */
    public static Path capture(Path file, int... lengths) throws IOException {
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
}
