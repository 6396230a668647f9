package io.dmm.stack.userspace.iface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.wire.GoldenBytes;
import io.dmm.stack.userspace.wire.IcmpPacket;
import io.dmm.stack.userspace.wire.Ipv4Address;
import io.dmm.stack.userspace.wire.Ipv4Header;
import io.dmm.stack.userspace.wire.MacAddress;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class IcmpTest extends InterfaceFixture {

    /** Echo request id 0x04d2 seq 7 with 16 data bytes, from 10.0.0.2 (ICMP checksum worked out by hand). */
    static final String ECHO_REQUEST_ICMP = "0800afdb04d200076162636465666768696a6b6c6d6e6f70";

    @Test
    void echoRequestIsAnsweredByteExact() {
        learnPeer();
        inject(Frames.ipv4(OUR_MAC, PEER_MAC, PEER_IP, OUR_IP, 1, GoldenBytes.bytes(ECHO_REQUEST_ICMP)));
        List<byte[]> out = device.takeSent();
        assertEquals(1, out.size());
        byte[] reply = out.get(0);
        MemorySegment m = MemorySegment.ofArray(reply);
        Ipv4Header ip = new Ipv4Header().wrap(m, 14, reply.length - 14);
        assertTrue(ip.isValid());
        assertTrue(ip.checksumValid());
        // Everything but the IP identification and header checksum (which follow the id counter):
        String expected = GoldenBytes.normalize("""
                020000000002 020000000001 0800
                4500 002c ---- 4000 4001 ---- 0a000001 0a000002
                0000b7db04d200076162636465666768696a6b6c6d6e6f70
                """);
        char[] actual = GoldenBytes.of(m, 0, reply.length).toCharArray();
        for (int at : new int[] {(14 + 4) * 2, (14 + 10) * 2}) Arrays.fill(actual, at, at + 4, '-');
        assertEquals(expected, new String(actual));
        assertEquals(1, count(Counter.ICMP_RX));
        assertEquals(1, count(Counter.ICMP_ECHO_REPLIES_SENT));
    }

    @Test
    void broadcastEchoIsNotAnswered() {
        inject(Frames.ipv4(MacAddress.BROADCAST, PEER_MAC, PEER_IP, Ipv4Address.parse("10.0.0.255"), 1,
                GoldenBytes.bytes(ECHO_REQUEST_ICMP)));
        assertTrue(device.takeSent().isEmpty());
        assertEquals(1, count(Counter.ICMP_RX));
    }

    @Test
    void badIcmpChecksumIsDropped() {
        byte[] icmp = GoldenBytes.bytes(ECHO_REQUEST_ICMP);
        icmp[10] ^= 1;
        inject(Frames.ipv4(OUR_MAC, PEER_MAC, PEER_IP, OUR_IP, 1, icmp));
        inject(Frames.ipv4(OUR_MAC, PEER_MAC, PEER_IP, OUR_IP, 1, new byte[7]));
        assertEquals(1, count(Counter.DROP_ICMP_CHECKSUM));
        assertEquals(1, count(Counter.DROP_ICMP_MALFORMED));
        assertTrue(device.takeSent().isEmpty());
    }

    @Test
    void udpToAClosedPortGetsPortUnreachableQuotingIt() {
        learnPeer();
        udp.accept = false;
        byte[] datagram = Frames.udp(PEER_IP, OUR_IP, 40000, 9999, "closed port please".getBytes());
        byte[] frame = Frames.ipv4(OUR_MAC, PEER_MAC, PEER_IP, OUR_IP, 17, datagram);
        inject(frame);
        List<byte[]> out = device.takeSent();
        assertEquals(1, out.size());
        byte[] f = out.get(0);
        MemorySegment m = MemorySegment.ofArray(f);
        Ipv4Header ip = new Ipv4Header().wrap(m, 14, f.length - 14);
        assertTrue(ip.isValid() && ip.checksumValid());
        assertEquals(OUR_IP, ip.source());
        assertEquals(PEER_IP, ip.destination());
        assertEquals(1, ip.protocol());
        assertEquals(64, ip.ttl());
        IcmpPacket icmp = new IcmpPacket().wrap(m, ip.payloadOffset(), ip.payloadLength());
        assertTrue(icmp.checksumValid());
        assertEquals(3, icmp.type());
        assertEquals(3, icmp.code());
        assertEquals(8 + 20 + 8, ip.payloadLength());
        assertArrayEquals(Arrays.copyOfRange(frame, 14, 14 + 28), Arrays.copyOfRange(f, 42, 42 + 28),
                "the original IPv4 header and first 8 bytes");
        assertEquals(1, count(Counter.ICMP_UNREACHABLE_SENT));
    }

    @Test
    void noUnreachableForBroadcastsOrFromBroadcastSources() {
        udp.accept = false;
        byte[] datagram = Frames.udp(PEER_IP, Ipv4Address.BROADCAST, 68, 67, new byte[4]);
        inject(Frames.ipv4(MacAddress.BROADCAST, PEER_MAC, PEER_IP, Ipv4Address.BROADCAST, 17, datagram));
        assertEquals(1, udp.deliveries.size(), "limited broadcast is delivered");
        inject(Frames.ipv4(MacAddress.BROADCAST, PEER_MAC, PEER_IP, Ipv4Address.parse("10.0.0.255"), 17, datagram));
        assertEquals(2, udp.deliveries.size(), "subnet-directed broadcast is delivered");
        assertTrue(device.takeSent().isEmpty());
        assertEquals(0, count(Counter.ICMP_UNREACHABLE_SENT));
    }

    @Test
    void unknownProtocolGetsProtocolUnreachable() {
        learnPeer();
        byte[] frame = Frames.ipv4(OUR_MAC, PEER_MAC, PEER_IP, OUR_IP, 132, new byte[12]);
        inject(frame);
        assertEquals(1, count(Counter.DROP_IPV4_UNKNOWN_PROTOCOL));
        byte[] f = device.takeSent().get(0);
        assertEquals(3, f[34]);
        assertEquals(2, f[35]);
        assertArrayEquals(Arrays.copyOfRange(frame, 14, 42), Arrays.copyOfRange(f, 42, 70));
    }

    @Test
    void receivedUnreachableReachesTheTransportWithTheQuotedTuple() {
        // We (10.0.0.1:5555) sent UDP to 192.0.2.7:53; the router says port unreachable.
        byte[] sentByUs = Arrays.copyOfRange(
                Frames.ipv4(GATEWAY_MAC, OUR_MAC, OUR_IP, REMOTE_IP, 17, Frames.udp(OUR_IP, REMOTE_IP, 5555, 53, new byte[20])),
                14, 14 + 28);
        inject(Frames.ipv4(OUR_MAC, GATEWAY_MAC, REMOTE_IP, OUR_IP, 1, Frames.icmpUnreachable(3, sentByUs)));
        assertEquals(List.of(new RecordingTransport.Unreachable(3, OUR_IP, 5555, REMOTE_IP, 53)), udp.unreachables);
        assertTrue(tcp.unreachables.isEmpty());
        assertEquals(1, count(Counter.ICMP_UNREACHABLE_RX));
        assertTrue(device.takeSent().isEmpty(), "never an error about an error");

        // TCP, host unreachable
        byte[] tcpQuote = sentByUs.clone();
        tcpQuote[9] = 6;
        inject(Frames.ipv4(OUR_MAC, GATEWAY_MAC, GATEWAY_IP, OUR_IP, 1, Frames.icmpUnreachable(1, tcpQuote)));
        assertEquals(List.of(new RecordingTransport.Unreachable(1, OUR_IP, 5555, REMOTE_IP, 53)), tcp.unreachables);

        // a quote that is not an IPv4 header
        inject(Frames.ipv4(OUR_MAC, GATEWAY_MAC, GATEWAY_IP, OUR_IP, 1, Frames.icmpUnreachable(1, new byte[28])));
        assertEquals(1, count(Counter.DROP_ICMP_MALFORMED));
        // about a packet we did not send
        byte[] notOurs = sentByUs.clone();
        notOurs[15] = 99;
        inject(Frames.ipv4(OUR_MAC, GATEWAY_MAC, GATEWAY_IP, OUR_IP, 1, Frames.icmpUnreachable(3, notOurs)));
        assertEquals(1, udp.unreachables.size());
    }

    @Test
    void errorsAreRateLimited() {
        InterfaceFixture f = new InterfaceFixture(InterfaceConfig.builder().address("10.0.0.1/24").icmpErrorRate(2, 2).build());
        f.learnPeer();
        f.udp.accept = false;
        byte[] frame = Frames.ipv4(OUR_MAC, PEER_MAC, PEER_IP, OUR_IP, 17, Frames.udp(PEER_IP, OUR_IP, 1, 2, new byte[0]));
        for (int i = 0; i < 3; i++) f.inject(frame);
        assertEquals(2, f.count(Counter.ICMP_UNREACHABLE_SENT), "the burst");
        assertEquals(1, f.count(Counter.DROP_ICMP_RATE_LIMITED));
        f.clock.advanceMillis(499);
        f.inject(frame);
        assertEquals(2, f.count(Counter.DROP_ICMP_RATE_LIMITED));
        f.clock.advanceMillis(1);
        f.inject(frame);
        assertEquals(3, f.count(Counter.ICMP_UNREACHABLE_SENT), "one more after half a second at 2/s");
        // echo replies are not errors and are not limited
        for (int i = 0; i < 5; i++) {
            f.inject(Frames.ipv4(OUR_MAC, PEER_MAC, PEER_IP, OUR_IP, 1, GoldenBytes.bytes(ECHO_REQUEST_ICMP)));
        }
        assertEquals(5, f.count(Counter.ICMP_ECHO_REPLIES_SENT));
    }
}
