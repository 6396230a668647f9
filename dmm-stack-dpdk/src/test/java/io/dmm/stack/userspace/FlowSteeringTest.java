package io.dmm.stack.userspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.wire.Ipv4Address;
import io.dmm.stack.userspace.wire.NetworkOrder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Which shard a received frame goes to: TCP by its flow, ICMP errors by the flow they quote, the rest to shard 0. */
class FlowSteeringTest {
    private static final int SHARDS = 4;
    private static final int LOCAL = Ipv4Address.of(10, 9, 0, 1);
    private static final int ROUTER = Ipv4Address.of(10, 9, 0, 254);
    private static final int ETH = 14;

    private final FlowSteering steering = new FlowSteering(0x5eed_1234_5678_9abcL, SHARDS);
    private final MemorySegment frame = Arena.ofAuto().allocate(128);

    /** An Ethernet + IPv4 header from {@code src} to {@code dst} with {@code protocol}; returns the L4 offset. */
    private long ipv4(int src, int dst, int protocol) {
        NetworkOrder.putU16(frame, 12, 0x0800);
        NetworkOrder.putU8(frame, ETH, 0x45);
        NetworkOrder.putU16(frame, ETH + 6, 0);  // no fragment
        NetworkOrder.putU8(frame, ETH + 9, protocol);
        NetworkOrder.putI32(frame, ETH + 12, src);
        NetworkOrder.putI32(frame, ETH + 16, dst);
        return ETH + 20;
    }

    /** A TCP segment the remote end sent to us. */
    private int segmentFrom(int remote, int remotePort, int localPort) {
        long l4 = ipv4(remote, LOCAL, 6);
        NetworkOrder.putU16(frame, l4, remotePort);
        NetworkOrder.putU16(frame, l4 + 2, localPort);
        return (int) l4 + 20;
    }

    /** A router's ICMP error (type, code) quoting a {@code quotedProtocol} packet we sent to the remote end. */
    private int icmpErrorQuoting(int type, int quotedProtocol, int remote, int remotePort, int localPort) {
        long icmp = ipv4(ROUTER, LOCAL, 1);
        NetworkOrder.putU8(frame, icmp, type);
        NetworkOrder.putU8(frame, icmp + 1, 3);
        long quoted = icmp + 8;
        NetworkOrder.putU8(frame, quoted, 0x45);
        NetworkOrder.putU8(frame, quoted + 9, quotedProtocol);
        NetworkOrder.putI32(frame, quoted + 12, LOCAL);
        NetworkOrder.putI32(frame, quoted + 16, remote);
        NetworkOrder.putU16(frame, quoted + 20, localPort);
        NetworkOrder.putU16(frame, quoted + 22, remotePort);
        return (int) quoted + 24;  // the quote ends right after the ports: all a router must quote is 8 bytes of it
    }

    @Test
    void anIcmpErrorAboutATcpFlowGoesToThatFlowsShard() {
        Random random = new Random(7);
        int[] perShard = new int[SHARDS];
        for (int i = 0; i < 200; i++) {
            int remote = Ipv4Address.of(192, 0, 2, 1 + random.nextInt(250));
            int remotePort = 1 + random.nextInt(65_535);
            int localPort = 1 + random.nextInt(65_535);
            int owner = steering.shardOf(LOCAL, localPort, remote, remotePort);
            perShard[owner]++;
            int length = segmentFrom(remote, remotePort, localPort);
            assertEquals(owner, steering.ownerOf(frame, 0, length), "the flow's own segment");
            length = icmpErrorQuoting(3, 6, remote, remotePort, localPort);
            assertEquals(owner, steering.ownerOf(frame, 0, length), "a destination unreachable about the flow");
        }
        for (int s = 0; s < SHARDS; s++) assertTrue(perShard[s] > 0, "flows on shard " + s);
    }

    @Test
    void otherIcmpAndErrorsTooShortToQuotePortsGoToShardZero() {
        int remote = Ipv4Address.of(192, 0, 2, 9);
        int localPort = 40_000;
        int remotePort = 80;
        // a flow that is not shard 0's, so shard 0 below is the rule and not the flow's own shard
        while (steering.shardOf(LOCAL, localPort, remote, remotePort) == 0) localPort++;
        int length = icmpErrorQuoting(3, 17, remote, remotePort, localPort);
        assertEquals(0, steering.ownerOf(frame, 0, length), "quoting UDP: UDP lives on shard 0");
        length = icmpErrorQuoting(11, 6, remote, remotePort, localPort);
        assertEquals(0, steering.ownerOf(frame, 0, length), "time exceeded: not acted on, shard 0");
        length = icmpErrorQuoting(3, 6, remote, remotePort, localPort);
        assertEquals(0, steering.ownerOf(frame, 0, length - 1), "the quote ends inside the ports");
        assertTrue(steering.ownerOf(frame, 0, length) != 0, "the whole error goes to the flow's shard");
    }
}
