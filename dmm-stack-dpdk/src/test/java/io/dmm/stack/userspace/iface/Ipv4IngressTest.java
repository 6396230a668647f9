package io.dmm.stack.userspace.iface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.Counter;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Ipv4IngressTest extends InterfaceFixture {
    final byte[] datagram = Frames.udp(PEER_IP, OUR_IP, 1000, 2000, "payload".getBytes());

    byte[] frame() {
        return Frames.ipv4(OUR_MAC, PEER_MAC, PEER_IP, OUR_IP, 17, datagram);
    }

    @Test
    void udpIsHandedUpWithoutEthernetPadding() {
        byte[] padded = Arrays.copyOf(frame(), 64);  // 57 bytes padded to the Ethernet minimum and more
        inject(padded);
        assertEquals(1, udp.deliveries.size());
        RecordingTransport.Delivery d = udp.deliveries.get(0);
        assertArrayEquals(datagram, d.bytes());
        assertEquals(PEER_IP, d.src());
        assertEquals(OUR_IP, d.dst());
        assertFalse(d.verified());
        assertEquals(1, count(Counter.RX_FRAMES));
        assertEquals(64, count(Counter.RX_BYTES));
        assertEquals(1, count(Counter.IPV4_RX));
    }

    @Test
    void deviceVouchingSkipsTheHeaderChecksum() {
        byte[] f = frame();
        f[14 + 11] ^= 0x55;
        inject(f);
        assertEquals(1, count(Counter.DROP_IPV4_CHECKSUM));
        iface.frame(MemorySegment.ofArray(f), 0, f.length, true);
        assertEquals(1, udp.deliveries.size());
        assertTrue(udp.deliveries.get(0).verified());
    }

    @Test
    void malformedFramesAreDroppedByReason() {
        inject(new byte[10]);
        assertEquals(1, count(Counter.DROP_MALFORMED_FRAME));

        byte[] other = frame();
        other[5] = 0x77;  // unicast to another MAC
        inject(other);
        assertEquals(1, count(Counter.DROP_NOT_FOR_US));

        byte[] badIhl = frame();
        badIhl[14] = 0x44;
        inject(badIhl);
        byte[] badVersion = frame();
        badVersion[14] = 0x65;
        inject(badVersion);
        byte[] longTotal = frame();
        longTotal[14 + 3] += 1;
        inject(longTotal);
        inject(Arrays.copyOf(frame(), 14 + 19));  // truncated header
        assertEquals(4, count(Counter.DROP_IPV4_MALFORMED));

        byte[] badSum = frame();
        badSum[14 + 8] = 1;  // TTL changed, checksum stale
        inject(badSum);
        assertEquals(1, count(Counter.DROP_IPV4_CHECKSUM));

        inject(Frames.ipv4(OUR_MAC, PEER_MAC, PEER_IP, PEER_IP + 1, 17, datagram));
        assertEquals(1, count(Counter.DROP_IPV4_NOT_FOR_US));

        inject(Frames.ipv4(OUR_MAC, PEER_MAC, 0xE000_0001, OUR_IP, 17, datagram));  // multicast source
        assertEquals(5, count(Counter.DROP_IPV4_MALFORMED));

        assertTrue(udp.deliveries.isEmpty());
        assertTrue(device.takeSent().isEmpty());
        assertEquals(2, count(Counter.IPV4_RX), "only the two with sound headers were received as IPv4");
    }

    @Test
    void ipv6AndOtherEthertypesAreDropped() {
        byte[] f = frame();
        f[12] = (byte) 0x86;
        f[13] = (byte) 0xDD;
        inject(f);
        f[12] = (byte) 0x81;  // 802.1Q
        f[13] = 0;
        inject(f);
        assertEquals(2, count(Counter.DROP_UNKNOWN_ETHERTYPE));
        assertTrue(udp.deliveries.isEmpty());
    }

    @Test
    void tcpIsHandedUpAndNeverAnsweredWithIcmp() {
        tcp.accept = false;
        inject(Frames.ipv4(OUR_MAC, PEER_MAC, PEER_IP, OUR_IP, 6, new byte[20]));
        assertEquals(1, tcp.deliveries.size());
        assertTrue(device.takeSent().isEmpty());
    }

    @Test
    void headerOptionsAreSkippedAndQuotedWhole() {
        learnPeer();
        udp.accept = false;
        // the same packet with a 4-byte option (NOP NOP NOP EOL): IHL 6
        byte[] plain = frame();
        byte[] f = new byte[plain.length + 4];
        System.arraycopy(plain, 0, f, 0, 34);
        System.arraycopy(plain, 34, f, 38, plain.length - 34);
        f[34] = 1; f[35] = 1; f[36] = 1; f[37] = 0;
        MemorySegment m = MemorySegment.ofArray(f);
        io.dmm.stack.userspace.wire.Ipv4Header ip = new io.dmm.stack.userspace.wire.Ipv4Header().wrap(m, 14, f.length - 14);
        io.dmm.stack.userspace.wire.NetworkOrder.putU8(m, 14, 0x46);
        ip.totalLength(ip.totalLength() + 4).fillChecksum();
        inject(f);
        assertEquals(1, udp.deliveries.size());
        assertArrayEquals(datagram, udp.deliveries.get(0).bytes());
        byte[] icmp = device.takeSent().get(0);
        assertEquals(14 + 20 + 8 + 24 + 8, icmp.length, "header with options, then 8 bytes");
        assertArrayEquals(Arrays.copyOfRange(f, 14, 14 + 32), Arrays.copyOfRange(icmp, 42, 42 + 32));
    }
}
