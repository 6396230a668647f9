package io.dmm.stack.userspace.iface;

import io.dmm.stack.userspace.wire.Ipv4Address;
import java.lang.foreign.MemorySegment;

/**
 * How transports send: open an IPv4 packet, write the transport header and payload in place at
 * {@link #l4Offset()} of {@link #memory()}, then {@link #send} (the interface writes the IPv4 and
 * Ethernet headers, resolves the next hop with ARP, queueing while it waits) or {@link #abort}.
 * One packet at a time; called under the stack's lock. Allocation-free.
 */
public interface Egress {
    /**
     * Opens a packet from {@code srcIp} to {@code dstIp} carrying IP protocol {@code protocol}.
     * False (and counted) when there is no route or no transmit buffer now; nothing to abort then.
     */
    boolean begin(int srcIp, int dstIp, int protocol);

    /**
     * Sets the open packet's IPv4 TTL ({@code ttl}; -1 for the interface's default), its TOS byte
     * (DSCP and ECN as given) and, for a packet to a multicast group, whether members of the group
     * on this host get a copy too (IP_MULTICAST_LOOP). {@link #begin} resets them to -1, 0 and true.
     * The IPv4 interface implements it; plumbing without IPv4 headers (tests' loops) has none to set.
     */
    default void ipFields(int ttl, int tos, boolean multicastLoop) {}

    /** The memory of the open packet. */
    MemorySegment memory();

    /** Where the transport header goes. */
    long l4Offset();

    /** How many bytes fit from {@link #l4Offset()} (the MTU minus the IPv4 header). */
    int l4Capacity();

    /** Sends the open packet with {@code l4Length} transport bytes. */
    void send(int l4Length);

    /**
     * Whether the open packet is for one of our own addresses: it reaches our own ingress through
     * memory, never a device, so its payload may be left where it is (see {@link #sendLocal}).
     */
    default boolean openIsLocal() {
        return false;
    }

    /**
     * Sends the open local packet ({@link #openIsLocal()}) with {@code l4Length} transport bytes of
     * which only the transport header was written: the payload stays with {@code payloadSource}.
     * While the packet is delivered, the receiving transport finds that source in
     * {@link #localPayloadSource()} and copies the payload from it itself, so a byte sent between
     * two sockets of one stack is copied once less (no sender → packet copy).
     */
    default void sendLocal(int l4Length, Object payloadSource) {
        throw new UnsupportedOperationException("no local delivery here");
    }

    /** While a packet sent with {@link #sendLocal} is being delivered, its payload source; else null. */
    default Object localPayloadSource() {
        return null;
    }

    /**
     * The largest IPv4 packet {@link #beginSegmented} opens (TCP segmentation offload), 0 when the
     * device cannot segment. The device's capability, see {@link io.dmm.stack.userspace.phy.Device#tsoMaxBytes()}.
     */
    default int segmentationMaxBytes() {
        return 0;
    }

    /**
     * Opens a TCP packet from {@code srcIp} to {@code dstIp} of up to {@link #segmentationMaxBytes()}
     * bytes (so {@link #l4Capacity()} is that less the IPv4 header), which the device cuts into
     * MTU-sized segments: sent with {@link #sendSegmented}. False when that cannot be done now (no
     * segmentation, a destination of this host, a broadcast or multicast one, a next hop not yet
     * resolved, no large buffer free): nothing is open or counted, and the caller opens an
     * ordinary packet with {@link #begin}.
     */
    default boolean beginSegmented(int srcIp, int dstIp) {
        return false;
    }

    /**
     * Sends the packet opened by {@link #beginSegmented} with {@code l4Length} TCP bytes (header
     * included), to be cut into segments of {@code segmentSize} payload bytes. Its checksums are
     * the device's.
     */
    default void sendSegmented(int l4Length, int segmentSize) {
        throw new UnsupportedOperationException("no TCP segmentation offload here");
    }

    /** Drops the open packet. */
    void abort();

    /** Whether transports may leave their checksum field to the device (see {@link io.dmm.stack.userspace.phy.Device#txChecksumOffload()}). */
    boolean txChecksumOffload();

    /** The interface MTU (largest IPv4 packet). */
    int mtu();

    /** Whether {@code ip} is one of this interface's addresses. */
    boolean isLocalAddress(int ip);

    /**
     * Whether {@code ip} is a broadcast address here (255.255.255.255 or a subnet's), which a
     * datagram socket may send to only with SO_BROADCAST.
     */
    default boolean isBroadcastAddress(int ip) {
        return ip == Ipv4Address.BROADCAST;
    }

    /** The source address for traffic to {@code dstIp}: the address on its subnet, else the primary one. */
    int sourceAddressFor(int dstIp);
}
