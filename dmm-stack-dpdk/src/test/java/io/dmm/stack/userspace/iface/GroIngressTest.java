package io.dmm.stack.userspace.iface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.Counter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GRO in the interface: a device burst's in-order TCP segments reach TCP merged, and only then. */
class GroIngressTest {
    static final InterfaceConfig CONFIG = InterfaceConfig.builder().address("10.0.0.1/24").gateway("10.0.0.254").build();

    static byte[] frame(TcpCoalescerTest.Tcp t) {
        MemorySegment m = t.bytes();
        return Frames.ipv4(InterfaceFixture.OUR_MAC, InterfaceFixture.PEER_MAC, InterfaceFixture.PEER_IP,
                InterfaceFixture.OUR_IP, 6, m.toArray(ValueLayout.JAVA_BYTE));
    }

    static void burstOfThreeAndAUdpDatagram(InterfaceFixture f) {
        for (int i = 0; i < 3; i++) f.device.rxQueue.add(frame(TcpCoalescerTest.tcp().seq(1000 + 100 * i)));
        f.device.rxQueue.add(Frames.ipv4(InterfaceFixture.OUR_MAC, InterfaceFixture.PEER_MAC, InterfaceFixture.PEER_IP,
                InterfaceFixture.OUR_IP, 17, Frames.udp(InterfaceFixture.PEER_IP, InterfaceFixture.OUR_IP, 5, 6, new byte[4])));
        assertEquals(4, f.iface.receive(32));
    }

    @Test
    void aBurstsInOrderSegmentsReachTcpMerged() {
        InterfaceFixture f = new InterfaceFixture(CONFIG, true);
        burstOfThreeAndAUdpDatagram(f);
        assertEquals(List.of(3), f.tcp.batches);
        assertEquals(3, f.tcp.deliveries.size());
        assertEquals(1, f.udp.deliveries.size(), "UDP is not held");
        assertEquals(2, f.count(Counter.TCP_GRO_MERGED));
    }

    @Test
    void aDeviceThatReleasesEachFrameGetsNoGro() {
        InterfaceFixture f = new InterfaceFixture(CONFIG, false);
        burstOfThreeAndAUdpDatagram(f);
        assertTrue(f.tcp.batches.isEmpty());
        assertEquals(3, f.tcp.deliveries.size());
        assertEquals(0, f.count(Counter.TCP_GRO_MERGED));
    }
}
