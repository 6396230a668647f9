package io.dmm.stack.userspace.iface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.Counter;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The fast paths allocate nothing once warm: UDP in and out, echo request to reply, ARP answers,
 * and local loopback. Measured with the JVM's per-thread allocation counter.
 */
class SteadyStateAllocationTest extends InterfaceFixture {
    static final int ROUNDS = 10_000;

    /** Takes everything and answers what came from the wire with a copy, allocating nothing. */
    final class EchoTransport implements TransportHandler {
        long seen;

        @Override
        public boolean ingress(MemorySegment memory, long offset, int length, int srcIp, int dstIp, boolean verified) {
            seen++;
            if (srcIp != dstIp && iface.begin(dstIp, srcIp, 17)) {
                MemorySegment.copy(memory, offset, iface.memory(), iface.l4Offset(), length);
                iface.send(length);
            }
            return true;
        }

        @Override
        public void destinationUnreachable(int code, int srcIp, int srcPort, int dstIp, int dstPort) { }
    }

    @Test
    void warmPathsDoNotAllocate() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported(), "HotSpot counts allocation per thread");
        EchoTransport echo = new EchoTransport();
        iface.setTransport(17, echo);
        learnPeer();
        device.record = false;
        MemorySegment udpFrame = MemorySegment.ofArray(
                Frames.ipv4(OUR_MAC, PEER_MAC, PEER_IP, OUR_IP, 17, Frames.udp(PEER_IP, OUR_IP, 1, 2, new byte[64])));
        MemorySegment ping = MemorySegment.ofArray(
                Frames.ipv4(OUR_MAC, PEER_MAC, PEER_IP, OUR_IP, 1, Frames.icmpEcho(8, 1, 1, new byte[56])));
        MemorySegment arpRequest = MemorySegment.ofArray(
                Frames.arp(1, io.dmm.stack.userspace.wire.MacAddress.BROADCAST, PEER_MAC, PEER_IP, 0, OUR_IP));
        byte[] local = Frames.udp(OUR_IP, OUR_IP, 1, 2, new byte[16]);
        MemorySegment localSeg = MemorySegment.ofArray(local);

        runRounds(udpFrame, ping, arpRequest, localSeg, local.length);  // warm up (JIT)
        long before = threads.getCurrentThreadAllocatedBytes();
        runRounds(udpFrame, ping, arpRequest, localSeg, local.length);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(2L * ROUNDS * 3, echo.seen, "each round: two datagrams from the wire, one looped back");
        assertEquals(2L * ROUNDS * 2 + 1, count(Counter.ARP_REPLIES_SENT) + count(Counter.ICMP_ECHO_REPLIES_SENT));
        assertEquals(0, count(Counter.DROP_TX_NO_BUFFER));
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes over " + ROUNDS + " rounds");
    }

    private void runRounds(MemorySegment udpFrame, MemorySegment ping, MemorySegment arpRequest,
                           MemorySegment local, int localLength) {
        int n = (int) udpFrame.byteSize();
        int p = (int) ping.byteSize();
        for (int i = 0; i < ROUNDS; i++) {
            iface.frame(udpFrame, 0, n, false);
            iface.frame(ping, 0, p, false);
            iface.frame(arpRequest, 0, 42, false);
            // one datagram to ourselves, delivered by poll
            iface.begin(OUR_IP, OUR_IP, 17);
            MemorySegment.copy(local, 0, iface.memory(), iface.l4Offset(), localLength);
            iface.send(localLength);
            iface.poll(clock.nanos());
            iface.frame(udpFrame, 0, n, false);
        }
    }
}
