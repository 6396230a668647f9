package io.dmm.stack.userspace.wire;

import java.lang.foreign.MemorySegment;

/**
 * A reusable view of an IGMP message: queries of every version (RFC 1112, RFC 2236, RFC 3376 4.1),
 * version 1 and 2 reports and leaves (8 bytes: type, max response code, checksum, group), and
 * version 3 reports (RFC 3376 4.2: a header, then group records of type, aux length, source count,
 * group and sources). {@link #isValid()} must pass before any other accessor is trusted on received
 * data; it reads nothing beyond the wrapped length, so any byte string can be checked without an
 * exception. The emit methods write messages in place, checksum included.
 */
public final class IgmpMessage {
    public static final int HEADER_LENGTH = 8;
    /** A version 3 query: the 8-byte header, then flags/QRV, QQIC and the source count, then the sources. */
    public static final int V3_QUERY_MIN_LENGTH = 12;
    /** A version 3 report's header: type, reserved, checksum, reserved, number of group records. */
    public static final int V3_REPORT_HEADER_LENGTH = 8;
    /** A group record's fixed part: type, aux data length, source count, group. */
    public static final int RECORD_HEADER_LENGTH = 8;

    public static final int TYPE_QUERY = 0x11;
    public static final int TYPE_V1_REPORT = 0x12;
    public static final int TYPE_V2_REPORT = 0x16;
    public static final int TYPE_LEAVE = 0x17;
    public static final int TYPE_V3_REPORT = 0x22;

    /** Group record types (RFC 3376 4.2.12). */
    public static final int MODE_IS_INCLUDE = 1;
    public static final int MODE_IS_EXCLUDE = 2;
    public static final int CHANGE_TO_INCLUDE = 3;
    public static final int CHANGE_TO_EXCLUDE = 4;
    public static final int ALLOW_NEW_SOURCES = 5;
    public static final int BLOCK_OLD_SOURCES = 6;

    /** What a version 1 query's zero max response code means: 10 seconds (RFC 2236 4). */
    private static final long V1_MAX_RESPONSE_NANOS = 10_000_000_000L;
    private static final long TENTH_SECOND_NANOS = 100_000_000L;

    private MemorySegment memory;
    private long offset;
    private int length;

    /** Points at a message of exactly {@code length} bytes (the IPv4 payload). */
    public IgmpMessage wrap(MemorySegment memory, long offset, int length) {
        this.memory = memory;
        this.offset = offset;
        this.length = length;
        return this;
    }

    public int length() {
        return length;
    }

    /**
     * Whether the bytes hold a message whose declared parts fit: at least the 8-byte header; a
     * version 3 query's sources; a version 3 report's records and their sources and aux data.
     * Queries of 9 to 11 bytes are invalid (RFC 3376 7.1 ignores them).
     */
    public boolean isValid() {
        if (length < HEADER_LENGTH || offset < 0 || offset + length > memory.byteSize()) return false;
        int type = type();
        if (type == TYPE_QUERY) {
            if (length == HEADER_LENGTH) return true;
            return length >= V3_QUERY_MIN_LENGTH && V3_QUERY_MIN_LENGTH + 4L * querySourceCount() <= length;
        }
        if (type == TYPE_V3_REPORT) {
            long at = V3_REPORT_HEADER_LENGTH;
            for (int i = 0, n = reportRecordCount(); i < n; i++) {
                if (at + RECORD_HEADER_LENGTH > length) return false;
                at += recordLength((int) at);
                if (at > length) return false;
            }
        }
        return true;
    }

    /** Whether the ones' complement checksum over the whole message verifies; only after {@link #isValid()}. */
    public boolean checksumValid() {
        return Checksum.verifies(memory, offset, length);
    }

    public int type() {
        return NetworkOrder.u8(memory, offset);
    }

    /** The max response code of a query (the second byte; "unused", 0, in version 1). */
    public int maxResponseCode() {
        return NetworkOrder.u8(memory, offset + 1);
    }

    /** The group of a query (0 for a general query), a version 1/2 report or a leave. */
    public int group() {
        return NetworkOrder.i32(memory, offset + 4);
    }

    /** A query's version: 1 (8 bytes, code 0), 2 (8 bytes), 3 (12 or more bytes); RFC 3376 7.1. */
    public int queryVersion() {
        if (length >= V3_QUERY_MIN_LENGTH) return 3;
        return maxResponseCode() == 0 ? 1 : 2;
    }

