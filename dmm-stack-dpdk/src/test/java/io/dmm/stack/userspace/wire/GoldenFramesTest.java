package io.dmm.stack.userspace.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * Frames written by hand from the RFC layouts (checksums worked out once, independently of the
 * code under test), parsed into their field values, and re-emitted byte for byte.
 */
class GoldenFramesTest {
    static final long HOST_MAC = 0x5254_0012_3456L;     // 52:54:00:12:34:56
    static final long ROUTER_MAC = 0x5254_00ab_cdefL;   // 52:54:00:ab:cd:ef
    static final int HOST_IP = Ipv4Address.of(192, 168, 1, 100);
    static final int ROUTER_IP = Ipv4Address.of(192, 168, 1, 1);

    /** "who-has 192.168.1.1 tell 192.168.1.100", broadcast, unpadded (42 bytes). */
    static final String ARP_REQUEST = """
            ffffffffffff 525400123456 0806
            0001 0800 06 04 0001
            525400123456 c0a80164
            000000000000 c0a80101
            """;

    /** Linux ping 192.168.1.1: 56 data bytes (8-byte timestamp, then 0x10..0x37), DF, TTL 64. */
    static final String ICMP_ECHO_REQUEST = """
            525400abcdef 525400123456 0800
            4500 0054 1c46 4000 4001 9aad c0a80164 c0a80101
            08 00 bf7a 0b5c 0001
            5f3b6a6700000000 a1b2030000000000
            101112131415161718191a1b1c1d1e1f 202122232425262728292a2b2c2d2e2f 3031323334353637
            """;

    /** UDP 192.168.1.100:54321 -> 192.168.1.1:53 carrying "hello dmm\n", checksum 0x9243. */
    static final String UDP_DATAGRAM = """
            525400abcdef 525400123456 0800
            4500 0026 beef 4000 4011 f821 c0a80164 c0a80101
            d431 0035 0012 9243
            68656c6c6f20646d6d0a
            """;

    @Test
    void arpRequestParses() {
        MemorySegment m = GoldenBytes.segment(ARP_REQUEST);
        EthernetFrame eth = new EthernetFrame().wrap(m, 0, (int) m.byteSize());
        assertTrue(eth.isValid());
        assertEquals(MacAddress.BROADCAST, eth.destination());
        assertEquals(HOST_MAC, eth.source());
        assertEquals(EthernetFrame.TYPE_ARP, eth.etherType());
        ArpPacket arp = new ArpPacket().wrap(m, eth.payloadOffset(), eth.payloadLength());
        assertEquals(ArpPacket.Check.OK, arp.check());
        assertEquals(ArpPacket.OP_REQUEST, arp.operation());
        assertEquals(HOST_MAC, arp.senderMac());
        assertEquals(HOST_IP, arp.senderIp());
        assertEquals(0L, arp.targetMac());
        assertEquals(ROUTER_IP, arp.targetIp());
        assertFalse(arp.isGratuitous());
    }

    @Test
    void arpRequestEmitsByteExact() {
        MemorySegment m = MemorySegment.ofArray(new byte[42]);
        new EthernetFrame().wrap(m, 0, 42).emit(MacAddress.BROADCAST, HOST_MAC, EthernetFrame.TYPE_ARP);
        new ArpPacket().wrap(m, 14, 28).emit(ArpPacket.OP_REQUEST, HOST_MAC, HOST_IP, 0, ROUTER_IP);
        assertEquals(GoldenBytes.normalize(ARP_REQUEST), GoldenBytes.of(m, 0, 42));
    }

