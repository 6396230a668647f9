package io.dmm.stack.userspace.wire;

import java.lang.foreign.MemorySegment;

/**
 * A reusable view of an ICMPv4 message (RFC 792): type, code, checksum, four bytes whose meaning
 * depends on the type (echo identifier and sequence; the next-hop MTU of "fragmentation needed"),
 * then the data. For errors the data quotes the offending datagram's IPv4 header and at least its
 * first 8 payload bytes; {@link #parseQuoted()} extracts addresses and ports from that quote into
 * this view's fields, so reading them allocates nothing.
 */
public final class IcmpPacket {
    public static final int HEADER_LENGTH = 8;
    /** How many payload bytes of the offending datagram an error quotes (RFC 792, RFC 1122 3.2.2). */
    public static final int QUOTED_PAYLOAD = 8;

    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DESTINATION_UNREACHABLE = 3;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;
    public static final int TYPE_PARAMETER_PROBLEM = 12;

    public static final int CODE_NET_UNREACHABLE = 0;
    public static final int CODE_HOST_UNREACHABLE = 1;
    public static final int CODE_PROTOCOL_UNREACHABLE = 2;
    public static final int CODE_PORT_UNREACHABLE = 3;
    public static final int CODE_FRAGMENTATION_NEEDED = 4;

    private MemorySegment memory;
    private long offset;
    private int length;

    private int quotedProtocol;
    private int quotedSource;
    private int quotedDestination;
    private int quotedSourcePort;
    private int quotedDestinationPort;

    /** Points at a message of exactly {@code length} bytes (the IPv4 payload). */
    public IcmpPacket wrap(MemorySegment memory, long offset, int length) {
        this.memory = memory;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** Whether the message holds its 8-byte header. */
    public boolean isValid() {
        return length >= HEADER_LENGTH && offset >= 0 && offset + length <= memory.byteSize();
    }

    /** Whether the checksum over the whole message verifies; only after {@link #isValid()}. */
    public boolean checksumValid() {
        return Checksum.verifies(memory, offset, length);
    }

    /** The error types, which must never be answered with another ICMP error (RFC 1122 3.2.2). */
    public boolean isError() {
        int t = type();
        return t == TYPE_DESTINATION_UNREACHABLE || t == TYPE_TIME_EXCEEDED || t == TYPE_PARAMETER_PROBLEM
                || t == 4 /* source quench */ || t == 5 /* redirect */;
    }

    public int type() {
        return NetworkOrder.u8(memory, offset);
    }

    public int code() {
        return NetworkOrder.u8(memory, offset + 1);
    }

    public int checksum() {
        return NetworkOrder.u16(memory, offset + 2);
    }

    public int echoIdentifier() {
        return NetworkOrder.u16(memory, offset + 4);
    }

    public int echoSequence() {
        return NetworkOrder.u16(memory, offset + 6);
    }

    /** The next-hop MTU of a "fragmentation needed" (RFC 1191), 0 from routers that predate it. */
    public int nextHopMtu() {
        return NetworkOrder.u16(memory, offset + 6);
    }

    public long dataOffset() {
        return offset + HEADER_LENGTH;
    }

    public int dataLength() {
        return length - HEADER_LENGTH;
    }

    public int length() {
        return length;
    }

    /**
     * Parses the datagram quoted by an error message: its IPv4 header (options skipped) and, for
     * TCP and UDP, the two ports in its first 4 payload bytes (0 when the quote is too short to
     * hold them). False when the quote is not a plausible IPv4 header; the total length of the
     * quoted header is not checked, since it describes the original datagram, not the quote.
     */
    public boolean parseQuoted() {
        if (!isValid() || dataLength() < Ipv4Header.MIN_LENGTH) return false;
        long q = dataOffset();
        int vihl = NetworkOrder.u8(memory, q);
        int hl = (vihl & 0xF) * 4;
        if (vihl >>> 4 != 4 || hl < Ipv4Header.MIN_LENGTH || hl > dataLength()) return false;
        quotedProtocol = NetworkOrder.u8(memory, q + 9);
        quotedSource = NetworkOrder.i32(memory, q + 12);
        quotedDestination = NetworkOrder.i32(memory, q + 16);
        if (dataLength() - hl >= 4) {
            quotedSourcePort = NetworkOrder.u16(memory, q + hl);
            quotedDestinationPort = NetworkOrder.u16(memory, q + hl + 2);
        } else {
            quotedSourcePort = 0;
            quotedDestinationPort = 0;
        }
        return true;
    }

    public int quotedProtocol() {
        return quotedProtocol;
    }

    public int quotedSource() {
        return quotedSource;
    }

    public int quotedDestination() {
        return quotedDestination;
    }

    public int quotedSourcePort() {
        return quotedSourcePort;
    }

    public int quotedDestinationPort() {
        return quotedDestinationPort;
    }

    /** Writes type, code and the 4 rest-of-header bytes; the checksum is left for {@link #fillChecksum()}. */
    public IcmpPacket emitHeader(int type, int code, int restOfHeader) {
        NetworkOrder.putU8(memory, offset, type);
        NetworkOrder.putU8(memory, offset + 1, code);
        NetworkOrder.putU16(memory, offset + 2, 0);
        NetworkOrder.putI32(memory, offset + 4, restOfHeader);
        return this;
    }

    /** An echo request or reply header (type 8 or 0) with identifier and sequence number. */
    public IcmpPacket emitEcho(int type, int identifier, int sequence) {
        return emitHeader(type, 0, (identifier & 0xFFFF) << 16 | (sequence & 0xFFFF));
    }

    /** Computes and stores the checksum over the wrapped length (header and data). */
    public IcmpPacket fillChecksum() {
        NetworkOrder.putU16(memory, offset + 2, 0);
        NetworkOrder.putU16(memory, offset + 2, Checksum.compute(memory, offset, length));
        return this;
    }
}