    /**
     * How long a query gives hosts to answer: 10 s for version 1, the code in tenths of a second for
     * version 2, and version 3's floating point code (RFC 3376 4.1.1: from 128 on, mantissa and exponent).
     */
    public long maxResponseNanos() {
        int version = queryVersion();
        if (version == 1) return V1_MAX_RESPONSE_NANOS;
        int code = maxResponseCode();
        if (version == 3 && code >= 128) {
            int mantissa = code & 0x0F;
            int exponent = (code >>> 4) & 0x07;
            return (long) ((mantissa | 0x10) << (exponent + 3)) * TENTH_SECOND_NANOS;
        }
        return code * TENTH_SECOND_NANOS;
    }

    /** A version 3 query's number of sources (group-and-source-specific when not 0). */
    public int querySourceCount() {
        return NetworkOrder.u16(memory, offset + 10);
    }

    public int querySource(int i) {
        return NetworkOrder.i32(memory, offset + V3_QUERY_MIN_LENGTH + 4L * i);
    }

    /** A version 3 report's number of group records. */
    public int reportRecordCount() {
        return NetworkOrder.u16(memory, offset + 6);
    }

    /** Where (relative to the message) record {@code i} of a version 3 report starts; walks the records. */
    public int recordAt(int i) {
        int at = V3_REPORT_HEADER_LENGTH;
        for (int k = 0; k < i; k++) at += recordLength(at);
        return at;
    }

    public int recordType(int at) {
        return NetworkOrder.u8(memory, offset + at);
    }

    public int recordGroup(int at) {
        return NetworkOrder.i32(memory, offset + at + 4);
    }

    public int recordSourceCount(int at) {
        return NetworkOrder.u16(memory, offset + at + 2);
    }

    public int recordSource(int at, int i) {
        return NetworkOrder.i32(memory, offset + at + RECORD_HEADER_LENGTH + 4L * i);
    }

    private int recordLength(int at) {
        int auxWords = NetworkOrder.u8(memory, offset + at + 1);
        return RECORD_HEADER_LENGTH + 4 * recordSourceCount(at) + 4 * auxWords;
    }

    // ------------------------------------------------------------------ emit

    /** A version 1/2 report, a leave or a version 1/2 query: 8 bytes, checksum filled. */
    public IgmpMessage emitShort(int type, int maxResponseCode, int group) {
        NetworkOrder.putU8(memory, offset, type);
        NetworkOrder.putU8(memory, offset + 1, maxResponseCode);
        NetworkOrder.putI32(memory, offset + 4, group);
        return fillChecksum(HEADER_LENGTH);
    }

    /**
     * A version 3 query (what a router sends; tests craft them): header, S flag and QRV 0, a query
     * interval code of 125 s, and {@code sources}. Returns the view over it, checksum filled.
     */
    public IgmpMessage emitV3Query(int maxResponseCode, int group, int... sources) {
        NetworkOrder.putU8(memory, offset, TYPE_QUERY);
        NetworkOrder.putU8(memory, offset + 1, maxResponseCode);
        NetworkOrder.putI32(memory, offset + 4, group);
        NetworkOrder.putU8(memory, offset + 8, 2);  // robustness 2
        NetworkOrder.putU8(memory, offset + 9, 125);
        NetworkOrder.putU16(memory, offset + 10, sources.length);
        for (int i = 0; i < sources.length; i++) NetworkOrder.putI32(memory, offset + V3_QUERY_MIN_LENGTH + 4L * i, sources[i]);
        return fillChecksum(V3_QUERY_MIN_LENGTH + 4 * sources.length);
    }

    /** Starts a version 3 report: its header with {@code records} group records to follow (checksum not yet filled). */
    public void emitV3ReportHeader(int records) {
        NetworkOrder.putU8(memory, offset, TYPE_V3_REPORT);
        NetworkOrder.putU8(memory, offset + 1, 0);
        NetworkOrder.putU16(memory, offset + 4, 0);
        NetworkOrder.putU16(memory, offset + 6, records);
    }

    /** Writes a group record at {@code at} with the first {@code count} of {@code sources}; returns where the next starts. */
    public int putRecord(int at, int recordType, int group, int[] sources, int count) {
        NetworkOrder.putU8(memory, offset + at, recordType);
        NetworkOrder.putU8(memory, offset + at + 1, 0);
        NetworkOrder.putU16(memory, offset + at + 2, count);
        NetworkOrder.putI32(memory, offset + at + 4, group);
        for (int i = 0; i < count; i++) NetworkOrder.putI32(memory, offset + at + RECORD_HEADER_LENGTH + 4L * i, sources[i]);
        return at + RECORD_HEADER_LENGTH + 4 * count;
    }

    /** Computes and stores the checksum over the first {@code messageLength} bytes; the view then covers them. */
    public IgmpMessage fillChecksum(int messageLength) {
        this.length = messageLength;
        NetworkOrder.putU16(memory, offset + 2, 0);
        NetworkOrder.putU16(memory, offset + 2, Checksum.compute(memory, offset, messageLength));
        return this;
    }
}
