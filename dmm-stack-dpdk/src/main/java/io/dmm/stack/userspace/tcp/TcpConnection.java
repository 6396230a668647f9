package io.dmm.stack.userspace.tcp;

import io.dmm.stack.userspace.Notification;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One TCP connection (a TCB) as the application sees it. Every method runs under the stack's lock
 * and never blocks: blocking is the channel's job, which waits for the connection's
 * {@link Notification}.
 *
 * <p>CONTRACT SKELETON: the engine fills this in.
 */
public final class TcpConnection {
    /**
     * Sets what to schedule (with {@code StackLock.schedule}) whenever {@link #readyOps()} may have
     * changed: data or FIN arrived, send space freed, the connection completed, failed or was reset.
     */
    public void setNotification(Notification n) { throw new UnsupportedOperationException(); }

    /** {@link java.nio.channels.SelectionKey} bits: OP_CONNECT once connect finished or failed; OP_READ when read would not return 0 (data, EOF, error); OP_WRITE when write would accept bytes or throw. */
    public int readyOps() { throw new UnsupportedOperationException(); }

    public TcpState state() { throw new UnsupportedOperationException(); }

    /** True once the handshake completed (and stays true through the closing states). */
    public boolean isEstablished() { throw new UnsupportedOperationException(); }

    /** The reason an active open failed (ConnectException "Connection refused", or timed out), or null. */
    public IOException connectFailure() { throw new UnsupportedOperationException(); }

    /** Copies received bytes: count, 0 if none yet, -1 at end of stream. SocketException("Connection reset") after a RST. */
    public int read(ByteBuffer dst) throws IOException { throw new UnsupportedOperationException(); }

    /** Bytes readable without waiting. */
    public int available() { throw new UnsupportedOperationException(); }

    /** Copies into the send buffer and sends what windows allow: bytes taken, 0 if the buffer is full. SocketException after a reset ("Connection reset") or when the output was shut ("Broken pipe"). */
    public int write(ByteBuffer src) throws IOException { throw new UnsupportedOperationException(); }

    /** FIN after the queued data (half-close). */
    public void shutdownOutput() { throw new UnsupportedOperationException(); }

    /** Further input is discarded; reads return -1. */
    public void shutdownInput() { throw new UnsupportedOperationException(); }

    /** The application closed the socket: graceful close (FIN), or RST when SO_LINGER is 0 or unread data remains. */
    public void close() { throw new UnsupportedOperationException(); }

    /** Sends RST and drops the connection at once. */
    public void abort() { throw new UnsupportedOperationException(); }

    public int localIp() { throw new UnsupportedOperationException(); }
    public int localPort() { throw new UnsupportedOperationException(); }
    public int remoteIp() { throw new UnsupportedOperationException(); }
    public int remotePort() { throw new UnsupportedOperationException(); }

    public void setNoDelay(boolean on) { throw new UnsupportedOperationException(); }
    public void setKeepAlive(boolean on) { throw new UnsupportedOperationException(); }
    public void setLingerSeconds(int seconds) { throw new UnsupportedOperationException(); }
    public TcpSocketOptions options() { throw new UnsupportedOperationException(); }
}
