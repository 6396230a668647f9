package io.dmm.stack.userspace.iface;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.stack.userspace.Counter;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Under any interleaving of sends, ARP replies and the passing of time, every packet handed to
 * the interface is eventually either on the wire or dropped and counted, and the pending arena
 * ends empty.
 */
class ArpAccountingPropertiesTest {

    @Property(tries = 200, seed = "20261121")
    void everyPacketIsSentOrCounted(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int steps) {
        Random rnd = new Random(seed);
        InterfaceFixture f = new InterfaceFixture(InterfaceConfig.builder()
                .address("10.0.0.1/24").gateway("10.0.0.254").pendingPerAddress(4).pendingTotal(10).arpCacheSize(3).build());
        int[] hosts = {InterfaceFixture.PEER_IP, InterfaceFixture.PEER_IP + 1, InterfaceFixture.PEER_IP + 2,
                InterfaceFixture.GATEWAY_IP, InterfaceFixture.REMOTE_IP};
        int ipv4OnWire = 0;
        for (int i = 0; i < steps; i++) {
            switch (rnd.nextInt(4)) {
                case 0, 1 -> f.send(hosts[rnd.nextInt(hosts.length)], 17, new byte[8]);
                case 2 -> {
                    int h = hosts[rnd.nextInt(hosts.length - 1)];  // the remote host never answers ARP
                    f.inject(Frames.arp(2, InterfaceFixture.OUR_MAC, 0x0200_0000_1000L + (h & 0xFF), h,
                            InterfaceFixture.OUR_MAC, InterfaceFixture.OUR_IP));
                }
                default -> {
                    f.clock.advanceMillis(rnd.nextInt(1500));
                    f.iface.poll(f.clock.nanos());
                }
            }
            ipv4OnWire += countIpv4(f);
        }
        // then let every timer run out, as a poll loop would
        int polls = 0;
        for (long next = f.iface.poll(f.clock.nanos()); next != Long.MAX_VALUE; next = f.iface.poll(f.clock.nanos())) {
            if (++polls > 100) throw new AssertionError("timers never run out");
            f.clock.advanceTo(next);
        }
        ipv4OnWire += countIpv4(f);

        assertEquals(0, f.iface.framesAwaitingArp());
        assertEquals(0, f.device.outstanding());
        assertEquals(f.count(Counter.IPV4_TX), ipv4OnWire + f.count(Counter.DROP_ARP_UNRESOLVED)
                + f.count(Counter.DROP_ARP_QUEUE_FULL) + f.count(Counter.DROP_TX_NO_BUFFER));
    }

    private static int countIpv4(InterfaceFixture f) {
        int n = 0;
        for (byte[] frame : f.device.takeSent()) if (InterfaceFixture.u16(frame, 12) == 0x0800) n++;
        return n;
    }
}
