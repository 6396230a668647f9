package io.dmm.stack.userspace.channel;

import io.dmm.api.spi.BusyPoller;
import io.dmm.api.spi.ReadinessListener;
import io.dmm.api.spi.ReadinessSource;
import io.dmm.jdk.net.ChannelServerSocket;
import io.dmm.jdk.net.TimedServerSocketChannel;
import io.dmm.jdk.options.SocketOptionValues;
import io.dmm.stack.userspace.StackLock;
import io.dmm.stack.userspace.wire.Ipv4Address;
import io.dmm.stack.userspace.tcp.TcpConnection;
import io.dmm.stack.userspace.tcp.TcpListener;
import io.dmm.stack.userspace.tcp.TcpSocketOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A listening TCP channel of the userspace stack (IPv4; dual-stack when of family INET6), with the JDK's
 * {@code sun.nio.ch.ServerSocketChannelImpl} semantics. Accepted channels are
 * {@link UserspaceSocketChannel}s, blocking, already connected.
 *
 * <p>On an instance of several shards it listens on every shard (the first listener, on shard 0,
 * holds the port; the others are its twins), as a connection lives on the shard its flow hashes to:
 * accept takes from each shard's queue in turn, and readiness is any shard's. Each shard's listener
 * has the backlog. The channel's own state (bound, closed, options) is guarded by its state lock,
 * each listener by its shard's lock, taken one at a time.
 */
public class UserspaceServerSocketChannel extends ServerSocketChannel implements ReadinessSource, TimedServerSocketChannel {
    static final Set<SocketOption<?>> OPTIONS = TcpChannelOptions.SERVER;

    /** The backlog when none (or less than 1) is given, as the JDK's. */
    private static final int DEFAULT_BACKLOG = 50;

    /** Shard 0's access (the instance's first shard, where the port is held). */
    private final StackAccess access;
    /** The address rules of the channel's family (IPv4, or dual-stack); accepted channels share them. */
    private final SocketAddresses addresses;
    /** Bind, close and options; never held by the engine, and taken before any shard's lock. */
    private final ReentrantLock stateLock = new ReentrantLock();
    private final ReentrantLock acceptLock = new ReentrantLock();
    /** One per shard: its listener and its signal. */
    private final Part[] parts;
    private volatile InetSocketAddress localAddress;
    private volatile ChannelServerSocket socket;
    private final Object adaptorLock = new Object();
    /** The shard whose queue an accept tries first: each in turn (guarded by acceptLock). */
    private int nextPart;

    // guarded by the state lock (volatile: the engine's readiness and accept read them)
    private volatile boolean released;
    private final TcpSocketOptions options = new TcpSocketOptions();
    /** TCP_QUICKACK: reset by listen, as Linux's; turned off after it, the accepted sockets start with it off. */
    private volatile boolean quickAck = true;

    /** An IPv4 (INET) channel. */
    public UserspaceServerSocketChannel(SelectorProvider provider, StackAccess access) {
        this(provider, access, StandardProtocolFamily.INET);
    }

    /** Of {@code family}: INET, or INET6 and null for a dual-stack channel (see SocketAddresses). */
    public UserspaceServerSocketChannel(SelectorProvider provider, StackAccess access, ProtocolFamily family) {
        super(provider);
        this.addresses = SocketAddresses.of(family);
        this.access = Objects.requireNonNull(access);
        this.parts = new Part[access.shardCount()];
        for (int i = 0; i < parts.length; i++) parts[i] = new Part(access.shard(i));
        // Linux servers conventionally set SO_REUSEADDR and the JDK does so for ServerSocketChannel too
        this.options.reuseAddress = true;
    }

    /** An IPv4 channel. */
    public static UserspaceServerSocketChannel open(SelectorProvider provider, StackAccess access) throws IOException {
        return open(provider, access, StandardProtocolFamily.INET);
    }

    /** The factory a stack instance calls. */
    public static UserspaceServerSocketChannel open(SelectorProvider provider, StackAccess access, ProtocolFamily family)
            throws IOException {
        access.ensureOpen();
        return new UserspaceServerSocketChannel(provider, access, family);
    }

    /** The channel on one shard: that shard's listener, signalled under that shard's lock. */
    private final class Part extends ChannelSignal {
        final StackAccess shard;
        /** Set under the shard's lock (and the state lock) by bind. */
        volatile TcpListener listener;

