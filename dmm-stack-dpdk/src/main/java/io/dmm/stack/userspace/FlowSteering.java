package io.dmm.stack.userspace;

import io.dmm.stack.userspace.wire.EthernetFrame;
import io.dmm.stack.userspace.wire.NetworkOrder;
import java.lang.foreign.MemorySegment;

/**
 * Which shard of an instance owns a flow, and so which shard a received frame belongs to. A TCP flow
 * from a local port a client took from the ephemeral range belongs to the shard that took it
 * ({@link PortOwners}); any other to the shard its {@linkplain FlowHash#symmetric symmetric hash}
 * picks (keyed per instance, so a peer cannot aim its flows at one shard). An ICMP destination
 * unreachable that quotes one of our TCP segments goes to the shard of the flow it quotes, whose
 * connection acts on it. Everything else (ARP requests, UDP, other ICMP, IGMP, fragments, what is
 * not IPv4) is shard 0's, and an ARP reply is every shard's, as each keeps its own ARP cache.
 */
public final class FlowSteering {
    /** What {@link #ownerOf} answers for a frame every shard must see. */
    public static final int EVERY_SHARD = -1;
    private static final int TYPE_ARP = 0x0806;
    private static final int TYPE_IPV4 = 0x0800;
    private static final int ARP_REPLY = 2;
    private static final int ICMP = 1;
    private static final int TCP = 6;
    private static final int ICMP_DESTINATION_UNREACHABLE = 3;
    /** The ICMP header before the quoted IPv4 header. */
    private static final int ICMP_HEADER = 8;

    private final long key;
    private final int shards;
    private final PortOwners ports = new PortOwners();

    public FlowSteering(long key, int shards) {
        if (shards < 1) throw new IllegalArgumentException("shards must be at least 1: " + shards);
        this.key = key;
        this.shards = shards;
    }

    /** The owners of the clients' ephemeral ports, which the instance's port table keeps. */
    public PortOwners ports() {
        return ports;
    }

    public int shards() {
        return shards;
    }

    /** The shard (0 .. shards-1) that owns the TCP flow between our {@code localPort} and the remote end. */
    public int shardOf(int localIp, int localPort, int remoteIp, int remotePort) {
        if (shards == 1) return 0;
        int owner = ports.get(localPort);
        if (owner >= 0) return owner;
        return FlowHash.pick(FlowHash.symmetric(key, localIp, localPort, remoteIp, remotePort), shards);
    }

    /** The shard a received Ethernet frame goes to, or {@link #EVERY_SHARD}. Reads only headers it has checked fit. */
    public int ownerOf(MemorySegment m, long frame, int length) {
        if (shards == 1 || length < EthernetFrame.HEADER_LENGTH + 20) return 0;
        int type = NetworkOrder.u16(m, frame + 12);
        long l3 = frame + EthernetFrame.HEADER_LENGTH;
        if (type == TYPE_ARP) return NetworkOrder.u16(m, l3 + 6) == ARP_REPLY ? EVERY_SHARD : 0;
        if (type != TYPE_IPV4) return 0;
        int headerLength = (NetworkOrder.u8(m, l3) & 0xF) * 4;
        boolean fragment = (NetworkOrder.u16(m, l3 + 6) & 0x3FFF) != 0;  // MF set or an offset: reassembled on shard 0
        int protocol = NetworkOrder.u8(m, l3 + 9);
        if (fragment || headerLength < 20) return 0;
        long l4 = l3 + headerLength;
        int l4Length = length - EthernetFrame.HEADER_LENGTH - headerLength;
        if (protocol == ICMP) return ownerOfIcmpError(m, l4, l4Length);
        if (protocol != TCP || l4Length < 4) return 0;
        return shardOf(NetworkOrder.i32(m, l3 + 16), NetworkOrder.u16(m, l4 + 2),
                NetworkOrder.i32(m, l3 + 12), NetworkOrder.u16(m, l4));
    }

    /**
     * A destination unreachable quoting a TCP segment we sent (its source is our end): the shard of
     * that flow. Anything else ICMP, or too short to quote the ports, is shard 0's.
     */
    private int ownerOfIcmpError(MemorySegment m, long icmp, int length) {
        if (length < ICMP_HEADER + 20 || NetworkOrder.u8(m, icmp) != ICMP_DESTINATION_UNREACHABLE) return 0;
        long quoted = icmp + ICMP_HEADER;
        int quotedHeader = (NetworkOrder.u8(m, quoted) & 0xF) * 4;
        if (quotedHeader < 20 || NetworkOrder.u8(m, quoted + 9) != TCP || length < ICMP_HEADER + quotedHeader + 4) return 0;
        long ports = quoted + quotedHeader;
        return shardOf(NetworkOrder.i32(m, quoted + 12), NetworkOrder.u16(m, ports),
                NetworkOrder.i32(m, quoted + 16), NetworkOrder.u16(m, ports + 2));
    }
}
