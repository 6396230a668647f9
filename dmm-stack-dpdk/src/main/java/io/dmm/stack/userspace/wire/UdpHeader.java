package io.dmm.stack.userspace.wire;

import java.lang.foreign.MemorySegment;

/**
 * A reusable view of a UDP header (RFC 768) followed by its payload. On IPv4 a zero checksum
 * means "none was computed", so a computed checksum of zero is sent as 0xFFFF (the same value in
 * ones' complement) and a received zero always verifies.
 */
public final class UdpHeader {
    public static final int LENGTH = 8;

    public enum Check { OK, TRUNCATED, BAD_LENGTH }

    private MemorySegment memory;
    private long offset;
    private int length;

    /** Points at a datagram with {@code available} bytes (the IPv4 payload length). */
    public UdpHeader wrap(MemorySegment memory, long offset, int available) {
        this.memory = memory;
        this.offset = offset;
        this.length = available;
        return this;
    }

    /** Whether the header is whole and its length field covers it and fits in the bytes available. */
    public Check check() {
        if (length < LENGTH || offset < 0 || offset + length > memory.byteSize()) return Check.TRUNCATED;
        int l = length();
        if (l < LENGTH || l > length) return Check.BAD_LENGTH;
        return Check.OK;
    }

    public boolean isValid() {
        return check() == Check.OK;
    }

    public int sourcePort() {
        return NetworkOrder.u16(memory, offset);
    }

    public int destinationPort() {
        return NetworkOrder.u16(memory, offset + 2);
    }

    /** The length field: header plus payload. */
    public int length() {
        return NetworkOrder.u16(memory, offset + 4);
    }

    public int checksum() {
        return NetworkOrder.u16(memory, offset + 6);
    }

    public long payloadOffset() {
        return offset + LENGTH;
    }

    public int payloadLength() {
        return length() - LENGTH;
    }

    public UdpHeader sourcePort(int port) {
        NetworkOrder.putU16(memory, offset, port);
        return this;
    }

    public UdpHeader destinationPort(int port) {
        NetworkOrder.putU16(memory, offset + 2, port);
        return this;
    }

    public UdpHeader length(int value) {
        NetworkOrder.putU16(memory, offset + 4, value);
        return this;
    }

    public UdpHeader checksum(int value) {
        NetworkOrder.putU16(memory, offset + 6, value);
        return this;
    }

    /** Writes ports and length, and a zero checksum (fill it with {@link #fillChecksum} or leave it to offload). */
    public UdpHeader emit(int sourcePort, int destinationPort, int length) {
        return sourcePort(sourcePort).destinationPort(destinationPort).length(length).checksum(0);
    }

    /** The checksum field value for the datagram as it stands (length field bytes), never 0. */
    public int computeChecksum(int srcIp, int dstIp) {
        int saved = checksum();
        checksum(0);
        int c = Checksum.transport(memory, offset, length(), srcIp, dstIp, Ipv4Header.PROTOCOL_UDP);
        checksum(saved);
        return c == 0 ? 0xFFFF : c;
    }

    public UdpHeader fillChecksum(int srcIp, int dstIp) {
        return checksum(computeChecksum(srcIp, dstIp));
    }

    /** Whether the checksum verifies (a zero field means none was sent and always verifies); only after {@link #isValid()}. */
    public boolean checksumValid(int srcIp, int dstIp) {
        return checksum() == 0
                || Checksum.transportVerifies(memory, offset, length(), srcIp, dstIp, Ipv4Header.PROTOCOL_UDP);
    }
}
