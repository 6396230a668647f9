package io.dmm.stack.userspace.channel;

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
 */
public class UserspaceServerSocketChannel extends ServerSocketChannel implements ReadinessSource, TimedServerSocketChannel {
    static final Set<SocketOption<?>> OPTIONS = TcpChannelOptions.SERVER;

    /** The backlog when none (or less than 1) is given, as the JDK's. */
    private static final int DEFAULT_BACKLOG = 50;

    private final StackAccess access;
    /** The address rules of the channel's family (IPv4, or dual-stack); accepted channels share them. */
    private final SocketAddresses addresses;
    private final StackLock stackLock;
    private final ReentrantLock acceptLock = new ReentrantLock();
    private final Signal signal;
    private volatile InetSocketAddress localAddress;
    private volatile ChannelServerSocket socket;
    private final Object adaptorLock = new Object();

    // guarded by the stack lock
    private TcpListener listener;
    private boolean released;
    private final TcpSocketOptions options = new TcpSocketOptions();
    /** TCP_QUICKACK: reset by listen, as Linux's; turned off after it, the accepted sockets start with it off. */
    private boolean quickAck = true;

    /** An IPv4 (INET) channel. */
    public UserspaceServerSocketChannel(SelectorProvider provider, StackAccess access) {
        this(provider, access, StandardProtocolFamily.INET);
    }

    /** Of {@code family}: INET, or INET6 and null for a dual-stack channel (see SocketAddresses). */
    public UserspaceServerSocketChannel(SelectorProvider provider, StackAccess access, ProtocolFamily family) {
        super(provider);
        this.addresses = SocketAddresses.of(family);
        this.access = Objects.requireNonNull(access);
        this.stackLock = access.lock();
        this.signal = new Signal();
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

    private final class Signal extends ChannelSignal {
        Signal() {
            super(stackLock, UserspaceServerSocketChannel.this);
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
        return signal.readyOps();
    }

    @Override
    public void setReadinessListener(ReadinessListener l) {
        signal.setListener(l);
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
        stackLock.lock();
        try {
            ensureOpen();
            if (localAddress != null) throw new AlreadyBoundException();
            InetSocketAddress isa = addresses.checkLocal(local);
            access.ensureOpen();
            int ip = addresses.bindableIp(isa, access.ip());
            TcpListener l = access.tcp().listen(ip, isa.getPort(), backlog < 1 ? DEFAULT_BACKLOG : backlog, options);
            l.setNotification(signal);
            listener = l;
            quickAck = true; // Linux's listen() starts the listener's ACK state afresh
            localAddress = addresses.bound(isa, l.localPort()); // no host name kept, as the JDK
            signal.refresh();
        } finally {
            stackLock.unlock();
        }
        return this;
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
                if (blocking) signal.reader = Thread.currentThread();
                boolean timed = timeoutNanos > 0;
                long deadline = timed ? System.nanoTime() + timeoutNanos : 0L;
                long spin = access.spinNanos();
                while (true) {
                    int observed;
                    stackLock.lock();
                    try {
                        if (!isOpen() || released) break;
                        TcpConnection c = listener.accept();
                        if (c != null) {
                            if (!quickAck) c.setQuickAck(false); // a listener's delayed-ACK mode is its clones', as on Linux
                            accepted = new UserspaceSocketChannel(provider(), access, addresses, c);
                        } else if (listener.error() != null) {
                            throw new SocketException(listener.error().getMessage());  // the stack went down
                        }
                        signal.refresh();
                        observed = signal.version();
                    } finally {
                        stackLock.unlock();
                    }
                    if (accepted != null || !blocking) break;
                    if (timed && deadline - System.nanoTime() <= 0) throw new SocketTimeoutException("Accept timed out");
                    signal.await(observed, spin, timed, deadline);
                }
            } finally {
                if (blocking) {
                    signal.reader = null;
                    end(accepted != null);
                }
            }
            return accepted;
        } finally {
            acceptLock.unlock();
        }
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
        stackLock.lock();
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
            else if (TcpChannelOptions.setKeepAlive(options, null, name, v) && listener != null && !released) {
                listener.setKeepAliveOptions(options); // keepalive settings reach connections accepted from now on, as on Linux
            }
        } finally {
            stackLock.unlock();
        }
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(SocketOption<T> name) throws IOException {
        SocketOptionValues.checkSupported(name, OPTIONS);
        stackLock.lock();
        try {
            ensureOpen();
            if (name == StandardSocketOptions.SO_RCVBUF) return (T) (Integer) OptionValues.tcpReceiveBufferSize(options.receiveBufferSize);
            if (name == StandardSocketOptions.SO_REUSEADDR) return (T) (Boolean) options.reuseAddress;
            if (name == StandardSocketOptions.SO_REUSEPORT) return (T) (Boolean) options.reusePort;
            if (name.name().equals(TcpChannelOptions.QUICKACK)) return (T) (Boolean) quickAck;
            return (T) TcpChannelOptions.keepAliveOrNapi(options, access, name);
        } finally {
            stackLock.unlock();
        }
    }

    @Override
    protected void implCloseSelectableChannel() {
        stackLock.lock();
        try {
            if (!released) {
                released = true;
                if (listener != null) listener.close(); // queued connections are reset
            }
            signal.refresh();
        } finally {
            stackLock.unlock();
        }
        signal.wake();
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