    @Test
    void icmpEchoRequestParses() {
        MemorySegment m = GoldenBytes.segment(ICMP_ECHO_REQUEST);
        assertEquals(98, m.byteSize());
        EthernetFrame eth = new EthernetFrame().wrap(m, 0, 98);
        assertEquals(ROUTER_MAC, eth.destination());
        assertEquals(EthernetFrame.TYPE_IPV4, eth.etherType());
        Ipv4Header ip = new Ipv4Header().wrap(m, 14, 84);
        assertEquals(Ipv4Header.Check.OK, ip.check());
        assertEquals(4, ip.version());
        assertEquals(20, ip.headerLength());
        assertEquals(0, ip.dscp());
        assertEquals(0, ip.ecn());
        assertEquals(84, ip.totalLength());
        assertEquals(0x1c46, ip.identification());
        assertTrue(ip.dontFragment());
        assertFalse(ip.moreFragments());
        assertFalse(ip.isFragment());
        assertEquals(0, ip.fragmentOffset());
        assertEquals(64, ip.ttl());
        assertEquals(Ipv4Header.PROTOCOL_ICMP, ip.protocol());
        assertEquals(0x9aad, ip.checksum());
        assertTrue(ip.checksumValid());
        assertEquals(HOST_IP, ip.source());
        assertEquals(ROUTER_IP, ip.destination());
        IcmpPacket icmp = new IcmpPacket().wrap(m, ip.payloadOffset(), ip.payloadLength());
        assertTrue(icmp.isValid());
        assertTrue(icmp.checksumValid());
        assertEquals(IcmpPacket.TYPE_ECHO_REQUEST, icmp.type());
        assertEquals(0, icmp.code());
        assertEquals(0xbf7a, icmp.checksum());
        assertEquals(0x0b5c, icmp.echoIdentifier());
        assertEquals(1, icmp.echoSequence());
        assertEquals(56, icmp.dataLength());
        assertFalse(icmp.isError());
    }

    @Test
    void icmpEchoRequestEmitsByteExact() {
        MemorySegment golden = GoldenBytes.segment(ICMP_ECHO_REQUEST);
        MemorySegment m = MemorySegment.ofArray(new byte[98]);
        MemorySegment.copy(golden, 42, m, 42, 56);  // the ping payload is data, not header
        new EthernetFrame().wrap(m, 0, 98).emit(ROUTER_MAC, HOST_MAC, EthernetFrame.TYPE_IPV4);
        new Ipv4Header().wrap(m, 14, 84).emit(HOST_IP, ROUTER_IP, Ipv4Header.PROTOCOL_ICMP, 84, 0x1c46, 64, true);
        new IcmpPacket().wrap(m, 34, 64).emitEcho(IcmpPacket.TYPE_ECHO_REQUEST, 0x0b5c, 1).fillChecksum();
        assertEquals(GoldenBytes.normalize(ICMP_ECHO_REQUEST), GoldenBytes.of(m, 0, 98));
    }

    @Test
    void udpDatagramParses() {
        MemorySegment m = GoldenBytes.segment(UDP_DATAGRAM);
        Ipv4Header ip = new Ipv4Header().wrap(m, 14, (int) m.byteSize() - 14);
        assertTrue(ip.isValid());
        assertTrue(ip.checksumValid());
        assertEquals(Ipv4Header.PROTOCOL_UDP, ip.protocol());
        assertEquals(38, ip.totalLength());
        UdpHeader udp = new UdpHeader().wrap(m, ip.payloadOffset(), ip.payloadLength());
        assertEquals(UdpHeader.Check.OK, udp.check());
        assertEquals(54321, udp.sourcePort());
        assertEquals(53, udp.destinationPort());
        assertEquals(18, udp.length());
        assertEquals(0x9243, udp.checksum());
        assertEquals(10, udp.payloadLength());
        assertTrue(udp.checksumValid(HOST_IP, ROUTER_IP));
        assertFalse(udp.checksumValid(HOST_IP, ROUTER_IP + 1), "the pseudo-header is covered");
    }

    @Test
    void udpDatagramEmitsByteExact() {
        MemorySegment golden = GoldenBytes.segment(UDP_DATAGRAM);
        MemorySegment m = MemorySegment.ofArray(new byte[52]);
        MemorySegment.copy(golden, 42, m, 42, 10);
        new EthernetFrame().wrap(m, 0, 52).emit(ROUTER_MAC, HOST_MAC, EthernetFrame.TYPE_IPV4);
        new Ipv4Header().wrap(m, 14, 38).emit(HOST_IP, ROUTER_IP, Ipv4Header.PROTOCOL_UDP, 38, 0xbeef, 64, true);
        new UdpHeader().wrap(m, 34, 18).emit(54321, 53, 18).fillChecksum(HOST_IP, ROUTER_IP);
        assertEquals(GoldenBytes.normalize(UDP_DATAGRAM), GoldenBytes.of(m, 0, 52));
    }

