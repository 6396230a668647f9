package io.dmm.stack.userspace.iface;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.stack.userspace.Counter;
import java.lang.foreign.MemorySegment;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Whatever arrives, the interface drops or handles it; it never throws and never leaks buffers. */
class InterfaceFuzzTest {

    @Property(tries = 2000, seed = "20261121")
    void randomBytesNeverThrow(@ForAll @Size(max = 200) byte[] bytes, @ForAll boolean verified,
                               @ForAll @IntRange(max = 3) int header) {
        InterfaceFixture f = new InterfaceFixture();
        f.udp.accept = false;
        // Random bytes alone rarely pass the MAC filter; give some of them a plausible start.
        byte[] frame = bytes.clone();
        if (header > 0 && frame.length >= 14) {
            MemorySegment m = MemorySegment.ofArray(frame);
            io.dmm.stack.userspace.wire.NetworkOrder.putMac(m, 0, InterfaceFixture.OUR_MAC);
            io.dmm.stack.userspace.wire.NetworkOrder.putU16(m, 12, header == 1 ? 0x0806 : 0x0800);
            if (header == 3 && frame.length >= 15) frame[14] = 0x45;
        }
        f.iface.frame(MemorySegment.ofArray(frame), 0, frame.length, verified);
        f.iface.poll(f.clock.nanos() + 60 * InterfaceFixture.SECOND);
        assertEquals(1, f.count(Counter.RX_FRAMES));
        assertEquals(0, f.device.outstanding());
    }

    @Property(tries = 1000, seed = "20261121")
    void damagedValidFramesNeverThrow(@ForAll @IntRange(max = 3) int kind, @ForAll @IntRange(min = 0, max = 80) int at,
                                      @ForAll byte value, @ForAll @IntRange(min = 0, max = 90) int cut) {
        InterfaceFixture f = new InterfaceFixture();
        f.udp.accept = false;
        byte[] frame = switch (kind) {
            case 0 -> Frames.arp(1, InterfaceFixture.OUR_MAC, InterfaceFixture.PEER_MAC, InterfaceFixture.PEER_IP, 0, InterfaceFixture.OUR_IP);
            case 1 -> Frames.ipv4(InterfaceFixture.OUR_MAC, InterfaceFixture.PEER_MAC, InterfaceFixture.PEER_IP,
                    InterfaceFixture.OUR_IP, 17, Frames.udp(InterfaceFixture.PEER_IP, InterfaceFixture.OUR_IP, 1, 2, new byte[20]));
            case 2 -> Frames.ipv4(InterfaceFixture.OUR_MAC, InterfaceFixture.PEER_MAC, InterfaceFixture.PEER_IP,
                    InterfaceFixture.OUR_IP, 1, Frames.icmpUnreachable(3, new byte[28]));
            default -> Frames.fragment(InterfaceFixture.OUR_MAC, InterfaceFixture.PEER_MAC, InterfaceFixture.PEER_IP,
                    InterfaceFixture.OUR_IP, 17, 1, 8, true, new byte[64], 0, 40);
        };
        if (at < frame.length) frame[at] = value;
        int len = Math.min(frame.length, Math.max(0, frame.length - cut % 40));
        f.iface.frame(MemorySegment.ofArray(frame), 0, len, false);
        f.iface.poll(f.clock.nanos() + 60 * InterfaceFixture.SECOND);
        assertEquals(0, f.device.outstanding());
    }
}
