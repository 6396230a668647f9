package io.dmm.stack.userspace.wire;

import java.lang.foreign.MemorySegment;

/**
 * A reusable view of an Ethernet II frame (no preamble, no FCS): destination, source, ethertype,
 * then the payload. {@link #wrap} it over received or transmit memory, check {@link #isValid()}
 * before reading a received frame, then use the accessors; nothing is copied or allocated.
 *
 * <p>802.1Q tagged frames are not understood: their ethertype reads as {@link #TYPE_VLAN} and the
 * interface drops them as an unknown ethertype (the stack runs on untagged ports).
 */
public final class EthernetFrame {
    public static final int HEADER_LENGTH = 14;
    public static final int TYPE_IPV4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;
    public static final int TYPE_VLAN = 0x8100;
    public static final int TYPE_IPV6 = 0x86DD;

    private MemorySegment memory;
    private long offset;
    private int length;

    /** Points this view at the frame of {@code length} bytes at {@code offset}; returns this. */
    public EthernetFrame wrap(MemorySegment memory, long offset, int length) {
        this.memory = memory;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** Whether the frame holds at least a whole header (the only thing a frame can get wrong here). */
    public boolean isValid() {
        return length >= HEADER_LENGTH && offset >= 0 && offset + length <= memory.byteSize();
    }

    public long destination() {
        return NetworkOrder.mac(memory, offset);
    }

    public long source() {
        return NetworkOrder.mac(memory, offset + 6);
    }

    public int etherType() {
        return NetworkOrder.u16(memory, offset + 12);
    }

    public EthernetFrame destination(long mac) {
        NetworkOrder.putMac(memory, offset, mac);
        return this;
    }

    public EthernetFrame source(long mac) {
        NetworkOrder.putMac(memory, offset + 6, mac);
        return this;
    }

    public EthernetFrame etherType(int type) {
        NetworkOrder.putU16(memory, offset + 12, type);
        return this;
    }

    /** Writes the whole header. */
    public EthernetFrame emit(long destination, long source, int etherType) {
        return destination(destination).source(source).etherType(etherType);
    }

    public MemorySegment memory() {
        return memory;
    }

    public long offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    public long payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    /** Payload bytes, Ethernet padding of short frames included (the IPv4 total length says how much is real). */
    public int payloadLength() {
        return length - HEADER_LENGTH;
    }
}
