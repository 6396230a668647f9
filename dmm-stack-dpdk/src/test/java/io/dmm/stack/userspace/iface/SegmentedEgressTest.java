package io.dmm.stack.userspace.iface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.wire.Ipv4Address;
import io.dmm.stack.userspace.wire.Ipv4Header;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** TCP segmentation offload through the interface: when it opens a large packet, and what the device gets. */
class SegmentedEgressTest extends InterfaceFixture {

    @Test
    void aDeviceWithoutTsoOpensNone() {
        learnPeer();
        assertEquals(0, iface.segmentationMaxBytes());
        assertFalse(iface.beginSegmented(0, PEER_IP));
        assertTrue(iface.begin(0, PEER_IP, 6), "nothing was left open");
        iface.abort();
    }

    @Test
    void aLargePacketGetsItsHeadersAndTheSegmentSize() {
        device.tsoMax = 65535;
        learnPeer();
        assertEquals(65535, iface.segmentationMaxBytes());
        long ipv4Before = count(Counter.IPV4_TX), framesBefore = count(Counter.TX_FRAMES);
        assertTrue(iface.beginSegmented(0, PEER_IP));
        assertEquals(65535 - 20, iface.l4Capacity());
        assertThrows(IllegalStateException.class, () -> iface.send(100), "a segmented packet goes with sendSegmented");
        iface.sendSegmented(10_020, 1460);
        assertEquals(1, device.segmented.size());
        byte[] f = device.segmented.get(0);
        assertEquals(14 + 20 + 10_020, f.length);
        assertEquals(1460, device.segmentSizes.get(0));
        Ipv4Header ip = new Ipv4Header().wrap(MemorySegment.ofArray(f), 14, f.length - 14);
        assertTrue(ip.isValid());
        assertEquals(10_040, ip.totalLength());
        assertEquals(OUR_IP, ip.source());
        assertEquals(PEER_IP, ip.destination());
        assertEquals(6, ip.protocol());
        assertTrue(ip.dontFragment());
        assertEquals(PEER_MAC, mac(f, 0));
        assertEquals(ipv4Before + 1, count(Counter.IPV4_TX));
        assertEquals(framesBefore + 1, count(Counter.TX_FRAMES));
        // the device numbers its 7 segments' ids from this one: the next packet's comes after them
        send(PEER_IP, 6, new byte[20]);
        assertEquals((ip.identification() + 7) & 0xFFFF, u16(device.takeSent().get(0), 18));
    }

    @Test
    void noneForOurOwnAddressesBroadcastsOrAnUnresolvedNextHop() {
        device.tsoMax = 65535;
        assertFalse(iface.beginSegmented(0, PEER_IP), "the peer's MAC is not known yet");
        assertFalse(iface.beginSegmented(0, OUR_IP), "local delivery never reaches the device");
        assertFalse(iface.beginSegmented(0, Ipv4Address.parse("10.0.0.255")));
        assertFalse(iface.beginSegmented(0, REMOTE_IP), "the gateway is not resolved");
        assertFalse(device.tsoBufferTaken());
        assertEquals(0, count(Counter.DROP_TX_NO_BUFFER) + count(Counter.DROP_IPV4_NO_ROUTE), "a refusal is no drop");
        assertTrue(device.takeSent().isEmpty(), "no ARP request either: the ordinary packet that follows asks");
    }

    @Test
    void abortGivesTheLargeBufferBack() {
        device.tsoMax = 65535;
        learnPeer();
        assertTrue(iface.beginSegmented(0, PEER_IP));
        iface.abort();
        assertFalse(device.tsoBufferTaken());
        assertTrue(iface.beginSegmented(0, PEER_IP));
        iface.abort();
    }
}
