package io.dmm.stack.userspace.tcp;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.Notification;
import io.dmm.stack.userspace.wire.TcpHeader;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketException;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;

/**
 * A listening socket with its SYN queue (half-open, SYN_RECEIVED connections) and its accept queue
 * (established, not yet accepted), each bounded by the backlog as Linux bounds them. Methods run
 * under the stack's lock. A SYN that finds the SYN queue full is answered with a SYN cookie
 * ({@link SynCookies}) and leaves no state, so a SYN flood neither grows memory nor locks out
 * legitimate clients; a SYN that finds the accept queue full is dropped, as Linux drops it.
 */
public final class TcpListener {
    private final TcpStack stack;
    private final int localIp;
    private final int localPort;
    private final int backlog;
    private final TcpSocketOptions options;
    /** Whether it holds its port in the instance's table: a shard's twin of another listener does not. */
    private final boolean holdsPort;
    private final ArrayDeque<TcpConnection> acceptQueue = new ArrayDeque<>();
    /** The SYN queue's length: connections of ours in SYN_RECEIVED. */
    private int halfOpen;
    /** When the SYN queue last overflowed (a cookie was sent); only then is an unmatched ACK checked as a cookie. */
    private long lastCookieSent = Long.MIN_VALUE;
    private boolean closed;
    /** Why the listener failed with its stack (the device went away), or null. */
    private SocketException error;
    private Notification notification;
    /** Next listener on the same port (the stack's per-port chain). */
    TcpListener nextOnPort;

    TcpListener(TcpStack stack, int localIp, int localPort, int backlog, TcpSocketOptions options, boolean holdsPort) {
        this.stack = stack;
        this.holdsPort = holdsPort;
        this.localIp = localIp;
        this.localPort = localPort;
        this.backlog = backlog;
        this.options = options.copy();
    }

    /** TCP_KEEPIDLE, TCP_KEEPINTERVAL and TCP_KEEPCOUNT of {@code from} for connections accepted from now on. */
    public void setKeepAliveOptions(TcpSocketOptions from) {
        options.keepAliveIdleSeconds = from.keepAliveIdleSeconds;
        options.keepAliveIntervalSeconds = from.keepAliveIntervalSeconds;
        options.keepAliveProbes = from.keepAliveProbes;
    }

    public void setNotification(Notification n) {
        this.notification = n;
    }

    /** OP_ACCEPT when {@link #accept()} would return a connection, or when the listener failed (an accept throws). */
    public int readyOps() {
        return acceptQueue.isEmpty() && error == null ? 0 : SelectionKey.OP_ACCEPT;
    }

    /** Why the listener failed with its stack (what an accept must throw), or null. */
    public IOException error() {
        return error;
    }

    /** The next established connection from the queue, or null. */
    public TcpConnection accept() {
        TcpConnection c = acceptQueue.pollFirst();
        if (c != null) c.listener = null;
        return c;
    }

    public int localIp() {
        return localIp;
    }

    public int localPort() {
        return localPort;
    }

    /** Whether it set SO_REUSEPORT: it shares its address and port with other listeners that did. */
    boolean reusePort() {
        return options.reusePort;
    }

    int backlog() {
        return backlog;
    }

    TcpSocketOptions options() {
        return options;
    }

    boolean holdsPort() {
        return holdsPort;
    }

    /** Stops listening; connections still queued are reset. */
    public void close() {
        if (closed) return;
        closed = true;
        stack.removeListener(this);
        TcpConnection c;
        while ((c = acceptQueue.pollFirst()) != null) {
            c.listener = null;
            c.abort();
        }
        notifyApp();
    }

    /** The stack's device went away: the listener stops, and accepts throw {@code cause}; waiters are woken. */
    void fail(SocketException cause) {
        if (closed) return;
        error = cause;
        close();
    }

