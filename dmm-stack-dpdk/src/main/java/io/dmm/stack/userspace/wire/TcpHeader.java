package io.dmm.stack.userspace.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A flyweight view of a TCP header (RFC 9293 §3.1) over {@code (memory, offset)}: fixed fields
 * read and written in place, options parsed into this object's fields by {@link #parseOptions()}
 * and emitted by the {@code put*} methods in the order Linux uses, so a segment we send looks like
 * one Linux sends. One instance is reused for every segment (no allocation per packet).
 */
public final class TcpHeader {
    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20, ECE = 0x40, CWR = 0x80;
    public static final int MIN_LENGTH = 20;
    public static final int MAX_LENGTH = 60;
    /** Option kinds (IANA). */
    public static final int OPT_EOL = 0, OPT_NOP = 1, OPT_MSS = 2, OPT_WSCALE = 3, OPT_SACK_PERMITTED = 4, OPT_SACK = 5, OPT_TIMESTAMPS = 8;
    /** The most SACK blocks a header can hold (4 without timestamps, 3 with: RFC 2018 §3). */
    public static final int MAX_SACK_BLOCKS = 4;

    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    private MemorySegment m;
    private long off;

    // Options found by parseOptions(); -1 / false when absent.
    public int mss = -1;
    public int windowScale = -1;
    public boolean sackPermitted;
    public boolean hasTimestamps;
    public int tsVal;
    public int tsEcr;
    public int sackCount;
    public final int[] sackLeft = new int[MAX_SACK_BLOCKS];
    public final int[] sackRight = new int[MAX_SACK_BLOCKS];

    public TcpHeader wrap(MemorySegment memory, long offset) {
        this.m = memory;
        this.off = offset;
        return this;
    }

    public MemorySegment memory() { return m; }
    public long offset() { return off; }

    public int srcPort() { return m.get(SHORT_BE, off) & 0xFFFF; }
    public int dstPort() { return m.get(SHORT_BE, off + 2) & 0xFFFF; }
    public int seq() { return m.get(INT_BE, off + 4); }
    public int ack() { return m.get(INT_BE, off + 8); }
    /** Header length in bytes (data offset × 4). */
    public int headerLength() { return ((m.get(BYTE, off + 12) & 0xFF) >>> 4) * 4; }
    public int flags() { return m.get(BYTE, off + 13) & 0xFF; }
    public boolean has(int flag) { return (flags() & flag) != 0; }
    public int window() { return m.get(SHORT_BE, off + 14) & 0xFFFF; }
    public int checksum() { return m.get(SHORT_BE, off + 16) & 0xFFFF; }
    public int urgent() { return m.get(SHORT_BE, off + 18) & 0xFFFF; }

    public TcpHeader srcPort(int v) { m.set(SHORT_BE, off, (short) v); return this; }
    public TcpHeader dstPort(int v) { m.set(SHORT_BE, off + 2, (short) v); return this; }
    public TcpHeader seq(int v) { m.set(INT_BE, off + 4, v); return this; }
    public TcpHeader ack(int v) { m.set(INT_BE, off + 8, v); return this; }
    /** Sets the data offset from a header length in bytes (a multiple of 4, 20..60); clears the reserved bits. */
    public TcpHeader headerLength(int bytes) { m.set(BYTE, off + 12, (byte) ((bytes / 4) << 4)); return this; }
    public TcpHeader flags(int v) { m.set(BYTE, off + 13, (byte) v); return this; }
    public TcpHeader window(int v) { m.set(SHORT_BE, off + 14, (short) v); return this; }
    public TcpHeader checksum(int v) { m.set(SHORT_BE, off + 16, (short) v); return this; }
    public TcpHeader urgent(int v) { m.set(SHORT_BE, off + 18, (short) v); return this; }