        Part(StackAccess shard) {
            super(shard.lock(), UserspaceServerSocketChannel.this);
            this.shard = shard;
        }

        @Override
        int computeReadyOps() {
            TcpListener l = listener;
            if (l == null || released || !isOpen()) return 0;
            return l.readyOps() & SelectionKey.OP_ACCEPT;
        }
    }

    @Override
    public int readyOps() {
        int ops = 0;
        for (Part p : parts) ops |= p.readyOps();
        return ops;
    }

    @Override
    public void setReadinessListener(ReadinessListener l) {
        for (Part p : parts) p.setListener(l);
    }

    @Override
    public BusyPoller busyPoller() {
        return access.busyPoller();
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) throw new ClosedChannelException();
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    boolean isBound() {
        return localAddress != null;
    }

    @Override
    public ServerSocket socket() {
        ChannelServerSocket s = socket;
        if (s == null) {
            // not the read/accept lock: a thread blocked in a read must not block socket()
            synchronized (adaptorLock) {
                s = socket;
                if (s == null) socket = s = ChannelServerSocket.of(this);
            }
        }
        return s;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        return localAddress;
    }

    @Override
    public ServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
        stateLock.lock();
        try {
            ensureOpen();
            if (localAddress != null) throw new AlreadyBoundException();
            InetSocketAddress isa = addresses.checkLocal(local);
            TcpListener primary;
            StackLock first = access.lock();
            first.lock();
            try {
                access.ensureOpen();
                int ip = addresses.bindableIp(isa, access.ip());
                primary = access.tcp().listen(ip, isa.getPort(), backlog < 1 ? DEFAULT_BACKLOG : backlog, options);
                listening(parts[0], primary);
            } finally {
                first.unlock();
            }
            for (int i = 1; i < parts.length; i++) {
                StackLock l = parts[i].shard.lock();
                l.lock();
                try {
                    listening(parts[i], parts[i].shard.tcp().listenReplica(primary));
                } finally {
                    l.unlock();
                }
            }
            quickAck = true; // Linux's listen() starts the listener's ACK state afresh
            localAddress = addresses.bound(isa, primary.localPort()); // no host name kept, as the JDK
        } finally {
            stateLock.unlock();
        }
        return this;
    }

    /** {@code part}'s shard listens with {@code l}. Under that shard's lock. */
    private static void listening(Part part, TcpListener l) {
        l.setNotification(part);
        part.listener = l;
        part.refresh();
    }

    @Override
    public SocketChannel accept() throws IOException {
        return implAccept(false, 0L);
    }

    /**
     * A blocking accept bounded by {@code timeoutNanos} (0 or less: unbounded), for the ServerSocket
     * adaptor: SocketTimeoutException("Accept timed out") when it passes (the channel stays open).
     * IllegalBlockingModeException in non-blocking mode.
     */
    @Override
    public UserspaceSocketChannel accept(long timeoutNanos) throws IOException {
        return implAccept(true, timeoutNanos);
    }

    private UserspaceSocketChannel implAccept(boolean mustBlock, long timeoutNanos) throws IOException {
        acceptLock.lock();
        try {
            boolean blocking = isBlocking();
            if (mustBlock && !blocking) throw new IllegalBlockingModeException();
            UserspaceSocketChannel accepted = null;
            try {
                if (blocking) begin();
                ensureOpen();
                if (localAddress == null) throw new NotYetBoundException();
                if (blocking) setReader(Thread.currentThread());
                boolean timed = timeoutNanos > 0;
                long deadline = timed ? System.nanoTime() + timeoutNanos : 0L;
                long spin = access.spinNanos();
                while (true) {
                    // read before the queues are looked at: a connection queued after the look moves it
                    int observed = ChannelSignal.versions(parts);
                    boolean closed = false;
                    for (int k = 0; k < parts.length && accepted == null && !closed; k++) {
                        Part p = parts[nextPart];
                        nextPart = nextPart + 1 == parts.length ? 0 : nextPart + 1;
                        StackLock l = p.shard.lock();
                        l.lock();
                        try {
                            closed = !isOpen() || released;
                            if (!closed) accepted = acceptFrom(p);
                        } finally {
                            l.unlock();
                        }
                    }
                    if (closed || accepted != null || !blocking) break;
                    if (timed && deadline - System.nanoTime() <= 0) throw new SocketTimeoutException("Accept timed out");
                    ChannelSignal.awaitAny(parts, observed, spin, timed, deadline);
                }
            } finally {
                if (blocking) {
                    setReader(null);
                    end(accepted != null);
                }
            }
            return accepted;
        } finally {
            acceptLock.unlock();
        }
    }

    /** The next connection from {@code p}'s shard's queue as a channel on that shard, or null. Under its lock. */
    private UserspaceSocketChannel acceptFrom(Part p) throws SocketException {
        TcpListener listener = p.listener;
        UserspaceSocketChannel accepted = null;
        TcpConnection c = listener.accept();
        if (c != null) {
            if (!quickAck) c.setQuickAck(false); // a listener's delayed-ACK mode is its clones', as on Linux
            accepted = new UserspaceSocketChannel(provider(), p.shard, addresses, c);
        } else if (listener.error() != null) {
            throw new SocketException(listener.error().getMessage());  // the stack went down
        }
        p.refresh();
        return accepted;
    }

    private void setReader(Thread t) {
        for (Part p : parts) p.reader = t;
    }

    /** What the java.net adaptor binds for bind(null): 0.0.0.0, or the JDK's choice for a dual-stack channel. */
    @Override
    public InetAddress anyLocalAddress() {
        return addresses.adaptorWildcard();
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return OPTIONS;
    }

    @Override
    public <T> ServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        SocketOptionValues.checkSupported(name, OPTIONS);
        SocketOptionValues.checkType(name, value);
        stateLock.lock();
        try {
            ensureOpen();
            Object v = SocketOptionValues.checkRange(name, value);
            SocketOptionValues.checkPlatformLimits(name, v);
            // SO_RCVBUF reaches the listener's connections only if set before bind, as buffer sizes
            // fix the window scale; SO_REUSEPORT too counts at bind only, as on Linux
            if (name == StandardSocketOptions.SO_RCVBUF) options.receiveBufferSize = (Integer) v;
            else if (name == StandardSocketOptions.SO_REUSEADDR) options.reuseAddress = (Boolean) v;
            else if (name == StandardSocketOptions.SO_REUSEPORT) options.reusePort = (Boolean) v;
            else if (name.name().equals(TcpChannelOptions.QUICKACK)) quickAck = (Boolean) v;
            else if (TcpChannelOptions.setKeepAlive(options, null, name, v) && localAddress != null && !released) {
                // keepalive settings reach connections accepted from now on, as on Linux
                for (Part p : parts) {
                    StackLock l = p.shard.lock();
                    l.lock();
                    try {
                        p.listener.setKeepAliveOptions(options);
                    } finally {
                        l.unlock();
                    }
                }
            }
        } finally {
            stateLock.unlock();
        }
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(SocketOption<T> name) throws IOException {
        SocketOptionValues.checkSupported(name, OPTIONS);
        stateLock.lock();
        try {
            ensureOpen();
            if (name == StandardSocketOptions.SO_RCVBUF) return (T) (Integer) OptionValues.tcpReceiveBufferSize(options.receiveBufferSize);
            if (name == StandardSocketOptions.SO_REUSEADDR) return (T) (Boolean) options.reuseAddress;
            if (name == StandardSocketOptions.SO_REUSEPORT) return (T) (Boolean) options.reusePort;
            if (name.name().equals(TcpChannelOptions.QUICKACK)) return (T) (Boolean) quickAck;
            return (T) TcpChannelOptions.keepAliveOrNapi(options, access, name);
        } finally {
            stateLock.unlock();
        }
    }

    @Override
    protected void implCloseSelectableChannel() {
        stateLock.lock();
        try {
            boolean release = !released;
            released = true;
            // the twins first, shard 0's listener, which holds the port, last: the port is free only once no shard listens
            for (int i = parts.length - 1; i >= 0; i--) {
                Part p = parts[i];
                StackLock l = p.shard.lock();
                l.lock();
                try {
                    if (release && p.listener != null) p.listener.close(); // queued connections are reset
                    p.refresh();
                } finally {
                    l.unlock();
                }
            }
        } finally {
            stateLock.unlock();
        }
        for (Part p : parts) p.wake();
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        // nothing to configure (blocking is this channel's, never the engine's), but as the JDK's,
        // wait for an accept in progress to finish first
        acceptLock.lock();
        acceptLock.unlock();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSuperclass().getName()).append('[');
        if (!isOpen()) sb.append("closed");
        else if (localAddress == null) sb.append("unbound");
        else sb.append(localAddress);
        return sb.append(']').toString();
    }
}
