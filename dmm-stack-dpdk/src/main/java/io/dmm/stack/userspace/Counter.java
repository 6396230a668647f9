package io.dmm.stack.userspace;

import java.util.Locale;

/**
 * Every event counter of a userspace stack instance. Drops are counted by reason; nothing a peer
 * sends is ever thrown past the stack, it is dropped and counted here. Shown in
 * {@code DmmSockets.stats()} under {@link #key()}.
 */
public enum Counter {
    // device and Ethernet
    RX_FRAMES, RX_BYTES, TX_FRAMES, TX_BYTES,
    DROP_MALFORMED_FRAME,
    DROP_NOT_FOR_US,
    DROP_UNKNOWN_ETHERTYPE,
    DROP_TX_NO_BUFFER,
    // ARP
    ARP_RX, ARP_REQUESTS_SENT, ARP_REPLIES_SENT,
    DROP_ARP_MALFORMED,
    DROP_ARP_UNRESOLVED,
    DROP_ARP_QUEUE_FULL,
    // IPv4
    IPV4_RX,
    IPV4_TX,
    DROP_IPV4_MALFORMED,
    DROP_IPV4_CHECKSUM,
    DROP_IPV4_NOT_FOR_US,
    DROP_IPV4_UNKNOWN_PROTOCOL,
    DROP_IPV4_NO_ROUTE,
    DROP_IPV4_FRAGMENT,
    IPV4_FRAGMENTS_REASSEMBLED,
    DROP_IPV4_REASSEMBLY_TIMEOUT,
    // ICMP
    ICMP_RX, ICMP_ECHO_REPLIES_SENT, ICMP_UNREACHABLE_SENT, ICMP_UNREACHABLE_RX,
    DROP_ICMP_MALFORMED,
    DROP_ICMP_CHECKSUM,
    ICMP_TIME_EXCEEDED_SENT,
    DROP_ICMP_RATE_LIMITED,
    // IGMP
    IGMP_RX, IGMP_QUERIES_RX, IGMP_REPORTS_SENT, IGMP_LEAVES_SENT,
    DROP_IGMP_MALFORMED,
    DROP_IGMP_CHECKSUM,
    // TCP
    TCP_SEGMENTS_RX, TCP_SEGMENTS_TX,
    TCP_RETRANSMITS, TCP_FAST_RETRANSMITS, TCP_RTO_TIMEOUTS, TCP_SACK_RETRANSMITS,
    /** SYNs and SYN-ACKs sent again by the retransmission timer (Linux's TCPSynRetrans), also in tcp_rto_timeouts. */
    TCP_SYN_RETRANSMITS,
    TCP_ACTIVE_OPENS, TCP_PASSIVE_OPENS,
    TCP_RST_RX, TCP_RST_SENT, TCP_CHALLENGE_ACKS,
    TCP_OUT_OF_ORDER, TCP_DUPLICATE_SEGMENTS,
    TCP_ZERO_WINDOW_PROBES, TCP_KEEPALIVES_SENT,
    TCP_CONNECTION_TIMEOUTS,
    TCP_SPURIOUS_RTOS, TCP_TLP_PROBES,
    /** ACKs the delayed-ACK timer sent (Linux's TCPDelayedACKs): none came sooner, from data, a read or a full second segment. */
    TCP_DELAYED_ACKS,
    TCP_SYNCOOKIES_SENT, TCP_SYNCOOKIES_VALIDATED, TCP_SYNCOOKIES_FAILED,
    /** Segments between two connections of one stack whose payload went from ring to ring, never into a packet. */
    TCP_LOCAL_DIRECT_SEGMENTS,
    DROP_TCP_LOCAL_PAYLOAD_GONE,
    /** Sends handed to the device for TCP segmentation offload (each counted in tcp_segments_tx as the segments it becomes). */
    TCP_TSO_SENDS,
    /** Received segments GRO merged into the one before them (each is one segment TCP did not process on its own). */
    TCP_GRO_MERGED,
    // TCP buffer memory (ChunkPool): the first three are levels that go up and down, not events
    TCP_MEM_BYTES_IN_USE, TCP_MEM_CHUNKS_IN_USE, TCP_MEM_BYTES_ALLOCATED,
    TCP_MEM_EXHAUSTED,
    DROP_TCP_MEMORY,
    DROP_TCP_CHECKSUM,
    DROP_TCP_MALFORMED,
    DROP_TCP_OUT_OF_WINDOW,
    DROP_TCP_PAWS,
    DROP_TCP_BACKLOG_FULL,
    DROP_TCP_NO_LISTENER,
    // UDP
    UDP_DATAGRAMS_RX, UDP_DATAGRAMS_TX,
    DROP_UDP_CHECKSUM,
    DROP_UDP_MALFORMED,
    DROP_UDP_NO_PORT,
    DROP_UDP_QUEUE_FULL;

    private final String key = name().toLowerCase(Locale.ROOT);

    /** The counter's name in stats: the constant's name in lower case, e.g. {@code drop_tcp_checksum}. */
    public String key() {
        return key;
    }
}