    /**
     * Parses the options between byte 20 and the data offset into this object's fields. Unknown
     * options are skipped by their length; returns false (fields then undefined) when an option's
     * length is below 2 or runs past the header, or a known option has the wrong length, which
     * a receiver must treat as a malformed segment.
     */
    public boolean parseOptions() {
        mss = -1;
        windowScale = -1;
        sackPermitted = false;
        hasTimestamps = false;
        tsVal = 0;
        tsEcr = 0;
        sackCount = 0;
        int end = headerLength();
        int i = MIN_LENGTH;
        while (i < end) {
            int kind = m.get(BYTE, off + i) & 0xFF;
            if (kind == OPT_EOL) return true;
            if (kind == OPT_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end) return false;
            int len = m.get(BYTE, off + i + 1) & 0xFF;
            if (len < 2 || i + len > end) return false;
            switch (kind) {
                case OPT_MSS -> {
                    if (len != 4) return false;
                    mss = m.get(SHORT_BE, off + i + 2) & 0xFFFF;
                }
                case OPT_WSCALE -> {
                    if (len != 3) return false;
                    windowScale = m.get(BYTE, off + i + 2) & 0xFF;
                }
                case OPT_SACK_PERMITTED -> {
                    if (len != 2) return false;
                    sackPermitted = true;
                }
                case OPT_TIMESTAMPS -> {
                    if (len != 10) return false;
                    hasTimestamps = true;
                    tsVal = m.get(INT_BE, off + i + 2);
                    tsEcr = m.get(INT_BE, off + i + 6);
                }
                case OPT_SACK -> {
                    if (len < 10 || (len - 2) % 8 != 0) return false;
                    int n = Math.min((len - 2) / 8, MAX_SACK_BLOCKS);
                    for (int b = 0; b < n; b++) {
                        sackLeft[b] = m.get(INT_BE, off + i + 2 + 8L * b);
                        sackRight[b] = m.get(INT_BE, off + i + 6 + 8L * b);
                    }
                    sackCount = n;
                }
                default -> { } // unknown: skipped by its length
            }
            i += len;
        }
        return true;
    }

    // ---- option emission: each writes at byte `pos` of the header and returns the next position.

    public int putNop(int pos) {
        m.set(BYTE, off + pos, (byte) OPT_NOP);
        return pos + 1;
    }

    public int putMss(int pos, int mssValue) {
        m.set(BYTE, off + pos, (byte) OPT_MSS);
        m.set(BYTE, off + pos + 1, (byte) 4);
        m.set(SHORT_BE, off + pos + 2, (short) mssValue);
        return pos + 4;
    }

    public int putSackPermitted(int pos) {
        m.set(BYTE, off + pos, (byte) OPT_SACK_PERMITTED);
        m.set(BYTE, off + pos + 1, (byte) 2);
        return pos + 2;
    }

    public int putTimestamps(int pos, int val, int ecr) {
        m.set(BYTE, off + pos, (byte) OPT_TIMESTAMPS);
        m.set(BYTE, off + pos + 1, (byte) 10);
        m.set(INT_BE, off + pos + 2, val);
        m.set(INT_BE, off + pos + 6, ecr);
        return pos + 10;
    }

    public int putWindowScale(int pos, int shift) {
        m.set(BYTE, off + pos, (byte) OPT_WSCALE);
        m.set(BYTE, off + pos + 1, (byte) 3);
        m.set(BYTE, off + pos + 2, (byte) shift);
        return pos + 3;
    }

    /** A SACK option of {@code n} blocks from {@code lefts/rights} (not NOP-aligned: callers put two NOPs first). */
    public int putSack(int pos, int[] lefts, int[] rights, int n) {
        m.set(BYTE, off + pos, (byte) OPT_SACK);
        m.set(BYTE, off + pos + 1, (byte) (2 + 8 * n));
        for (int b = 0; b < n; b++) {
            m.set(INT_BE, off + pos + 2 + 8L * b, lefts[b]);
            m.set(INT_BE, off + pos + 6 + 8L * b, rights[b]);
        }
        return pos + 2 + 8 * n;
    }

    /**
     * The options of a SYN laid out as Linux lays them out: MSS, SACK-permitted + timestamps
     * (or NOP NOP SACK-permitted without timestamps), NOP + window scale. {@code wscale} -1 omits
     * window scaling. Returns the header length (padded to 4 with NOPs, always a multiple of 4 here).
     */
    public int putSynOptions(int mssValue, boolean sackPerm, boolean timestamps, int tsValue, int tsEcho, int wscale) {
        int pos = putMss(MIN_LENGTH, mssValue);
        if (timestamps) {
            if (sackPerm) pos = putSackPermitted(pos);
            else pos = putNop(putNop(pos));
            pos = putTimestamps(pos, tsValue, tsEcho);
        } else if (sackPerm) {
            pos = putSackPermitted(putNop(putNop(pos)));
        }
        if (wscale >= 0) pos = putWindowScale(putNop(pos), wscale);
        while ((pos & 3) != 0) pos = putNop(pos);
        return pos;
    }

    /**
     * The options of a non-SYN segment: NOP NOP timestamps if {@code timestamps}, then NOP NOP and
     * up to {@code n} SACK blocks (as many as fit in 40 option bytes). Returns the header length.
     */
    public int putSegmentOptions(boolean timestamps, int tsValue, int tsEcho, int[] lefts, int[] rights, int n) {
        int pos = MIN_LENGTH;
        if (timestamps) pos = putTimestamps(putNop(putNop(pos)), tsValue, tsEcho);
        if (n > 0) {
            int room = (MAX_LENGTH - pos - 4) / 8;
            pos = putSack(putNop(putNop(pos)), lefts, rights, Math.min(n, room));
        }
        return pos;
    }
}
