package io.dmm.stack.userspace.udp;

import io.dmm.stack.userspace.Notification;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A bound UDP socket. Methods run under the stack's lock and never block.
 *
 * <p>CONTRACT SKELETON: filled in by the UDP work.
 */
public final class UdpSocket {
    public void setNotification(Notification n) { throw new UnsupportedOperationException(); }

    /** OP_READ when a datagram (or an error to report) is queued; OP_WRITE always while open. */
    public int readyOps() { throw new UnsupportedOperationException(); }

    /**
     * Takes the next datagram into {@code dst} (truncating what does not fit, as the JDK does) and
     * returns its source in {@link #lastSourceIp()}/{@link #lastSourcePort()}; returns false if none
     * is queued. Throws PortUnreachableException once after an ICMP port unreachable on a connected socket.
     */
    public boolean receive(ByteBuffer dst) throws IOException { throw new UnsupportedOperationException(); }

    public int lastSourceIp() { throw new UnsupportedOperationException(); }
    public int lastSourcePort() { throw new UnsupportedOperationException(); }

    /** Sends one datagram; returns the bytes sent (all of src), 0 if no transmit buffer was free. IOException("Message too long") when it exceeds the MTU. */
    public int send(ByteBuffer src, int dstIp, int dstPort) throws IOException { throw new UnsupportedOperationException(); }

    /** Only datagrams from this peer are received; sends default to it. */
    public void connect(int remoteIp, int remotePort) { throw new UnsupportedOperationException(); }
    public void disconnect() { throw new UnsupportedOperationException(); }

    public int localIp() { throw new UnsupportedOperationException(); }
    public int localPort() { throw new UnsupportedOperationException(); }

    /** Unbinds; queued datagrams are dropped. */
    public void close() { throw new UnsupportedOperationException(); }
}
