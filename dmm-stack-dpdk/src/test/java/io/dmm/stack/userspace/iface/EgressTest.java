package io.dmm.stack.userspace.iface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.wire.Ipv4Address;
import io.dmm.stack.userspace.wire.Ipv4Header;
import io.dmm.stack.userspace.wire.MacAddress;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

class EgressTest extends InterfaceFixture {

    @Test
    void onLinkPacketsGetAValidHeader() {
        learnPeer();
        assertTrue(send(PEER_IP, 17, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        send(PEER_IP, 17, new byte[8]);
        List<byte[]> out = device.takeSent();
        assertEquals(2, out.size());
        byte[] f = out.get(0);
        assertEquals(14 + 20 + 8, f.length);
        Ipv4Header ip = new Ipv4Header().wrap(MemorySegment.ofArray(f), 14, f.length - 14);
        assertTrue(ip.isValid() && ip.checksumValid());
        assertEquals(OUR_IP, ip.source());
        assertEquals(PEER_IP, ip.destination());
        assertEquals(17, ip.protocol());
        assertEquals(64, ip.ttl());
        assertTrue(ip.dontFragment());
        assertEquals(28, ip.totalLength());
        assertEquals((ip.identification() + 1) & 0xFFFF, u16(out.get(1), 18), "ids count up");
        assertEquals(PEER_MAC, mac(f, 0));
        assertEquals(0x0800, u16(f, 12));
        assertEquals(2, count(Counter.IPV4_TX));
    }

    /** A socket's IP_TOS goes into the header of its packet only: the next packet starts at 0 again. */
    @Test
    void theTypeOfServiceOfAPacketIsInItsHeader() {
        learnPeer();
        assertTrue(iface.begin(0, PEER_IP, 6));
        iface.ipFields(-1, 0xB9, true);
        iface.send(20);
        send(PEER_IP, 6, new byte[20]);
        List<byte[]> out = device.takeSent();
        Ipv4Header first = new Ipv4Header().wrap(MemorySegment.ofArray(out.get(0)), 14, 40);
        assertTrue(first.checksumValid(), "the checksum covers the TOS byte");
        assertEquals(0xB9, out.get(0)[15] & 0xFF);
        assertEquals(0, out.get(1)[15] & 0xFF);
        assertThrows(IllegalStateException.class, () -> iface.ipFields(-1, 4, true), "no packet open");
    }

    @Test
    void noRouteWithoutAGateway() {
        InterfaceFixture f = new InterfaceFixture(InterfaceConfig.builder().address("10.0.0.1/24").build());
        assertFalse(f.iface.begin(0, REMOTE_IP, 17));
        assertEquals(1, f.count(Counter.DROP_IPV4_NO_ROUTE));
        assertEquals(0, f.device.outstanding());
        assertTrue(f.send(PEER_IP, 17, new byte[8]), "on-link still works");
    }

    @Test
    void offSubnetGoesThroughTheGateway() {
        send(REMOTE_IP, 17, new byte[8]);
        List<byte[]> out = device.takeSent();
        assertArrayEquals(Frames.arp(1, MacAddress.BROADCAST, OUR_MAC, OUR_IP, 0, GATEWAY_IP), out.get(0));
        inject(Frames.arp(2, OUR_MAC, GATEWAY_MAC, GATEWAY_IP, OUR_MAC, OUR_IP));
        byte[] f = device.takeSent().get(0);
        assertEquals(GATEWAY_MAC, mac(f, 0));
        assertEquals(REMOTE_IP, i32(f, 30), "the IP destination stays the remote host");
    }

    @Test
    void broadcastsUseTheBroadcastMacWithoutArp() {
        send(Ipv4Address.BROADCAST, 17, new byte[8]);
        send(Ipv4Address.parse("10.0.0.255"), 17, new byte[8]);
        List<byte[]> out = device.takeSent();
        assertEquals(2, out.size());
        for (byte[] f : out) assertEquals(MacAddress.BROADCAST, mac(f, 0));
        assertEquals(0, count(Counter.ARP_REQUESTS_SENT));
    }

    @Test
    void noTransmitBufferMeansFalse() {
        device.holdAllBuffers();
        assertFalse(iface.begin(0, PEER_IP, 17));
        assertEquals(1, count(Counter.DROP_TX_NO_BUFFER));
    }

    @Test
    void abortGivesTheBufferBack() {
        assertTrue(iface.begin(0, PEER_IP, 17));
        assertEquals(1, device.outstanding());
        iface.abort();
        assertEquals(0, device.outstanding());
        assertTrue(device.takeSent().isEmpty());
    }

    @Test
    void contractMisuseIsRefusedClearly() {
        assertThrows(IllegalStateException.class, () -> iface.send(8));
        assertTrue(iface.begin(0, PEER_IP, 17));
        assertThrows(IllegalStateException.class, () -> iface.begin(0, PEER_IP, 17));
        assertThrows(IllegalArgumentException.class, () -> iface.send(iface.l4Capacity() + 1));
        iface.abort();
        assertThrows(IllegalArgumentException.class, () -> iface.setTransport(1, udp));
    }

    @Test
    void accessorsDescribeTheInterface() {
        assertEquals(1500, iface.mtu());
        assertEquals(1480, iface.l4Capacity());
        assertEquals(OUR_MAC, iface.macAddress());
        assertEquals(1, iface.addressCount());
        assertEquals(OUR_IP, iface.address(0));
        assertEquals(24, iface.prefix(0));
        assertEquals(OUR_IP, iface.sourceAddressFor(REMOTE_IP));
        assertTrue(iface.isLocalAddress(OUR_IP));
        assertFalse(iface.isLocalAddress(PEER_IP));
        assertFalse(iface.txChecksumOffload());
        device.offload = true;
        assertTrue(iface.txChecksumOffload());
    }

    @Test
    void sourceAddressFollowsTheSubnet() {
        InterfaceFixture f = new InterfaceFixture(InterfaceConfig.builder()
                .address("10.0.0.1/24").address("172.16.0.1/16").gateway("172.16.0.254").build());
        assertEquals(Ipv4Address.parse("172.16.0.1"), f.iface.sourceAddressFor(Ipv4Address.parse("172.16.9.9")));
        assertEquals(OUR_IP, f.iface.sourceAddressFor(REMOTE_IP));
        f.send(Ipv4Address.parse("172.16.9.9"), 17, new byte[8]);
        byte[] req = f.device.takeSent().get(0);
        assertEquals(Ipv4Address.parse("172.16.0.1"), i32(req, 28), "ARP asks from the address on that subnet");
    }

    @Test
    void sendsOutsideProcessingAreFlushedAtOnceAndInsideProcessingOnce() {
        learnPeer();
        int before = device.flushes;
        send(PEER_IP, 17, new byte[8]);
        assertEquals(before + 1, device.flushes);
        // three replies from one received frame: one flush
        udp.onIngress = () -> {
            for (int i = 0; i < 3; i++) send(PEER_IP, 17, new byte[8]);
        };
        inject(Frames.ipv4(OUR_MAC, PEER_MAC, PEER_IP, OUR_IP, 17, Frames.udp(PEER_IP, OUR_IP, 1, 2, new byte[0])));
        assertEquals(before + 2, device.flushes);
        assertEquals(4, device.takeSent().size());
    }

    @Test
    void multicastGoesToTheGroupMacWithoutArp() {
        InterfaceFixture f = new InterfaceFixture(InterfaceConfig.builder().address("10.0.0.1/24").build());
        assertTrue(f.send(Ipv4Address.parse("239.129.2.3"), 17, new byte[8]), "no gateway needed");
        byte[] out = f.device.takeSent().get(0);
        assertEquals(MacAddress.parse("01:00:5e:01:02:03"), mac(out, 0), "the low 23 bits of the group");
        assertEquals(0, f.count(Counter.ARP_REQUESTS_SENT));
        assertFalse(f.iface.begin(0, Ipv4Address.parse("240.0.0.1"), 17), "class E is not routable");
        assertFalse(f.iface.begin(0, 0, 17));
        assertEquals(2, f.count(Counter.DROP_IPV4_NO_ROUTE));
    }
}
