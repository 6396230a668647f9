package io.dmm.stack.userspace.wire;

import java.lang.foreign.MemorySegment;

/**
 * A reusable view of an ARP packet (RFC 826) for IPv4 over Ethernet, the only kind the stack
 * speaks: hardware type 1, protocol 0x0800, address lengths 6 and 4, so the packet is always
 * {@link #LENGTH} bytes with the sender and target addresses at fixed offsets.
 */
public final class ArpPacket {
    public static final int LENGTH = 28;
    public static final int HTYPE_ETHERNET = 1;
    public static final int OP_REQUEST = 1;
    public static final int OP_REPLY = 2;

    /** Why a received packet is not one the stack can use; {@link #OK} when it is. */
    public enum Check { OK, TRUNCATED, NOT_ETHERNET, NOT_IPV4, BAD_ADDRESS_LENGTHS, BAD_OPERATION }

    private MemorySegment memory;
    private long offset;
    private int length;

    public ArpPacket wrap(MemorySegment memory, long offset, int length) {
        this.memory = memory;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** Checks a received packet; reads nothing beyond the wrapped length. */
    public Check check() {
        if (length < LENGTH || offset < 0 || offset + LENGTH > memory.byteSize()) return Check.TRUNCATED;
        if (hardwareType() != HTYPE_ETHERNET) return Check.NOT_ETHERNET;
        if (protocolType() != EthernetFrame.TYPE_IPV4) return Check.NOT_IPV4;
        if (NetworkOrder.u8(memory, offset + 4) != 6 || NetworkOrder.u8(memory, offset + 5) != 4) {
            return Check.BAD_ADDRESS_LENGTHS;
        }
        int op = operation();
        if (op != OP_REQUEST && op != OP_REPLY) return Check.BAD_OPERATION;
        return Check.OK;
    }

    public boolean isValid() {
        return check() == Check.OK;
    }

    public int hardwareType() {
        return NetworkOrder.u16(memory, offset);
    }

    public int protocolType() {
        return NetworkOrder.u16(memory, offset + 2);
    }

    public int operation() {
        return NetworkOrder.u16(memory, offset + 6);
    }

    public long senderMac() {
        return NetworkOrder.mac(memory, offset + 8);
    }

    public int senderIp() {
        return NetworkOrder.i32(memory, offset + 14);
    }

    public long targetMac() {
        return NetworkOrder.mac(memory, offset + 18);
    }

    public int targetIp() {
        return NetworkOrder.i32(memory, offset + 24);
    }

    /** Writes a whole Ethernet/IPv4 ARP packet. */
    public ArpPacket emit(int operation, long senderMac, int senderIp, long targetMac, int targetIp) {
        NetworkOrder.putU16(memory, offset, HTYPE_ETHERNET);
        NetworkOrder.putU16(memory, offset + 2, EthernetFrame.TYPE_IPV4);
        NetworkOrder.putU8(memory, offset + 4, 6);
        NetworkOrder.putU8(memory, offset + 5, 4);
        NetworkOrder.putU16(memory, offset + 6, operation);
        NetworkOrder.putMac(memory, offset + 8, senderMac);
        NetworkOrder.putI32(memory, offset + 14, senderIp);
        NetworkOrder.putMac(memory, offset + 18, targetMac);
        NetworkOrder.putI32(memory, offset + 24, targetIp);
        return this;
    }

    /** A gratuitous ARP announces its sender's own mapping: sender and target protocol addresses are equal. */
    public boolean isGratuitous() {
        return senderIp() == targetIp();
    }
}
