package io.dmm.stack.userspace.tcp;

import io.dmm.stack.userspace.StackCounters;
import io.dmm.stack.userspace.StackLock;
import io.dmm.stack.userspace.iface.Egress;
import io.dmm.stack.userspace.iface.TransportHandler;
import io.dmm.stack.userspace.time.Clock;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * TCP for one stack instance: demultiplexes segments to connections and listeners, owns the port
 * space and the timers. Every method runs under the stack's {@link StackLock}.
 *
 * <p>CONTRACT SKELETON: the engine fills this in.
 */
public final class TcpStack implements TransportHandler {
    public TcpStack(Egress egress, StackLock lock, Clock clock, StackCounters counters, TcpConfig config) {
        throw new UnsupportedOperationException("tcp engine");
    }

    /**
     * Reserves {@code localIp:localPort} for a client socket (0 = any address; port 0 = an
     * ephemeral port) and returns the port. BindException("Address already in use") when taken.
     */
    public int bind(int localIp, int localPort, boolean reuseAddress) throws IOException {
        throw new UnsupportedOperationException();
    }

    /** Releases a reservation from {@link #bind} that was not handed to {@link #connect}. */
    public void unbind(int localIp, int localPort) {
        throw new UnsupportedOperationException();
    }

    /**
     * Starts an active open (sends the SYN) from a port reserved with {@link #bind}, which the
     * connection then owns. {@code localIp} 0 picks the interface's source address for the
     * destination. Options are copied. The connection is in SYN_SENT; completion or failure is
     * signalled through its notification.
     */
    public TcpConnection connect(int localIp, int localPort, int remoteIp, int remotePort, TcpSocketOptions options)
            throws IOException {
        throw new UnsupportedOperationException();
    }

    /** A listener on {@code localIp:localPort} (0 = any; port 0 = ephemeral). BindException when taken. */
    public TcpListener listen(int localIp, int localPort, int backlog, TcpSocketOptions options) throws IOException {
        throw new UnsupportedOperationException();
    }

    /** Runs due timers; returns the next deadline in clock nanos, or Long.MAX_VALUE if none. */
    public long poll(long nowNanos) {
        throw new UnsupportedOperationException();
    }

    /** Connections not yet fully closed (TIME_WAIT excluded). */
    public int activeConnections() {
        throw new UnsupportedOperationException();
    }

    /** Aborts everything (the stack is closing): connections reset, listeners closed, waiters woken. */
    public void shutdown() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean ingress(MemorySegment memory, long offset, int length, int srcIp, int dstIp, boolean checksumsVerified) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void destinationUnreachable(int code, int srcIp, int srcPort, int dstIp, int dstPort) {
        throw new UnsupportedOperationException();
    }
}
