package io.dmm.stack.userspace.iface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.wire.Ipv4Address;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LocalDeliveryTest extends InterfaceFixture {

    @Test
    void packetsToOurOwnAddressLoopBackInOrderWithoutTheDevice() {
        AtomicInteger notified = new AtomicInteger();
        iface.setLocalNotifier(notified::incrementAndGet);
        for (int i = 1; i <= 3; i++) {
            assertTrue(send(OUR_IP, 17, Frames.udp(OUR_IP, OUR_IP, 7, 8, new byte[] {(byte) i})));
        }
        assertEquals(1, notified.get(), "once when the queue became non-empty");
        assertEquals(3, iface.localPending());
        assertTrue(udp.deliveries.isEmpty(), "not delivered inside send");
        assertEquals(Long.MAX_VALUE, iface.poll(clock.nanos()), "all delivered, nothing left to do");
        assertEquals(3, udp.deliveries.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(i + 1, udp.deliveries.get(i).bytes()[8]);
            assertEquals(OUR_IP, udp.deliveries.get(i).src());
            assertTrue(udp.deliveries.get(i).verified(), "looped back: nothing to verify");
        }
        assertTrue(device.takeSent().isEmpty());
        assertEquals(0, device.outstanding());
        assertEquals(0, count(Counter.ARP_REQUESTS_SENT));
    }

    @Test
    void pollAsksToRunAgainWhileLocalPacketsRemain() {
        InterfaceFixture f = new InterfaceFixture(InterfaceConfig.builder().address("10.0.0.1/24").localQueueSize(2).build());
        f.udp.onIngress = () -> f.send(OUR_IP, 17, new byte[8]);  // each delivery queues another: a ping-pong
        f.send(OUR_IP, 17, new byte[8]);
        long now = f.clock.nanos();
        assertEquals(now, f.iface.poll(now), "bounded per call, so it reports more work now");
        assertEquals(2, f.udp.deliveries.size());
        f.udp.onIngress = null;
        assertEquals(Long.MAX_VALUE, f.iface.poll(now));
        assertEquals(3, f.udp.deliveries.size());
    }

    @Test
    void aReplySentDuringLocalDeliveryIsDeliveredAfterIt() {
        tcp.onIngress = () -> {
            if (tcp.deliveries.size() == 1) send(OUR_IP, 6, new byte[] {2});
        };
        send(OUR_IP, 6, new byte[] {1});
        iface.drainLocal();
        assertEquals(2, tcp.deliveries.size());
        assertArrayEquals(new byte[] {2}, tcp.deliveries.get(1).bytes());
    }

    @Test
    void aLocalReplyFromReceivedTrafficIsDeliveredAtTheEndOfTheFrame() {
        udp.onIngress = () -> {
            if (udp.deliveries.size() == 1) send(OUR_IP, 6, new byte[] {5});
        };
        inject(Frames.ipv4(OUR_MAC, PEER_MAC, PEER_IP, OUR_IP, 17, Frames.udp(PEER_IP, OUR_IP, 1, 2, new byte[0])));
        assertEquals(1, tcp.deliveries.size());
        assertEquals(0, iface.localPending());
    }

    @Test
    void pingingOurselvesWorks() {
        send(OUR_IP, 1, Frames.icmpEcho(8, 1, 1, new byte[] {1, 2, 3}));
        iface.drainLocal();
        assertEquals(1, count(Counter.ICMP_ECHO_REPLIES_SENT));
        iface.drainLocal();
        assertEquals(2, count(Counter.ICMP_RX), "the request, then our own reply");
        assertTrue(device.takeSent().isEmpty());
    }

    @Test
    void theLoopbackNetIsLocalWhenConfigured() {
        InterfaceFixture f = new InterfaceFixture(InterfaceConfig.builder().address("10.0.0.1/24").loopbackNet(true).build());
        int lo = Ipv4Address.parse("127.0.0.1");
        assertTrue(f.iface.isLocalAddress(lo));
        f.send(lo, 17, Frames.udp(OUR_IP, lo, 7, 8, new byte[0]));
        f.iface.drainLocal();
        assertEquals(1, f.udp.deliveries.size());
        assertEquals(lo, f.udp.deliveries.get(0).dst());
        assertFalse(iface.isLocalAddress(lo), "not without the option");
    }

    @Test
    void aFullLocalQueueRefusesNewPackets() {
        InterfaceFixture f = new InterfaceFixture(InterfaceConfig.builder().address("10.0.0.1/24").localQueueSize(2).build());
        assertTrue(f.send(OUR_IP, 17, new byte[8]));
        assertTrue(f.send(OUR_IP, 17, new byte[8]));
        assertFalse(f.send(OUR_IP, 17, new byte[8]));
        assertEquals(1, f.count(Counter.DROP_TX_NO_BUFFER));
        f.iface.drainLocal();
        assertEquals(2, f.udp.deliveries.size());
    }
}
