package io.dmm.stack.userspace.phy;

import io.dmm.stack.userspace.time.Clock;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a device and records every frame it receives and transmits in a classic pcap file
 * (nanosecond-resolution variant, magic {@code 0xa1b23c4d}, version 2.4, snaplen 65535, link type 1
 * Ethernet), readable by Wireshark and tcpdump. Transmitted frames are recorded when submitted (the
 * order the stack sent them), received ones when handed to the stack.
 *
 * <p>Timestamps are the injected {@link Clock}'s nanos mapped to wall time at construction, so a
 * capture under a {@code ManualClock} shows virtual time. Records are appended to a preallocated
 * direct buffer and written to the file when it is half full, when a record comes a second (clock
 * time) or more after the last write, and on {@link #flush()}/{@link #close()}:
 * no allocation per frame. A write error is logged once and stops the capture; the wrapped device
 * keeps working (a full disk must not take the network down).
 */
public final class PcapWriter extends ForwardingDevice {
    public static final int MAGIC_NANOS = 0xa1b23c4d;
    public static final int SNAPLEN = 65535;
    public static final int LINKTYPE_ETHERNET = 1;
    /** Records reach the file at least this often (clock time) while frames flow, for live viewing. */
    public static final long FLUSH_INTERVAL_NANOS = 1_000_000_000L;
    private static final int RECORD_HEADER = 16;
    private static final int BUFFER_BYTES = 4 * (RECORD_HEADER + SNAPLEN);
    private static final Logger LOG = LoggerFactory.getLogger(PcapWriter.class);

    private final Clock clock;
    private final FileChannel file;
    private final ByteBuffer buffer;
    private final MemorySegment bufferMemory;
    private final long wallOriginNanos;
    private final long clockOrigin;
    private final Recorder recorder = new Recorder();
    private boolean failed;
    private boolean closed;
    private long records;
    private long lastWriteNanos;

    /** Captures to {@code file} (created or truncated) with timestamps starting at the current wall time. */
    public PcapWriter(Device inner, Path file, Clock clock) throws IOException {
        this(inner, file, clock, System.currentTimeMillis() * 1_000_000L);
    }

    /** As above, with the wall time (nanos since the epoch) that the clock's current reading maps to. */
    public PcapWriter(Device inner, Path file, Clock clock, long wallOriginNanos) throws IOException {
        super(inner);
        this.clock = clock;
        this.wallOriginNanos = wallOriginNanos;
        this.clockOrigin = clock.nanos();
        this.buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        this.bufferMemory = MemorySegment.ofBuffer(buffer);
        this.file = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        buffer.putInt(MAGIC_NANOS);
        buffer.putShort((short) 2);
        buffer.putShort((short) 4);
        buffer.putInt(0);  // thiszone: timestamps are UTC
        buffer.putInt(0);  // sigfigs
        buffer.putInt(SNAPLEN);
        buffer.putInt(LINKTYPE_ETHERNET);
        writeBuffer();
    }

    /** Writes the buffered records to the file. */
    public void flush() {
        if (!failed && !closed) writeBuffer();
    }

    /** Frames recorded so far. */
    public long records() {
        return records;
    }

    private void record(MemorySegment memory, long offset, int length) {
        if (failed || closed) return;
        int captured = Math.min(length, SNAPLEN);
        if (buffer.remaining() < RECORD_HEADER + captured) writeBuffer();
        if (failed) return;
        long now = clock.nanos();
        long ts = wallOriginNanos + (now - clockOrigin);
        buffer.putInt((int) (ts / 1_000_000_000L));
        buffer.putInt((int) (ts % 1_000_000_000L));
        buffer.putInt(captured);
        buffer.putInt(length);
        int at = buffer.position();
        MemorySegment.copy(memory, offset, bufferMemory, at, captured);
        buffer.position(at + captured);
        records++;
        if (buffer.position() >= BUFFER_BYTES / 2 || now - lastWriteNanos >= FLUSH_INTERVAL_NANOS) writeBuffer();
    }

    private void writeBuffer() {
        lastWriteNanos = clock.nanos();
        buffer.flip();
        try {
            while (buffer.hasRemaining()) file.write(buffer);
        } catch (IOException e) {
            failed = true;
            LOG.error("pcap capture of {} stopped: write failed", inner.name(), e);
        }
        buffer.clear();
    }


    @Override
    public void txSubmit(long offset, int length) {
        record(inner.memory(), offset, length);
        inner.txSubmit(offset, length);
    }

    @Override
    public int receive(RxHandler handler, int budget) {
        recorder.handler = handler;
        try {
            return inner.receive(recorder, budget);
        } finally {
            recorder.handler = null;
        }
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>(inner.counters());
        m.put("pcap_records", records);
        return m;
    }

    /** Flushes and closes the file, then closes the wrapped device. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        try {
            flush();
            closed = true;
            file.close();
        } catch (IOException e) {
            LOG.error("closing pcap capture of {} failed", inner.name(), e);
        } finally {
            closed = true;
            inner.close();
        }
    }

    private final class Recorder implements RxHandler {
        RxHandler handler;

        @Override
        public void frame(MemorySegment memory, long offset, int length, boolean checksumsVerified) {
            record(memory, offset, length);
            handler.frame(memory, offset, length, checksumsVerified);
        }
    }
}
