package io.dmm.stack.userspace.iface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.wire.GoldenBytes;
import io.dmm.stack.userspace.wire.MacAddress;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArpTest extends InterfaceFixture {

    @Test
    void requestForOurAddressIsAnsweredAndTheAskerLearned() {
        inject(Frames.arp(1, MacAddress.BROADCAST, PEER_MAC, PEER_IP, 0, OUR_IP));
        List<byte[]> out = device.takeSent();
        assertEquals(1, out.size());
        // who-has 10.0.0.1 tell 10.0.0.2 -> 10.0.0.1 is-at 02:00:00:00:00:01, unicast to the asker
        assertEquals(GoldenBytes.normalize("""
                020000000002 020000000001 0806
                0001 0800 06 04 0002
                020000000001 0a000001
                020000000002 0a000002
                """), GoldenBytes.of(MemorySegment.ofArray(out.get(0)), 0, 42));
        assertEquals(PEER_MAC, iface.arpLookup(PEER_IP));
        assertEquals(1, count(Counter.ARP_RX));
        assertEquals(1, count(Counter.ARP_REPLIES_SENT));
        assertEquals(0, device.outstanding());
    }

    @Test
    void requestForAnotherHostIsIgnoredAndNotLearned() {
        inject(Frames.arp(1, MacAddress.BROADCAST, PEER_MAC, PEER_IP, 0, GATEWAY_IP));
        assertTrue(device.takeSent().isEmpty());
        assertEquals(-1, iface.arpLookup(PEER_IP));
        assertEquals(1, count(Counter.ARP_RX));
    }

    @Test
    void packetsWaitForResolutionAndGoOutInOrder() {
        for (int i = 1; i <= 3; i++) assertTrue(send(PEER_IP, 17, new byte[] {(byte) i, 0, 0, 0, 0, 0, 0, 0}));
        List<byte[]> out = device.takeSent();
        assertEquals(1, out.size(), "one request for three packets");
        assertArrayEquals(Frames.arp(1, MacAddress.BROADCAST, OUR_MAC, OUR_IP, 0, PEER_IP), out.get(0));
        assertEquals(0, device.outstanding(), "queued frames do not hold device buffers");

        inject(Frames.arp(2, OUR_MAC, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP));
        out = device.takeSent();
        assertEquals(3, out.size());
        for (int i = 0; i < 3; i++) {
            byte[] f = out.get(i);
            assertEquals(PEER_MAC, mac(f, 0));
            assertEquals(OUR_MAC, mac(f, 6));
            assertEquals(PEER_IP, i32(f, 30));
            assertEquals(i + 1, f[34], "sent in order");
        }
        assertEquals(3, count(Counter.IPV4_TX));
        assertEquals(4, count(Counter.TX_FRAMES));
        assertEquals(Long.MAX_VALUE, iface.poll(clock.nanos()));
    }

    @Test
    void unansweredRequestsAreRetriedThenThePacketsDropped() {
        send(PEER_IP, 17, new byte[8]);
        send(PEER_IP, 17, new byte[8]);
        long t0 = clock.nanos();
        assertEquals(1, device.takeSent().size());
        assertEquals(t0 + SECOND, iface.poll(t0 + SECOND / 2), "next retry after the interval");
        assertTrue(device.takeSent().isEmpty());
        clock.advanceMillis(1000);
        iface.poll(clock.nanos());
        clock.advanceMillis(1000);
        iface.poll(clock.nanos());
        assertEquals(2, device.takeSent().size(), "requests 2 and 3");
        assertEquals(3, count(Counter.ARP_REQUESTS_SENT));
        clock.advanceMillis(1000);
        assertEquals(Long.MAX_VALUE, iface.poll(clock.nanos()));
        assertTrue(device.takeSent().isEmpty());
        assertEquals(2, count(Counter.DROP_ARP_UNRESOLVED));
        // a later reply finds nothing waiting, and the table has room again
        inject(Frames.arp(2, OUR_MAC, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP));
        assertTrue(device.takeSent().isEmpty());
    }

    @Test
    void aStaleEntryIsStillUsedWhileAUnicastProbeConfirmsIt() {
        learnPeer();
        send(PEER_IP, 17, new byte[8]);
        assertEquals(1, device.takeSent().size(), "sent directly");
        clock.advanceMillis(59_999);
        send(PEER_IP, 17, new byte[8]);
        assertEquals(PEER_MAC, mac(device.takeSent().get(0), 0));
        clock.advanceMillis(1);
        assertEquals(Long.MAX_VALUE, iface.poll(clock.nanos()), "a stale entry costs no timer until it is used");
        // stale: the frame goes out at once, to the MAC we know, and a request is unicast there
        send(PEER_IP, 17, new byte[] {9, 0, 0, 0, 0, 0, 0, 0});
        List<byte[]> out = device.takeSent();
        assertEquals(2, out.size());
        assertArrayEquals(Frames.arp(1, PEER_MAC, OUR_MAC, OUR_IP, 0, PEER_IP), out.get(0));
        assertEquals(PEER_MAC, mac(out.get(1), 0));
        assertEquals(9, out.get(1)[34]);
        send(PEER_IP, 17, new byte[8]);
        assertEquals(1, device.takeSent().size(), "one probe out at a time; frames go on meanwhile");
        assertEquals(0, iface.framesAwaitingArp());
        assertEquals(0, count(Counter.DROP_ARP_QUEUE_FULL));
        // the answer makes it fresh again: no more probes
        inject(Frames.arp(2, OUR_MAC, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP));
        clock.advanceMillis(5_000);
        assertEquals(Long.MAX_VALUE, iface.poll(clock.nanos()));
        send(PEER_IP, 17, new byte[8]);
        assertEquals(1, device.takeSent().size());
        assertEquals(1, count(Counter.ARP_REQUESTS_SENT), "the one probe (learning the peer asked nothing)");
    }

    @Test
    void aProbedNeighbourThatStopsAnsweringIsForgottenAndAskedForByBroadcast() {
        learnPeer();
        clock.advanceMillis(60_000);
        send(PEER_IP, 17, new byte[8]);
        assertEquals(2, device.takeSent().size(), "the probe and the frame");
        for (int i = 0; i < 2; i++) {
            clock.advanceMillis(1_000);
            iface.poll(clock.nanos());
            List<byte[]> out = device.takeSent();
            assertEquals(1, out.size());
            assertArrayEquals(Frames.arp(1, PEER_MAC, OUR_MAC, OUR_IP, 0, PEER_IP), out.get(0), "probe " + (i + 2));
        }
        clock.advanceMillis(1_000);
        assertEquals(Long.MAX_VALUE, iface.poll(clock.nanos()), "three probes unanswered: forgotten");
        assertEquals(-1, iface.arpLookup(PEER_IP));
        send(PEER_IP, 17, new byte[] {7, 0, 0, 0, 0, 0, 0, 0});
        List<byte[]> out = device.takeSent();
        assertEquals(1, out.size(), "the frame waits now");
        assertArrayEquals(Frames.arp(1, MacAddress.BROADCAST, OUR_MAC, OUR_IP, 0, PEER_IP), out.get(0));
        inject(Frames.arp(2, OUR_MAC, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP));
        assertEquals(7, device.takeSent().get(0)[34]);
    }

    @Test
    void aStaleEntryNobodyUsesForALifetimeIsForgotten() {
        learnPeer();
        clock.advanceMillis(119_999);
        iface.poll(clock.nanos());
        assertEquals(PEER_MAC, iface.arpLookup(PEER_IP));
        clock.advanceMillis(1);
        iface.poll(clock.nanos());
        assertEquals(-1, iface.arpLookup(PEER_IP));
        assertTrue(device.takeSent().isEmpty());
    }

    @Test
    void gratuitousArpUpdatesKnownEntriesOnly() {
        learnPeer();
        long newMac = MacAddress.parse("02:00:00:00:00:22");
        inject(Frames.arp(1, MacAddress.BROADCAST, newMac, PEER_IP, 0, PEER_IP));
        assertEquals(newMac, iface.arpLookup(PEER_IP));
        int stranger = PEER_IP + 5;
        inject(Frames.arp(1, MacAddress.BROADCAST, newMac + 1, stranger, 0, stranger));
        assertEquals(-1, iface.arpLookup(stranger), "RFC 826: only requests for us create entries");
        assertTrue(device.takeSent().isEmpty(), "gratuitous ARP is not answered");
    }

    @Test
    void replyFromAnotherHostStillRefreshesAWaitingEntry() {
        send(PEER_IP, 17, new byte[8]);
        device.takeSent();
        inject(Frames.arp(2, MacAddress.BROADCAST, PEER_MAC, PEER_IP, 0, PEER_IP));  // gratuitous reply
        assertEquals(1, device.takeSent().size(), "the waiting packet went out");
    }

    @Test
    void malformedArpIsDroppedAndCounted() {
        byte[] f = Frames.arp(1, MacAddress.BROADCAST, PEER_MAC, PEER_IP, 0, OUR_IP);
        inject(java.util.Arrays.copyOf(f, 30));
        f[14 + 5] = 16;  // protocol address length
        inject(f);
        inject(Frames.arp(1, MacAddress.BROADCAST, MacAddress.BROADCAST, PEER_IP, 0, OUR_IP));  // group sender
        assertEquals(3, count(Counter.DROP_ARP_MALFORMED));
        assertTrue(device.takeSent().isEmpty());
        assertEquals(-1, iface.arpLookup(PEER_IP));
    }

    @Test
    void perAddressQueueIsBounded() {
        InterfaceFixture f = new InterfaceFixture(InterfaceConfig.builder().address("10.0.0.1/24").pendingPerAddress(2).build());
        for (int i = 0; i < 4; i++) f.send(PEER_IP, 17, new byte[8]);
        assertEquals(2, f.count(Counter.DROP_ARP_QUEUE_FULL));
        assertEquals(0, f.device.outstanding());
        f.inject(Frames.arp(2, OUR_MAC, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP));
        assertEquals(3, f.device.takeSent().size(), "request + the 2 kept");
    }

    @Test
    void flushingFreesBuffersWhenMoreFramesWaitThanTheDeviceHasBuffers() {
        InterfaceFixture f = new InterfaceFixture();
        FakeDevice small = new FakeDevice(OUR_MAC, 1500, 2);
        small.buffersReturnOnFlush = true;
        Ipv4Interface iface = new Ipv4Interface(small, InterfaceConfig.builder().address("10.0.0.1/24").build(), f.clock, f.counters);
        for (int i = 1; i <= 5; i++) {
            iface.begin(0, PEER_IP, 17);
            iface.memory().set(java.lang.foreign.ValueLayout.JAVA_BYTE, iface.l4Offset(), (byte) i);
            iface.send(8);
        }
        small.takeSent();
        byte[] reply = Frames.arp(2, OUR_MAC, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP);
        iface.frame(MemorySegment.ofArray(reply), 0, reply.length, false);
        List<byte[]> out = small.takeSent();
        assertEquals(5, out.size());
        for (int i = 0; i < 5; i++) assertEquals(i + 1, out.get(i)[34]);
        assertEquals(0, f.count(Counter.DROP_TX_NO_BUFFER));
    }

    @Test
    void addressProbesAreAnsweredButTeachNothing() {
        // RFC 5227 probe: "who has 10.0.0.1?" from a host without an address yet (sender IP 0)
        inject(Frames.arp(1, MacAddress.BROADCAST, PEER_MAC, 0, 0, OUR_IP));
        List<byte[]> out = device.takeSent();
        assertEquals(1, out.size());
        assertArrayEquals(Frames.arp(2, PEER_MAC, OUR_MAC, OUR_IP, PEER_MAC, 0), out.get(0));
        assertEquals(-1, iface.arpLookup(0));
    }

    @Test
    void claimsOnOurOwnAddressAreNotLearned() {
        inject(Frames.arp(1, MacAddress.BROADCAST, PEER_MAC, OUR_IP, 0, OUR_IP));
        assertEquals(-1, iface.arpLookup(OUR_IP));
        assertTrue(send(OUR_IP, 17, new byte[8]), "our address stays local");
        assertTrue(device.takeSent().isEmpty());
    }

    @Test
    void thePendingArenaIsBoundedOverall() {
        InterfaceFixture f = new InterfaceFixture(InterfaceConfig.builder().address("10.0.0.1/24").pendingTotal(3).build());
        for (int i = 0; i < 2; i++) {
            f.send(PEER_IP, 17, new byte[8]);
            f.send(PEER_IP + 1, 17, new byte[8]);
        }
        assertEquals(1, f.count(Counter.DROP_ARP_QUEUE_FULL));
        assertEquals(2, f.count(Counter.ARP_REQUESTS_SENT));
    }

    @Test
    void aFullTableGivesUpItsLongestUnansweredEntryBeforeAResolvedOne() {
        InterfaceFixture f = new InterfaceFixture(InterfaceConfig.builder().address("10.0.0.1/24").arpCacheSize(2).build());
        f.send(PEER_IP, 17, new byte[8]);
        f.inject(Frames.arp(2, OUR_MAC, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP));
        f.send(PEER_IP + 1, 17, new byte[8]);  // never answers
        f.send(PEER_IP + 2, 17, new byte[8]);  // takes PEER_IP + 1's entry, whose frame is dropped
        assertEquals(1, f.count(Counter.DROP_ARP_UNRESOLVED));
        f.send(PEER_IP + 3, 17, new byte[8]);  // and then PEER_IP + 2's: the resolved neighbour stays
        assertEquals(2, f.count(Counter.DROP_ARP_UNRESOLVED));
        assertEquals(PEER_MAC, f.iface.arpLookup(PEER_IP));
        assertEquals(0, f.count(Counter.DROP_ARP_QUEUE_FULL));
        assertEquals(1, f.iface.framesAwaitingArp());

        f.inject(Frames.arp(2, OUR_MAC, PEER_MAC + 3, PEER_IP + 3, OUR_MAC, OUR_IP));
        f.send(PEER_IP + 4, 17, new byte[8]);  // no entry unanswered: the resolved one closest to expiry goes
        assertEquals(-1, f.iface.arpLookup(PEER_IP));
        assertEquals(PEER_MAC + 3, f.iface.arpLookup(PEER_IP + 3));
    }

    @Test
    void receiveTakesFramesFromTheDevice() {
        device.rxQueue.add(Frames.arp(1, MacAddress.BROADCAST, PEER_MAC, PEER_IP, 0, OUR_IP));
        device.rxQueue.add(Frames.arp(1, MacAddress.BROADCAST, PEER_MAC + 1, PEER_IP + 1, 0, OUR_IP));
        assertEquals(1, iface.receive(1));
        assertEquals(1, iface.receive(8));
        assertEquals(0, iface.receive(8));
        assertEquals(2, device.takeSent().size());
        assertEquals(2, count(Counter.RX_FRAMES));
    }
}
