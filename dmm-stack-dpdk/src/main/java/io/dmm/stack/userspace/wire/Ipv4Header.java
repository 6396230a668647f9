package io.dmm.stack.userspace.wire;

import java.lang.foreign.MemorySegment;

/**
 * A reusable view of an IPv4 header (RFC 791). Options are not interpreted, only skipped: the
 * payload starts at {@link #headerLength()} (IHL x 4). {@link #wrap} gives the bytes available
 * (the rest of the frame); {@link #check()} must pass before any other accessor is trusted on
 * received data, and it reads nothing beyond that length, so any byte string can be checked
 * without an exception.
 */
public final class Ipv4Header {
    public static final int MIN_LENGTH = 20;
    public static final int MAX_LENGTH = 60;
    public static final int MAX_TOTAL_LENGTH = 65535;
    public static final int PROTOCOL_ICMP = 1;
    public static final int PROTOCOL_TCP = 6;
    public static final int PROTOCOL_UDP = 17;

    private static final int FLAG_DF = 0x4000;
    private static final int FLAG_MF = 0x2000;
    private static final int OFFSET_MASK = 0x1FFF;

    /** Why a received header is unusable; {@link #OK} when it is. */
    public enum Check { OK, TRUNCATED, BAD_VERSION, BAD_IHL, BAD_TOTAL_LENGTH }

    private MemorySegment memory;
    private long offset;
    private int length;

    /** Points at a header at {@code offset} with {@code available} bytes behind it (header and payload). */
    public Ipv4Header wrap(MemorySegment memory, long offset, int available) {
        this.memory = memory;
        this.offset = offset;
        this.length = available;
        return this;
    }

    /**
     * Checks version 4, IHL at least 5 and within the bytes available, and a total length that
     * covers the header and fits in them (shorter is fine: Ethernet pads small frames).
     */
    public Check check() {
        if (length < MIN_LENGTH || offset < 0 || offset + length > memory.byteSize()) return Check.TRUNCATED;
        if (version() != 4) return Check.BAD_VERSION;
        int hl = headerLength();
        if (hl < MIN_LENGTH || hl > length) return Check.BAD_IHL;
        int total = totalLength();
        if (total < hl || total > length) return Check.BAD_TOTAL_LENGTH;
        return Check.OK;
    }

    public boolean isValid() {
        return check() == Check.OK;
    }

    /** {@link #check()} against a shorter length than wrapped, e.g. the frame length less Ethernet. */
    public boolean isValid(int available) {
        int saved = length;
        length = Math.min(saved, available);
        boolean ok = check() == Check.OK;
        length = saved;
        return ok;
    }

    public int version() {
        return NetworkOrder.u8(memory, offset) >>> 4;
    }

    public int ihl() {
        return NetworkOrder.u8(memory, offset) & 0xF;
    }

    public int headerLength() {
        return ihl() * 4;
    }

    public int dscp() {
        return NetworkOrder.u8(memory, offset + 1) >>> 2;
    }

    public int ecn() {
        return NetworkOrder.u8(memory, offset + 1) & 0x3;
    }

    public int totalLength() {
        return NetworkOrder.u16(memory, offset + 2);
    }

    public int identification() {
        return NetworkOrder.u16(memory, offset + 4);
    }

    public boolean dontFragment() {
        return (NetworkOrder.u16(memory, offset + 6) & FLAG_DF) != 0;
    }

    public boolean moreFragments() {
        return (NetworkOrder.u16(memory, offset + 6) & FLAG_MF) != 0;
    }

    /** The fragment offset in bytes (the field counts 8-byte units). */
    public int fragmentOffset() {
        return (NetworkOrder.u16(memory, offset + 6) & OFFSET_MASK) * 8;
    }

    /** Whether this is one piece of a fragmented datagram (MF set or a non-zero offset). */
    public boolean isFragment() {
        return (NetworkOrder.u16(memory, offset + 6) & (FLAG_MF | OFFSET_MASK)) != 0;
    }

    public int ttl() {
        return NetworkOrder.u8(memory, offset + 8);
    }

    public int protocol() {
        return NetworkOrder.u8(memory, offset + 9);
    }

    public int checksum() {
        return NetworkOrder.u16(memory, offset + 10);
    }

    public int source() {
        return NetworkOrder.i32(memory, offset + 12);
    }

    public int destination() {
        return NetworkOrder.i32(memory, offset + 16);
    }

    /** Whether the header (options included) sums to zero with its checksum field. */
    public boolean checksumValid() {
        return Checksum.verifies(memory, offset, headerLength());
    }

    public long payloadOffset() {
        return offset + headerLength();
    }

    /** Payload bytes per the total length (Ethernet padding excluded). */
    public int payloadLength() {
        return totalLength() - headerLength();
    }

    public MemorySegment memory() {
        return memory;
    }

    public long offset() {
        return offset;
    }

    public Ipv4Header totalLength(int value) {
        NetworkOrder.putU16(memory, offset + 2, value);
        return this;
    }

    public Ipv4Header identification(int value) {
        NetworkOrder.putU16(memory, offset + 4, value);
        return this;
    }

    /** Sets DF, MF and the offset (bytes, a multiple of 8) together: they share one field. */
    public Ipv4Header fragment(boolean dontFragment, boolean moreFragments, int offsetBytes) {
        NetworkOrder.putU16(memory, offset + 6,
                (dontFragment ? FLAG_DF : 0) | (moreFragments ? FLAG_MF : 0) | (offsetBytes >>> 3) & OFFSET_MASK);
        return this;
    }

    public Ipv4Header ttl(int value) {
        NetworkOrder.putU8(memory, offset + 8, value);
        return this;
    }

    public Ipv4Header protocol(int value) {
        NetworkOrder.putU8(memory, offset + 9, value);
        return this;
    }

    public Ipv4Header source(int ip) {
        NetworkOrder.putI32(memory, offset + 12, ip);
        return this;
    }

    public Ipv4Header destination(int ip) {
        NetworkOrder.putI32(memory, offset + 16, ip);
        return this;
    }

    public Ipv4Header dscpEcn(int dscp, int ecn) {
        NetworkOrder.putU8(memory, offset + 1, dscp << 2 | (ecn & 3));
        return this;
    }

    /** Computes and stores the header checksum over {@link #headerLength()} bytes. */
    public Ipv4Header fillChecksum() {
        NetworkOrder.putU16(memory, offset + 10, 0);
        NetworkOrder.putU16(memory, offset + 10, Checksum.compute(memory, offset, headerLength()));
        return this;
    }

    /**
     * Writes a complete 20-byte header without options (DSCP/ECN 0, unfragmented) and its checksum.
     */
    public Ipv4Header emit(int source, int destination, int protocol, int totalLength, int identification,
                           int ttl, boolean dontFragment) {
        return emit(source, destination, protocol, totalLength, identification, ttl, dontFragment, 0);
    }

    /** As {@link #emit(int, int, int, int, int, int, boolean)} with the TOS byte (DSCP and ECN) {@code tos}. */
    public Ipv4Header emit(int source, int destination, int protocol, int totalLength, int identification,
                           int ttl, boolean dontFragment, int tos) {
        NetworkOrder.putU8(memory, offset, 0x45);
        NetworkOrder.putU8(memory, offset + 1, tos);
        totalLength(totalLength);
        identification(identification);
        fragment(dontFragment, false, 0);
        ttl(ttl);
        protocol(protocol);
        source(source);
        destination(destination);
        return fillChecksum();
    }
}
