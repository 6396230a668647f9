package io.dmm.stack.userspace.iface;

import java.lang.foreign.MemorySegment;

/**
 * A transport protocol (TCP, UDP) as the interface sees it: it hands up each IPv4 payload addressed
 * to this stack, and ICMP errors about packets the transport sent. Called under the stack's lock.
 */
public interface TransportHandler {
    /**
     * One IPv4 payload (a TCP segment or UDP datagram, header included) at
     * {@code [offset, offset + length)}, valid only during the call. Addresses in network order as
     * ints. {@code checksumsVerified}: the device vouched for the transport checksum; otherwise the
     * transport verifies it. Returns false when no socket wanted it and the interface should answer
     * with ICMP port unreachable (UDP); TCP answers with its own RST and returns true.
     */
    boolean ingress(MemorySegment memory, long offset, int length, int srcIp, int dstIp, boolean checksumsVerified);

    /**
     * An ICMP destination unreachable (type 3, {@code code}) quoting a packet this stack sent from
     * {@code srcIp:srcPort} to {@code dstIp:dstPort}.
     */
    void destinationUnreachable(int code, int srcIp, int srcPort, int dstIp, int dstPort);

    /**
     * TCP segments of one flow merged by GRO (see {@link SegmentBatch}). A transport that cannot
     * take them as one takes them one by one, which the default does.
     */
    default void ingressBatch(SegmentBatch batch) {
        for (int i = 0; i < batch.count(); i++) {
            ingress(batch.memory(i), batch.offset(i), batch.length(i), batch.srcIp(), batch.dstIp(), true);
        }
    }
}
