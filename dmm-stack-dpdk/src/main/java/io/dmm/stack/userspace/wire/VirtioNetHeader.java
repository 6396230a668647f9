package io.dmm.stack.userspace.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A reusable view of the 10-byte {@code struct virtio_net_hdr} that a Linux tap opened with
 * {@code IFF_VNET_HDR} puts before every frame, in both directions (linux/virtio_net.h): what the
 * kernel may leave undone on a frame (its checksum, its segmentation) and what it already did.
 * Fields are in the host's byte order (little-endian here), as a legacy tap without
 * {@code TUNSETVNETLE} uses them.
 *
 * <pre>
 *  0  flags        NEEDS_CSUM (1): the L4 checksum field holds only the pseudo-header sum; the
 *                  receiver completes it from csum_start, or trusts the data as locally made.
 *                  DATA_VALID (2): the checksum was verified.
 *  1  gso_type     NONE (0), TCPV4 (1), UDP (3), TCPV6 (4); ECN (0x80) may be or'ed in
 *  2  hdr_len      bytes of Ethernet, IP and TCP headers, copied into every segment
 *  4  gso_size     payload bytes per segment
 *  6  csum_start   where the checksummed bytes begin (the L4 header)
 *  8  csum_offset  where, from csum_start, the checksum field is (16 for TCP, 6 for UDP)
 * </pre>
 */
public final class VirtioNetHeader {
    public static final int LENGTH = 10;
    public static final int F_NEEDS_CSUM = 1;
    public static final int F_DATA_VALID = 2;
    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    public static final int GSO_ECN = 0x80;
    /** Where the checksum field is from the start of a TCP header, and of a UDP header. */
    public static final int TCP_CHECKSUM_OFFSET = 16;
    public static final int UDP_CHECKSUM_OFFSET = 6;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private MemorySegment memory;
    private long offset;

    /** Points this view at the header at {@code offset}; returns this. */
    public VirtioNetHeader wrap(MemorySegment memory, long offset) {
        this.memory = memory;
        this.offset = offset;
        return this;
    }

    public int flags() {
        return memory.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
    }

    public int gsoType() {
        return memory.get(ValueLayout.JAVA_BYTE, offset + 1) & 0xFF;
    }

    public int headerLength() {
        return memory.get(U16, offset + 2) & 0xFFFF;
    }

    public int gsoSize() {
        return memory.get(U16, offset + 4) & 0xFFFF;
    }

    public int checksumStart() {
        return memory.get(U16, offset + 6) & 0xFFFF;
    }

    public int checksumOffset() {
        return memory.get(U16, offset + 8) & 0xFFFF;
    }

    /** A frame that is whole as it stands: no flags, no segmentation. */
    public VirtioNetHeader emitPlain() {
        memory.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, 0L);
        memory.set(U16, offset + 8, (short) 0);
        return this;
    }

    /**
     * A frame whose L4 checksum the receiver completes: the field at {@code checksumStart +
     * checksumOffset} holds the pseudo-header sum. No segmentation.
     */
    public VirtioNetHeader emitChecksumPartial(int checksumStart, int checksumOffset) {
        return emit(F_NEEDS_CSUM, GSO_NONE, 0, 0, checksumStart, checksumOffset);
    }

    /**
     * A TCP/IPv4 frame larger than the MTU that the kernel cuts into segments of {@code segmentSize}
     * payload bytes (if it sends it on at all: delivered to a local socket, it stays whole), with
     * {@code headerLength} bytes of headers copied into each and every checksum completed.
     */
    public VirtioNetHeader emitTcpV4Segmentation(int headerLength, int segmentSize, int checksumStart) {
        return emit(F_NEEDS_CSUM, GSO_TCPV4, headerLength, segmentSize, checksumStart, TCP_CHECKSUM_OFFSET);
    }

    private VirtioNetHeader emit(int flags, int gsoType, int headerLength, int gsoSize, int checksumStart,
                                 int checksumOffset) {
        memory.set(ValueLayout.JAVA_BYTE, offset, (byte) flags);
        memory.set(ValueLayout.JAVA_BYTE, offset + 1, (byte) gsoType);
        memory.set(U16, offset + 2, (short) headerLength);
        memory.set(U16, offset + 4, (short) gsoSize);
        memory.set(U16, offset + 6, (short) checksumStart);
        memory.set(U16, offset + 8, (short) checksumOffset);
        return this;
    }
}
