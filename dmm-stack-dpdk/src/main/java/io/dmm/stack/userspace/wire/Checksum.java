package io.dmm.stack.userspace.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): a ones' complement sum of 16-bit big-endian words. Sums are
 * accumulated in a {@code long} (32-bit words at a time, folded at the end), so a checksum over
 * several pieces is {@code fold(sum(b, sum(a, 0)))} as long as every piece but the last has an even
 * length. The emitted field is {@link #fold}'s result; a received header verifies when the sum over
 * it, checksum field included, folds to 0.
 */
public final class Checksum {
    private static final ValueLayout.OfInt INT_BE =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT_BE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Checksum() {}

    /** Adds {@code length} bytes at {@code offset} to {@code acc}. */
    public static long sum(MemorySegment m, long offset, int length, long acc) {
        int i = 0;
        for (; i + 4 <= length; i += 4) acc += m.get(INT_BE, offset + i) & 0xFFFF_FFFFL;
        if (i + 2 <= length) {
            acc += m.get(SHORT_BE, offset + i) & 0xFFFF;
            i += 2;
        }
        if (i < length) acc += (m.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFF) << 8;
        return acc;
    }

    /** The TCP/UDP pseudo-header's contribution (RFC 9293 §3.1, RFC 768). */
    public static long pseudoHeader(int srcIp, int dstIp, int protocol, int l4Length) {
        return (srcIp >>> 16) + (srcIp & 0xFFFF) + (dstIp >>> 16) + (dstIp & 0xFFFF) + protocol + l4Length;
    }

    /** The checksum field value for an accumulated sum: the complement of the folded sum. */
    public static int fold(long acc) {
        while ((acc >>> 16) != 0) acc = (acc & 0xFFFF) + (acc >>> 16);
        return (int) (~acc & 0xFFFF);
    }

    /** The checksum of {@code length} bytes (e.g. an IPv4 header with its checksum field zeroed). */
    public static int compute(MemorySegment m, long offset, int length) {
        return fold(sum(m, offset, length, 0));
    }

    /** The TCP or UDP checksum over a segment/datagram at {@code offset}, pseudo-header included. */
    public static int transport(MemorySegment m, long offset, int length, int srcIp, int dstIp, int protocol) {
        return fold(sum(m, offset, length, pseudoHeader(srcIp, dstIp, protocol, length)));
    }

    /** Whether bytes that include their own checksum field verify (sum folds to zero). */
    public static boolean verifies(MemorySegment m, long offset, int length) {
        return compute(m, offset, length) == 0;
    }

    /** Whether a TCP/UDP segment (checksum field included) verifies against its pseudo-header. */
    public static boolean transportVerifies(MemorySegment m, long offset, int length, int srcIp, int dstIp, int protocol) {
        return transport(m, offset, length, srcIp, dstIp, protocol) == 0;
    }
}
