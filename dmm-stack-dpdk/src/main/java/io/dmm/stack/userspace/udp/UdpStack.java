package io.dmm.stack.userspace.udp;

import io.dmm.stack.userspace.StackCounters;
import io.dmm.stack.userspace.StackLock;
import io.dmm.stack.userspace.iface.Egress;
import io.dmm.stack.userspace.iface.TransportHandler;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * UDP for one stack instance: the port table, demultiplexing, ICMP errors. Under the stack's lock.
 *
 * <p>CONTRACT SKELETON: filled in by the UDP work.
 */
public final class UdpStack implements TransportHandler {
    public UdpStack(Egress egress, StackLock lock, StackCounters counters, int defaultReceiveBuffer,
                    int ephemeralLow, int ephemeralHigh) {
        throw new UnsupportedOperationException("udp");
    }

    /** A socket bound to {@code localIp:localPort} (0 = any; port 0 = ephemeral). BindException when taken (unless reuseAddress and the other also set it). */
    public UdpSocket open(int localIp, int localPort, boolean reuseAddress, int receiveBufferBytes) throws IOException {
        throw new UnsupportedOperationException();
    }

    public void shutdown() { throw new UnsupportedOperationException(); }

    @Override
    public boolean ingress(MemorySegment memory, long offset, int length, int srcIp, int dstIp, boolean checksumsVerified) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void destinationUnreachable(int code, int srcIp, int srcPort, int dstIp, int dstPort) {
        throw new UnsupportedOperationException();
    }
}
