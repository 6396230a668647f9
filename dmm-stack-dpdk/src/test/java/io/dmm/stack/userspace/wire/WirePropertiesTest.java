package io.dmm.stack.userspace.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Emit then parse gives back the fields; checking arbitrary bytes never throws. */
class WirePropertiesTest {

    @Property(tries = 300, seed = "20261121")
    void ipv4RoundTrip(@ForAll int src, @ForAll int dst, @ForAll @IntRange(max = 255) int proto,
                       @ForAll @IntRange(min = 20, max = 1500) int total, @ForAll @IntRange(max = 65535) int id,
                       @ForAll @IntRange(max = 255) int ttl, @ForAll boolean df, @ForAll boolean mf,
                       @ForAll @IntRange(max = 8191) int fragUnits) {
        MemorySegment m = MemorySegment.ofArray(new byte[1500]);
        Ipv4Header ip = new Ipv4Header().wrap(m, 0, total);
        ip.emit(src, dst, proto, total, id, ttl, df).fragment(df, mf, fragUnits * 8).fillChecksum();
        assertTrue(ip.isValid());
        assertTrue(ip.checksumValid());
        assertEquals(src, ip.source());
        assertEquals(dst, ip.destination());
        assertEquals(proto, ip.protocol());
        assertEquals(total, ip.totalLength());
        assertEquals(id, ip.identification());
        assertEquals(ttl, ip.ttl());
        assertEquals(df, ip.dontFragment());
        assertEquals(mf, ip.moreFragments());
        assertEquals(fragUnits * 8, ip.fragmentOffset());
    }

    @Property(tries = 300, seed = "20261121")
    void arpAndEthernetRoundTrip(@ForAll @IntRange(min = 1, max = 2) int op, @ForAll long sha, @ForAll int spa,
                                 @ForAll long tha, @ForAll int tpa, @ForAll long dst, @ForAll long src) {
        long mask = MacAddress.BROADCAST;
        MemorySegment m = MemorySegment.ofArray(new byte[42]);
        EthernetFrame eth = new EthernetFrame().wrap(m, 0, 42).emit(dst & mask, src & mask, EthernetFrame.TYPE_ARP);
        ArpPacket arp = new ArpPacket().wrap(m, 14, 28).emit(op, sha & mask, spa, tha & mask, tpa);
        assertEquals(dst & mask, eth.destination());
        assertEquals(src & mask, eth.source());
        assertTrue(arp.isValid());
        assertEquals(op, arp.operation());
        assertEquals(sha & mask, arp.senderMac());
        assertEquals(spa, arp.senderIp());
        assertEquals(tha & mask, arp.targetMac());
        assertEquals(tpa, arp.targetIp());
        assertEquals(mask & sha, MacAddress.parse(MacAddress.toString(sha & mask)));
    }

    @Property(tries = 300, seed = "20261121")
    void udpAndIcmpRoundTrip(@ForAll @IntRange(max = 65535) int sp, @ForAll @IntRange(max = 65535) int dp,
                             @ForAll @Size(max = 64) byte[] payload, @ForAll int srcIp, @ForAll int dstIp,
                             @ForAll @IntRange(max = 65535) int ident, @ForAll @IntRange(max = 65535) int seq) {
        int len = 8 + payload.length;
        MemorySegment m = MemorySegment.ofArray(new byte[len]);
        MemorySegment.copy(MemorySegment.ofArray(payload), 0, m, 8, payload.length);
        UdpHeader udp = new UdpHeader().wrap(m, 0, len).emit(sp, dp, len).fillChecksum(srcIp, dstIp);
        assertTrue(udp.isValid());
        assertEquals(sp, udp.sourcePort());
        assertEquals(dp, udp.destinationPort());
        assertEquals(len, udp.length());
        assertTrue(udp.checksum() != 0);
        assertTrue(udp.checksumValid(srcIp, dstIp));

        IcmpPacket icmp = new IcmpPacket().wrap(m, 0, len).emitEcho(IcmpPacket.TYPE_ECHO_REPLY, ident, seq).fillChecksum();
        assertTrue(icmp.isValid());
        assertTrue(icmp.checksumValid());
        assertEquals(ident, icmp.echoIdentifier());
        assertEquals(seq, icmp.echoSequence());
    }

    @Property(tries = 1000, seed = "20261121")
    void checkingRandomBytesNeverThrows(@ForAll @Size(max = 120) byte[] bytes, @ForAll @IntRange(max = 130) int claimed) {
        MemorySegment m = MemorySegment.ofArray(bytes);
        int n = bytes.length;
        // Claimed lengths beyond the memory must be refused, not read.
        new EthernetFrame().wrap(m, 0, claimed).isValid();
        new ArpPacket().wrap(m, 0, claimed).check();
        Ipv4Header ip = new Ipv4Header().wrap(m, 0, claimed);
        if (ip.check() == Ipv4Header.Check.OK) {
            ip.checksumValid();
            ip.payloadLength();
        }
        IcmpPacket icmp = new IcmpPacket().wrap(m, 0, Math.min(claimed, n));
        if (icmp.isValid()) icmp.checksumValid();
        icmp.parseQuoted();
        UdpHeader udp = new UdpHeader().wrap(m, 0, claimed);
        if (udp.isValid()) udp.checksumValid(1, 2);
    }
}
