package io.dmm.stack.userspace.tap;

import io.dmm.stack.userspace.wire.Checksum;
import io.dmm.stack.userspace.wire.EthernetFrame;
import io.dmm.stack.userspace.wire.NetworkOrder;
import io.dmm.stack.userspace.wire.VirtioNetHeader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * What the kernel is asked to finish on a frame we write to a tap, written into its
 * {@link VirtioNetHeader}: the stack left TCP and UDP checksums out (the device offers checksum
 * offload), so the checksum field gets the pseudo-header sum, Linux's {@code CHECKSUM_PARTIAL}
 * convention, and the header says where it is. The kernel trusts such a frame's data when it
 * delivers it to a local socket and completes the sum when it forwards it.
 */
final class TxOffload {
    private static final int PROTOCOL_TCP = 6;
    private static final int PROTOCOL_UDP = 17;

    private TxOffload() {}

    /**
     * An ordinary frame of {@code length} bytes at {@code frame}: an unfragmented TCP or UDP packet
     * over IPv4 goes with its checksum partial; anything else (ARP, ICMP, IGMP, whose checksums the
     * stack computed, or a packet too short to be one) as it is.
     */
    static void ordinary(MemorySegment m, long frame, int length, VirtioNetHeader header) {
        if (length < EthernetFrame.HEADER_LENGTH + 20 || NetworkOrder.u16(m, frame + 12) != EthernetFrame.TYPE_IPV4) {
            header.emitPlain();
            return;
        }
        long ip = frame + EthernetFrame.HEADER_LENGTH;
        int ipHeader = (m.get(ValueLayout.JAVA_BYTE, ip) & 0x0F) * 4;
        int protocol = NetworkOrder.u8(m, ip + 9);
        int fragment = NetworkOrder.u16(m, ip + 6) & 0x3FFF;  // MF and the offset
        int l4Length = NetworkOrder.u16(m, ip + 2) - ipHeader;
        int l4At = EthernetFrame.HEADER_LENGTH + ipHeader;
        int field;
        if (protocol == PROTOCOL_TCP && l4Length >= 20) {
            field = VirtioNetHeader.TCP_CHECKSUM_OFFSET;
        } else if (protocol == PROTOCOL_UDP && l4Length >= 8) {
            field = VirtioNetHeader.UDP_CHECKSUM_OFFSET;
        } else {
            header.emitPlain();
            return;
        }
        if (fragment != 0 || ipHeader < 20 || l4At + l4Length > length) {
            header.emitPlain();
            return;
        }
        NetworkOrder.putU16(m, frame + l4At + field, pseudoHeaderSum(m, ip, protocol, l4Length));
        header.emitChecksumPartial(l4At, field);
    }

    /**
     * A TCP/IPv4 frame the kernel cuts into segments of {@code segmentSize} payload bytes: the
     * pseudo-header sum over the whole L4 length (the kernel adjusts it per segment), and the
     * header lengths the kernel copies into each segment.
     */
    static void segmented(MemorySegment m, long frame, int length, int segmentSize, VirtioNetHeader header) {
        long ip = frame + EthernetFrame.HEADER_LENGTH;
        int ipHeader = (m.get(ValueLayout.JAVA_BYTE, ip) & 0x0F) * 4;
        long tcp = ip + ipHeader;
        int tcpHeader = (NetworkOrder.u8(m, tcp + 12) >>> 4) * 4;
        int l4Length = length - EthernetFrame.HEADER_LENGTH - ipHeader;
        NetworkOrder.putU16(m, tcp + VirtioNetHeader.TCP_CHECKSUM_OFFSET, pseudoHeaderSum(m, ip, PROTOCOL_TCP, l4Length));
        header.emitTcpV4Segmentation(EthernetFrame.HEADER_LENGTH + ipHeader + tcpHeader, segmentSize,
                EthernetFrame.HEADER_LENGTH + ipHeader);
    }

    /** The folded, not complemented, pseudo-header sum: what a partial checksum field holds. */
    private static int pseudoHeaderSum(MemorySegment m, long ip, int protocol, int l4Length) {
        long sum = Checksum.pseudoHeader(NetworkOrder.i32(m, ip + 12), NetworkOrder.i32(m, ip + 16), protocol, l4Length);
        return ~Checksum.fold(sum) & 0xFFFF;
    }
}