    /** A segment for no connection reached this listener (RFC 9293 §3.10.7.2). */
    void onSegment(TcpHeader seg, int srcIp, int dstIp, MemorySegment mem, long payOff, int payLen, long now) {
        int flags = seg.flags();
        if ((flags & TcpHeader.RST) != 0) return;
        if ((flags & TcpHeader.ACK) != 0) {
            if ((flags & TcpHeader.SYN) == 0 && cookiesRecentlySent(now) && acceptCookie(seg, srcIp, dstIp, mem, payOff, payLen, now)) {
                return;
            }
            stack.sendReset(dstIp, srcIp, localPort, seg.srcPort(), seg.ack(), 0, false);
            return;
        }
        if ((flags & TcpHeader.SYN) == 0) return;
        if (acceptQueueFull()) {
            stack.counters.increment(Counter.DROP_TCP_BACKLOG_FULL);
            return;
        }
        if (halfOpen >= backlog) {
            lastCookieSent = now;
            stack.sendCookieSynAck(seg, dstIp, localPort, srcIp, options, now);
            return;
        }
        TcpConnection c = new TcpConnection(stack, dstIp, localPort, srcIp, seg.srcPort(), options);
        c.listener = this;
        halfOpen++;
        stack.counters.increment(Counter.TCP_PASSIVE_OPENS);
        stack.added(c);
        c.openPassive(seg, now);
    }

    /** Whether the accept queue holds a backlog of connections: no more may complete their handshake. */
    boolean acceptQueueFull() {
        return acceptQueue.size() >= backlog;
    }

    /** Whether a cookie went out in the periods an ACK's cookie may come from (Linux's tcp_synq_no_recent_overflow). */
    private boolean cookiesRecentlySent(long now) {
        return lastCookieSent != Long.MIN_VALUE && now - lastCookieSent < 2 * SynCookies.PERIOD_NANOS;
    }

    /**
     * An ACK that matches no connection, while cookies are being sent: if it carries a valid cookie,
     * the connection is made from it and the ACK (data too) is its first segment. False when it does
     * not (the caller resets, as for any unmatched ACK).
     */
    private boolean acceptCookie(TcpHeader seg, int srcIp, int dstIp, MemorySegment mem, long payOff, int payLen, long now) {
        int mss = stack.synCookies.check(dstIp, localPort, srcIp, seg.srcPort(), seg.seq() - 1, seg.ack() - 1, now);
        boolean ts = stack.config.timestamps && seg.hasTimestamps;
        int windowScale = ts ? SynCookies.windowScale(seg.tsEcr) : -1;
        if (mss < 0 || ts && !SynCookies.optionsValid(seg.tsEcr)) {
            stack.counters.increment(Counter.TCP_SYNCOOKIES_FAILED);
            return false;
        }
        stack.counters.increment(Counter.TCP_SYNCOOKIES_VALIDATED);
        if (closed || acceptQueueFull()) {
            stack.counters.increment(Counter.DROP_TCP_BACKLOG_FULL); // dropped: the peer retransmits, as with Linux
            return true;
        }
        TcpConnection c = new TcpConnection(stack, dstIp, localPort, srcIp, seg.srcPort(), options);
        c.listener = this;
        halfOpen++; // it passes through SYN_RECEIVED: established() takes it off the SYN queue again
        stack.counters.increment(Counter.TCP_PASSIVE_OPENS);
        stack.added(c);
        c.openFromCookie(seg, mss, windowScale, ts && SynCookies.sackPermitted(seg.tsEcr), now);
        c.onSegment(seg, mem, payOff, payLen, now);
        return true;
    }

    /** A connection of ours completed its handshake. */
    void established(TcpConnection c) {
        halfOpen--;
        if (closed) {
            c.listener = null;
            c.abort(); // the listener went away during the handshake
            return;
        }
        acceptQueue.addLast(c);
        notifyApp();
    }

    /**
     * A connection of ours closed before it was accepted. A half-open one leaves the backlog; an
     * established one (reset, or timed out) stays queued, as Linux keeps it: accept returns it and its
     * reads report how it ended. Tomcat's stop wakes its acceptor with such a connection.
     */
    void removed(TcpConnection c) {
        if (!acceptQueue.contains(c)) halfOpen--;
    }

    private void notifyApp() {
        if (notification != null) stack.lock.schedule(notification);
    }
}
