package io.dmm.stack.userspace.iface;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.StackCounters;
import io.dmm.stack.userspace.time.ManualClock;
import io.dmm.stack.userspace.wire.Ipv4Address;
import io.dmm.stack.userspace.wire.MacAddress;
import io.dmm.stack.userspace.wire.NetworkOrder;
import java.lang.foreign.MemorySegment;

/**
 * One interface (10.0.0.1/24, gateway 10.0.0.254) on a fake device, a peer 10.0.0.2 on the same
 * link, and recording TCP and UDP transports.
 */
class InterfaceFixture {
    static final long OUR_MAC = MacAddress.parse("02:00:00:00:00:01");
    static final long PEER_MAC = MacAddress.parse("02:00:00:00:00:02");
    static final long GATEWAY_MAC = MacAddress.parse("02:00:00:00:00:fe");
    static final int OUR_IP = Ipv4Address.parse("10.0.0.1");
    static final int PEER_IP = Ipv4Address.parse("10.0.0.2");
    static final int GATEWAY_IP = Ipv4Address.parse("10.0.0.254");
    static final int REMOTE_IP = Ipv4Address.parse("192.0.2.7");
    static final long SECOND = 1_000_000_000L;

    final ManualClock clock = new ManualClock();
    final StackCounters counters = new StackCounters();
    final FakeDevice device;
    final Ipv4Interface iface;
    final RecordingTransport udp = new RecordingTransport();
    final RecordingTransport tcp = new RecordingTransport();

    InterfaceFixture() {
        this(InterfaceConfig.builder().address("10.0.0.1/24").gateway("10.0.0.254").build());
    }

    InterfaceFixture(InterfaceConfig config) {
        this(config, false);
    }

    /** @param holdsFrames whether the device holds a burst's frames to its end (so the interface does GRO) */
    InterfaceFixture(InterfaceConfig config, boolean holdsFrames) {
        device = new FakeDevice(OUR_MAC);
        device.holdsFrames = holdsFrames;
        iface = new Ipv4Interface(device, config, clock, counters);
        iface.setTransport(17, udp);
        iface.setTransport(6, tcp);
    }

    long count(Counter c) {
        return counters.get(c);
    }

    void inject(byte[] frame) {
        iface.frame(MemorySegment.ofArray(frame), 0, frame.length, false);
    }

    /** Sends {@code l4} as an IPv4 payload through the Egress contract, as a transport does. */
    boolean send(int dst, int protocol, byte[] l4) {
        if (!iface.begin(0, dst, protocol)) return false;
        MemorySegment.copy(MemorySegment.ofArray(l4), 0, iface.memory(), iface.l4Offset(), l4.length);
        iface.send(l4.length);
        return true;
    }

    /** Makes the peer's MAC known by having it ask for ours. */
    void learnPeer() {
        inject(Frames.arp(1, MacAddress.BROADCAST, PEER_MAC, PEER_IP, 0, OUR_IP));
        device.takeSent();
    }

    static long mac(byte[] frame, int offset) {
        return NetworkOrder.mac(MemorySegment.ofArray(frame), offset);
    }

    static int u16(byte[] frame, int offset) {
        return NetworkOrder.u16(MemorySegment.ofArray(frame), offset);
    }

    static int i32(byte[] frame, int offset) {
        return NetworkOrder.i32(MemorySegment.ofArray(frame), offset);
    }
}
