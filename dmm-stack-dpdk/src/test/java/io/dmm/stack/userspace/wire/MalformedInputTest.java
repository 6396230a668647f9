package io.dmm.stack.userspace.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Damaged versions of the golden frames are reported invalid with the right reason, never thrown. */
class MalformedInputTest {
    private static MemorySegment golden(String hex) {
        return GoldenBytes.segment(hex);
    }

    @Test
    void truncatedEthernet() {
        MemorySegment m = golden(GoldenFramesTest.ARP_REQUEST);
        assertFalse(new EthernetFrame().wrap(m, 0, 13).isValid());
        assertTrue(new EthernetFrame().wrap(m, 0, 14).isValid());
        assertFalse(new EthernetFrame().wrap(m, 30, 14).isValid(), "beyond the memory");
    }

    @Test
    void arpProblems() {
        MemorySegment m = golden(GoldenFramesTest.ARP_REQUEST);
        ArpPacket arp = new ArpPacket();
        assertEquals(ArpPacket.Check.TRUNCATED, arp.wrap(m, 14, 27).check());
        assertEquals(ArpPacket.Check.TRUNCATED, arp.wrap(m, 15, 28).check(), "memory ends first");
        NetworkOrder.putU16(m, 14 + 6, 3);
        assertEquals(ArpPacket.Check.BAD_OPERATION, arp.wrap(m, 14, 28).check());
        NetworkOrder.putU8(m, 14 + 4, 8);
        assertEquals(ArpPacket.Check.BAD_ADDRESS_LENGTHS, arp.check());
        NetworkOrder.putU16(m, 14 + 2, EthernetFrame.TYPE_IPV6);
        assertEquals(ArpPacket.Check.NOT_IPV4, arp.check());
        NetworkOrder.putU16(m, 14, 6);
        assertEquals(ArpPacket.Check.NOT_ETHERNET, arp.check());
        assertFalse(arp.isValid());
    }

    @Test
    void ipv4Problems() {
        Ipv4Header ip = new Ipv4Header();
        MemorySegment m = golden(GoldenFramesTest.ICMP_ECHO_REQUEST);
        assertEquals(Ipv4Header.Check.TRUNCATED, ip.wrap(m, 14, 19).check());
        assertEquals(Ipv4Header.Check.BAD_TOTAL_LENGTH, ip.wrap(m, 14, 83).check(), "total length beyond the frame");
        assertFalse(ip.wrap(m, 14, 84).isValid(83));
        assertTrue(ip.wrap(m, 14, 84).isValid(84));

        m = golden(GoldenFramesTest.ICMP_ECHO_REQUEST);
        NetworkOrder.putU8(m, 14, 0x44);
        assertEquals(Ipv4Header.Check.BAD_IHL, ip.wrap(m, 14, 84).check());
        NetworkOrder.putU8(m, 14, 0x4F);
        assertEquals(Ipv4Header.Check.OK, ip.wrap(m, 14, 84).check(), "60-byte header fits in 84 bytes");
        assertEquals(Ipv4Header.Check.BAD_IHL, ip.wrap(m, 14, 40).check(), "IHL beyond the bytes available");
        NetworkOrder.putU8(m, 14, 0x65);
        assertEquals(Ipv4Header.Check.BAD_VERSION, ip.wrap(m, 14, 84).check());

        m = golden(GoldenFramesTest.ICMP_ECHO_REQUEST);
        NetworkOrder.putU16(m, 14 + 2, 19);
        assertEquals(Ipv4Header.Check.BAD_TOTAL_LENGTH, ip.wrap(m, 14, 84).check(), "total length below the header");

        m = golden(GoldenFramesTest.ICMP_ECHO_REQUEST);
        NetworkOrder.putU8(m, 14 + 8, 63);  // TTL changed, checksum not
        assertTrue(ip.wrap(m, 14, 84).isValid());
        assertFalse(ip.checksumValid());
    }

    @Test
    void icmpProblems() {
        MemorySegment m = golden(GoldenFramesTest.ICMP_ECHO_REQUEST);
        IcmpPacket icmp = new IcmpPacket();
        assertFalse(icmp.wrap(m, 34, 7).isValid());
        assertFalse(icmp.parseQuoted());
        NetworkOrder.putU8(m, 97, 0);  // last payload byte
        assertTrue(icmp.wrap(m, 34, 64).isValid());
        assertFalse(icmp.checksumValid());
        // an error whose quote is not an IPv4 header
        MemorySegment e = MemorySegment.ofArray(new byte[8 + 28]);
        icmp.wrap(e, 0, 36).emitHeader(3, 3, 0);
        assertFalse(icmp.parseQuoted(), "version 0");
        NetworkOrder.putU8(e, 8, 0x4F);
        assertFalse(icmp.parseQuoted(), "IHL beyond the quote");
        NetworkOrder.putU8(e, 8, 0x45);
        assertTrue(icmp.parseQuoted());
        assertFalse(icmp.wrap(e, 0, 27).parseQuoted(), "quote shorter than a header");
        assertTrue(icmp.wrap(e, 0, 28).parseQuoted());
        assertEquals(0, icmp.quotedSourcePort(), "no ports quoted");
    }

    @Test
    void udpProblems() {
        MemorySegment m = golden(GoldenFramesTest.UDP_DATAGRAM);
        UdpHeader udp = new UdpHeader();
        assertEquals(UdpHeader.Check.TRUNCATED, udp.wrap(m, 34, 7).check());
        assertEquals(UdpHeader.Check.BAD_LENGTH, udp.wrap(m, 34, 17).check(), "length field beyond the datagram");
        NetworkOrder.putU16(m, 34 + 4, 7);
        assertEquals(UdpHeader.Check.BAD_LENGTH, udp.wrap(m, 34, 18).check());
        m = golden(GoldenFramesTest.UDP_DATAGRAM);
        NetworkOrder.putU8(m, 51, 'X');
        assertTrue(udp.wrap(m, 34, 18).isValid());
        assertFalse(udp.checksumValid(GoldenFramesTest.HOST_IP, GoldenFramesTest.ROUTER_IP));
    }
}