    /** 10.0.0.1:1000 -> 10.0.0.2:2000, payload "ab" 7eb9 chosen so the ones' complement sum is 0xFFFF. */
    @Test
    void udpChecksumThatComputesToZeroIsSentAsAllOnes() {
        MemorySegment m = GoldenBytes.segment("03e8 07d0 000c 0000 6162 7eb9");
        UdpHeader udp = new UdpHeader().wrap(m, 0, 12);
        int src = Ipv4Address.of(10, 0, 0, 1);
        int dst = Ipv4Address.of(10, 0, 0, 2);
        assertEquals(0xFFFF, udp.computeChecksum(src, dst));
        udp.fillChecksum(src, dst);
        assertEquals("03e807d0000cffff61627eb9", GoldenBytes.of(m, 0, 12));
        assertTrue(udp.checksumValid(src, dst));
        udp.checksum(0);
        assertTrue(udp.checksumValid(src, dst), "zero means no checksum on IPv4");
    }

    /** Destination unreachable (port) from 192.168.1.1 quoting the UDP datagram above. */
    @Test
    void icmpPortUnreachableQuotesTheOriginal() {
        String quoted = "4500 0026 beef 4000 4011 f821 c0a80164 c0a80101 d431 0035 0012 9243";
        MemorySegment m = MemorySegment.ofArray(new byte[36]);
        MemorySegment.copy(GoldenBytes.segment(quoted), 0, m, 8, 28);
        IcmpPacket icmp = new IcmpPacket().wrap(m, 0, 36)
                .emitHeader(IcmpPacket.TYPE_DESTINATION_UNREACHABLE, IcmpPacket.CODE_PORT_UNREACHABLE, 0)
                .fillChecksum();
        assertTrue(icmp.checksumValid());
        assertTrue(icmp.isError());
        assertEquals(GoldenBytes.normalize("0303 " + "9640" + " 00000000 " + quoted), GoldenBytes.of(m, 0, 36));
        assertTrue(icmp.parseQuoted());
        assertEquals(Ipv4Header.PROTOCOL_UDP, icmp.quotedProtocol());
        assertEquals(HOST_IP, icmp.quotedSource());
        assertEquals(ROUTER_IP, icmp.quotedDestination());
        assertEquals(54321, icmp.quotedSourcePort());
        assertEquals(53, icmp.quotedDestinationPort());
    }

    @Test
    void ipv4OptionsAreSkippedByIhl() {
        // IHL 6: one 4-byte option (NOP NOP NOP EOL) before the payload.
        MemorySegment m = MemorySegment.ofArray(new byte[28]);
        new Ipv4Header().wrap(m, 0, 28).emit(HOST_IP, ROUTER_IP, 17, 28, 1, 64, false);
        NetworkOrder.putU8(m, 0, 0x46);
        NetworkOrder.putI32(m, 20, 0x0101_0100);
        Ipv4Header ip = new Ipv4Header().wrap(m, 0, 28).fillChecksum();
        assertTrue(ip.isValid());
        assertTrue(ip.checksumValid());
        assertEquals(24, ip.headerLength());
        assertEquals(24, ip.payloadOffset());
        assertEquals(4, ip.payloadLength());
    }

    @Test
    void fragmentFieldsRoundTrip() {
        MemorySegment m = MemorySegment.ofArray(new byte[20]);
        Ipv4Header ip = new Ipv4Header().wrap(m, 0, 20);
        ip.emit(HOST_IP, ROUTER_IP, 17, 20, 7, 64, false).fragment(false, true, 1480);
        assertTrue(ip.moreFragments());
        assertFalse(ip.dontFragment());
        assertEquals(1480, ip.fragmentOffset());
        assertTrue(ip.isFragment());
        assertEquals("20b9", String.format("%04x", NetworkOrder.u16(m, 6)));
    }

    @Test
    void macAddressText() {
        assertEquals(0x0200_0000_0001L, MacAddress.parse("02:00:00:00:00:01"));
        assertEquals(0x5254_00ab_cdefL, MacAddress.parse("52-54-00-AB-CD-EF"));
        assertEquals("52:54:00:ab:cd:ef", MacAddress.toString(0x5254_00ab_cdefL));
        assertTrue(MacAddress.isMulticast(MacAddress.BROADCAST));
        assertTrue(MacAddress.isMulticast(MacAddress.parse("01:00:5e:00:00:01")));
        assertFalse(MacAddress.isMulticast(MacAddress.parse("02:00:00:00:00:01")));
        assertTrue(MacAddress.isBroadcast(MacAddress.parse("ff:ff:ff:ff:ff:ff")));
        assertTrue(MacAddress.isUnicast(HOST_MAC));
        assertFalse(MacAddress.isUnicast(0));
        for (String bad : new String[] {"", "02:00:00:00:00", "02:00:00:00:00:0g", "02:00:00:00:00:001", "02.00.00.00.00.01"}) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> MacAddress.parse(bad), bad);
        }
    }
}
