package io.dmm.stack.userspace.iface;

import io.dmm.stack.userspace.wire.ArpPacket;
import io.dmm.stack.userspace.wire.EthernetFrame;
import io.dmm.stack.userspace.wire.IcmpPacket;
import io.dmm.stack.userspace.wire.Ipv4Header;
import io.dmm.stack.userspace.wire.UdpHeader;
import java.lang.foreign.MemorySegment;

/** Builds the frames a peer would send (with the wire views, which have their own golden tests). */
final class Frames {
    private Frames() {}

    static byte[] arp(int op, long ethDst, long sha, int spa, long tha, int tpa) {
        byte[] b = new byte[42];
        MemorySegment m = MemorySegment.ofArray(b);
        new EthernetFrame().wrap(m, 0, 42).emit(ethDst, sha, EthernetFrame.TYPE_ARP);
        new ArpPacket().wrap(m, 14, 28).emit(op, sha, spa, tha, tpa);
        return b;
    }

    /** An Ethernet frame carrying an unfragmented IPv4 packet with {@code l4} as payload. */
    static byte[] ipv4(long ethDst, long ethSrc, int src, int dst, int protocol, byte[] l4) {
        return fragment(ethDst, ethSrc, src, dst, protocol, 0x1234, 0, false, l4, 0, l4.length);
    }

    /** One fragment: {@code length} bytes of {@code payload} from {@code from}, at fragment offset {@code from}. */
    static byte[] fragment(long ethDst, long ethSrc, int src, int dst, int protocol, int id, int from, boolean more,
                           byte[] payload, int unused, int length) {
        int total = 20 + length;
        byte[] b = new byte[14 + total];
        MemorySegment m = MemorySegment.ofArray(b);
        new EthernetFrame().wrap(m, 0, b.length).emit(ethDst, ethSrc, EthernetFrame.TYPE_IPV4);
        MemorySegment.copy(MemorySegment.ofArray(payload), from, m, 34, length);
        new Ipv4Header().wrap(m, 14, total).emit(src, dst, protocol, total, id, 64, false)
                .fragment(false, more, from).fillChecksum();
        return b;
    }

    static byte[] udp(int srcIp, int dstIp, int srcPort, int dstPort, byte[] data) {
        byte[] b = new byte[8 + data.length];
        MemorySegment m = MemorySegment.ofArray(b);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, m, 8, data.length);
        new UdpHeader().wrap(m, 0, b.length).emit(srcPort, dstPort, b.length).fillChecksum(srcIp, dstIp);
        return b;
    }

    static byte[] icmpEcho(int type, int id, int seq, byte[] data) {
        byte[] b = new byte[8 + data.length];
        MemorySegment m = MemorySegment.ofArray(b);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, m, 8, data.length);
        new IcmpPacket().wrap(m, 0, b.length).emitEcho(type, id, seq).fillChecksum();
        return b;
    }

    /** A destination unreachable quoting {@code quoted} (an IPv4 header and at least 8 bytes). */
    static byte[] icmpUnreachable(int code, byte[] quoted) {
        byte[] b = new byte[8 + quoted.length];
        MemorySegment m = MemorySegment.ofArray(b);
        MemorySegment.copy(MemorySegment.ofArray(quoted), 0, m, 8, quoted.length);
        new IcmpPacket().wrap(m, 0, b.length).emitHeader(IcmpPacket.TYPE_DESTINATION_UNREACHABLE, code, 0).fillChecksum();
        return b;
    }
}
