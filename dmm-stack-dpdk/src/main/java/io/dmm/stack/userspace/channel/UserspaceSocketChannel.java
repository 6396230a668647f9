package io.dmm.stack.userspace.channel;

import io.dmm.api.spi.BusyPoller;
import io.dmm.api.spi.ReadinessListener;
import io.dmm.api.spi.ReadinessSource;
import io.dmm.jdk.net.ChannelSocket;
import io.dmm.jdk.net.SocketExceptions;
import io.dmm.jdk.net.TimedSocketChannel;
import io.dmm.jdk.options.SocketOptionValues;
import io.dmm.stack.userspace.StackLock;
import io.dmm.stack.userspace.wire.Ipv4Address;
import io.dmm.stack.userspace.tcp.TcpConnection;
import io.dmm.stack.userspace.tcp.TcpSocketOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ProtocolFamily;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP socket channel of the userspace stack (IPv4; dual-stack when of family INET6), with the JDK's
 * {@code sun.nio.ch.SocketChannelImpl} semantics: blocking and non-blocking modes, the same
 * exceptions in the same order, interrupts closing the channel.
 *
 * <p>There is no file descriptor: every engine call is made holding the stack's lock and never
 * blocks; a blocked operation records its thread in the channel's {@link ChannelSignal}, releases the
 * lock, spins briefly then parks until the engine's notification (or a close) unparks it, and checks
 * again. Readiness for DMM's selector is the signal's lock-free snapshot.
 */
public class UserspaceSocketChannel extends SocketChannel implements ReadinessSource, TimedSocketChannel {
    static final Set<SocketOption<?>> OPTIONS = TcpChannelOptions.socket();

    private static final int ST_UNCONNECTED = 0;
    private static final int ST_PENDING = 1;
    private static final int ST_CONNECTED = 2;
    /** Closed: as the JDK's, a closed channel is no longer connected (isConnected false). */
    private static final int ST_CLOSED = 3;

    /**
     * The shard the channel lives on, and its lock. Set at open (each new channel on the next shard)
     * and changed at most once, by a connect from an explicitly bound port whose flow another shard
     * owns ({@link #moveTo}); engine calls take the lock with {@link #lockStack()}, which sees it.
     */
    private volatile StackAccess access;
    private volatile StackLock stackLock;
    /** The address rules of the channel's family (IPv4, or dual-stack). */
    private final SocketAddresses addresses;
    /** Serialize same-direction callers, as the JDK's; connect and bind take both. */
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Signal signal;

    private volatile int state;
    private volatile InetSocketAddress localAddress;
    private volatile InetSocketAddress remoteAddress;
    private volatile boolean inputClosed;
    private volatile boolean outputClosed;
    private volatile boolean connectionReset;
    /**
     * A write reported the reset ("Connection reset by peer"), which spends it as a socket error is
     * spent on Linux: reads then return the bytes that came before it and end of stream.
     */
    private volatile boolean resetSpentByWrite;
    private volatile ChannelSocket socket;
    private final Object adaptorLock = new Object();

    // guarded by the stack lock
    private TcpConnection conn;
    /** A TcpStack.bind reservation not (yet) handed to connect, which then owns it. */
    private boolean reserved;
    private int reservedIp;
    private int reservedPort;
    /** Whether the reservation shares its port (SO_REUSEPORT when it was made). */
    private boolean reservedShared;
    /** The engine socket was closed (or the reservation released) by close(). */
    private boolean released;
    private final TcpSocketOptions options;
    /** TCP_QUICKACK, a connection's state rather than an option it inherits (an accepted socket starts with it on, as on Linux). */
    private boolean quickAck = true;

    // views over the adaptor streams' arrays, reused while the same array comes back (under readLock/writeLock)
    private byte[] readArray;
    private ByteBuffer readView;
    private byte[] writeArray;
    private ByteBuffer writeView;

    /** An IPv4 (INET) channel. */
    public UserspaceSocketChannel(SelectorProvider provider, StackAccess access) {
        this(provider, access, StandardProtocolFamily.INET);
    }

    /** Of {@code family}: INET, or INET6 and null for a dual-stack channel (see SocketAddresses). */
    public UserspaceSocketChannel(SelectorProvider provider, StackAccess access, ProtocolFamily family) {
        super(provider);
        this.addresses = SocketAddresses.of(family);
        this.access = Objects.requireNonNull(access);
        this.stackLock = access.lock();
        this.signal = new Signal();
        this.options = new TcpSocketOptions();
    }

    /** An accepted connection, already established. Under the stack lock. */
    UserspaceSocketChannel(SelectorProvider provider, StackAccess access, SocketAddresses addresses, TcpConnection accepted) {
        super(provider);
        this.addresses = addresses;
        this.access = access;
        this.stackLock = access.lock();
        this.signal = new Signal();
        this.options = accepted.options().copy();
        this.conn = accepted;
        this.localAddress = SocketAddresses.of(accepted.localIp(), accepted.localPort());
        this.remoteAddress = SocketAddresses.of(accepted.remoteIp(), accepted.remotePort());
        this.state = ST_CONNECTED;
        accepted.setNotification(signal);
        signal.refresh();
    }

    /** An IPv4 channel. */
    public static UserspaceSocketChannel open(SelectorProvider provider, StackAccess access) throws IOException {
        return open(provider, access, StandardProtocolFamily.INET);
    }

    /** The factory a stack instance calls. */
    public static UserspaceSocketChannel open(SelectorProvider provider, StackAccess access, ProtocolFamily family)
            throws IOException {
        access.ensureOpen();
        return new UserspaceSocketChannel(provider, access, family);
    }

    /** Takes the lock of the channel's shard, as it is once held (a connect may have moved the channel). */
    private StackLock lockStack() {
        while (true) {
            StackLock l = stackLock;
            l.lock();
            if (l == stackLock) return l;
            l.unlock();
        }
    }

    /**
     * Moves this channel, not yet connected, to {@code target}, the shard that owns the flow it is
     * about to open: called holding {@code held}, the old shard's lock, which it releases; returns
     * {@code target}'s lock, held. Threads waiting for the old lock find the new one (lockStack).
     */
    private StackLock moveTo(StackAccess target, StackLock held) {
        StackLock next = target.lock();
        access = target;
        stackLock = next;
        signal.moveTo(next);
        held.unlock();
        next.lock();
        return next;
    }

    private final class Signal extends ChannelSignal {
        Signal() {
            super(stackLock, UserspaceSocketChannel.this);
        }

        @Override
        int computeReadyOps() {
            TcpConnection c = conn;
            if (c == null || released || !isOpen()) return 0;
            int ops = c.readyOps();
            return switch (state) {
                case ST_PENDING -> ops & SelectionKey.OP_CONNECT;
                case ST_CONNECTED -> ops & (SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                default -> 0;
            };
        }
    }

    // ------------------------------------------------------------------ readiness

    @Override
    public int readyOps() {
        return signal.readyOps();
    }

    @Override
    public void setReadinessListener(ReadinessListener listener) {
        signal.setListener(listener);
    }

    @Override
    public BusyPoller busyPoller() {
        return access.busyPoller();
    }

    // ------------------------------------------------------------------ state checks

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) throw new ClosedChannelException();
    }

    private void ensureOpenAndConnected() throws ClosedChannelException {
        if (!isOpen()) throw new ClosedChannelException();
        if (state != ST_CONNECTED) throw new NotYetConnectedException();
    }

    @Override
    public boolean isConnected() {
        return state == ST_CONNECTED;
    }

    @Override
    public boolean isConnectionPending() {
        return state == ST_PENDING;
    }

    @Override
    public boolean isInputOpen() {
        return !inputClosed;
    }

    @Override
    public boolean isOutputOpen() {
        return !outputClosed;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        return localAddress;
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        return remoteAddress;
    }

    @Override
    public Socket socket() {
        ChannelSocket s = socket;
        if (s == null) {
            // not the read/accept lock: a thread blocked in a read must not block socket()
            synchronized (adaptorLock) {
                s = socket;
                if (s == null) socket = s = ChannelSocket.of(this);
            }
        }
        return s;
    }

    // ------------------------------------------------------------------ bind

    @Override
    public SocketChannel bind(SocketAddress local) throws IOException {
        readLock.lock();
        try {
            writeLock.lock();
            try {
                StackLock stackLock = lockStack();
                try {
                    ensureOpen();
                    if (state == ST_PENDING) throw new ConnectionPendingException();
                    if (localAddress != null || state == ST_CONNECTED) throw new AlreadyBoundException();
                    InetSocketAddress isa = addresses.checkLocal(local);
                    access.ensureOpen();
                    int ip = addresses.bindableIp(isa, access.ip());
                    int port = access.tcp().bind(ip, isa.getPort(), options.reuseAddress, options.reusePort);
                    reserved = true;
                    reservedShared = options.reusePort;
                    reservedIp = ip;
                    reservedPort = port;
                    localAddress = addresses.bound(isa, port); // no host name kept, as the JDK
                } finally {
                    stackLock.unlock();
                }
            } finally {
                writeLock.unlock();
            }
        } finally {
            readLock.unlock();
        }
        return this;
    }

    // ------------------------------------------------------------------ connect

    @Override
    public boolean connect(SocketAddress remote) throws IOException {
        InetSocketAddress isa = addresses.check(remote);
        return connect(isa, false, false, 0L);
    }

    /**
     * A blocking connect bounded by {@code timeoutNanos} (0 or less: unbounded), for the Socket
     * adaptor: SocketTimeoutException("Connect timed out") when it passes, after which the channel is
     * closed, as the JDK's. IllegalBlockingModeException in non-blocking mode.
     */
    public void connect(SocketAddress remote, long timeoutNanos) throws IOException {
        InetSocketAddress isa = addresses.check(remote);
        connect(isa, true, timeoutNanos > 0, timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0L);
    }

    private boolean connect(InetSocketAddress isa, boolean mustBlock, boolean timed, long deadline) throws IOException {
        try {
            readLock.lock();
            try {
                writeLock.lock();
                try {
                    ensureOpen();
                    boolean blocking = isBlocking();
                    if (mustBlock && !blocking) throw new IllegalBlockingModeException();
                    boolean connected = false;
                    try {
                        beginConnect(blocking, isa);
                        if (blocking) {
                            connected = awaitConnect(timed, deadline);
                        }
                        // Non-blocking: always pending, as Linux's connect(2) is even on loopback (EINPROGRESS),
                        // though here the handshake to a local address may already be over: the outcome,
                        // success or refusal, is finishConnect's to report, and OP_CONNECT fires. Programs
                        // that treat only OP_CONNECT as the way to a connection work as on the kernel.
                    } finally {
                        endConnect(blocking, connected);
                    }
                    return connected;
                } finally {
                    writeLock.unlock();
                }
            } finally {
                readLock.unlock();
            }
        } catch (IOException e) {
            // a failed connect closes the channel, as the JDK's
            close();
            // with jdk.includeInExceptions=hostInfo the address is in the text, as the JDK's (not in the
            // adaptor's connect timeout, which the JDK's socket reports as it is)
            throw e instanceof SocketTimeoutException ? e : SocketExceptions.withHostInfo(e, isa);
        }
    }

    private void beginConnect(boolean blocking, InetSocketAddress isa) throws IOException {
        if (blocking) begin();
        StackLock stackLock = lockStack();
        try {
            ensureOpen();
            if (state == ST_CONNECTED) throw new AlreadyConnectedException();
            if (state == ST_PENDING) throw new ConnectionPendingException();
            access.ensureOpen();
            int remoteIp = addresses.destinationIp(isa, access.ip());
            state = ST_PENDING;
            // the wildcard address means this host: the peer is recorded as the address connected to, as the JDK's
            remoteAddress = isa.getAddress().isAnyLocalAddress() ? SocketAddresses.of(remoteIp, isa.getPort()) : isa;
            if (blocking) signal.reader = Thread.currentThread();
            if (!reserved) {
                // an unbound client binds implicitly, as connect(2) does: to a port whose flow is this shard's
                reservedPort = access.tcp().bindEphemeral();
                reservedIp = 0;
                reserved = true;
                reservedShared = false;
            } else {
                int owner = access.tcp().shardOf(reservedIp, reservedPort, remoteIp, isa.getPort());
                if (owner != access.shardIndex()) {
                    stackLock = moveTo(access.shard(owner), stackLock);
                    // closed while neither lock was held: the reservation went with it
                    if (released) throw new ClosedChannelException();
                }
            }
            TcpConnection c = access.tcp().connect(reservedIp, reservedPort, remoteIp, isa.getPort(), options, reservedShared);
            reserved = false; // the connection owns the port now
            if (!quickAck) c.setQuickAck(false);
            c.setNotification(signal);
            conn = c;
            signal.refresh();
        } finally {
            stackLock.unlock();
        }
    }

    /** Whether the handshake completed; throws the engine's failure (refused, timed out). Under the lock. */
    private boolean pollConnectLocked() throws IOException {
        TcpConnection c = conn;
        if (c == null || released) return false;
        IOException failure = c.connectFailure();
        if (failure != null) throw inCallersContext(failure);
        return c.isEstablished();
    }

    /**
     * The engine's failure as a new exception of the same kind, so that its stack trace shows the
     * application's call rather than the poll loop that saw the RST or the last SYN time out.
     */
    private static IOException inCallersContext(IOException failure) {
        if (failure instanceof ConnectException) return new ConnectException(failure.getMessage());
        if (failure instanceof NoRouteToHostException) return new NoRouteToHostException(failure.getMessage());
        return failure;
    }

    private boolean awaitConnect(boolean timed, long deadline) throws IOException {
        long spin = access.spinNanos();
        while (true) {
            int observed;
            StackLock stackLock = lockStack();
            try {
                if (!isOpen()) return false;
                if (pollConnectLocked()) return true;
                observed = signal.version();
            } finally {
                stackLock.unlock();
            }
            if (timed && deadline - System.nanoTime() <= 0) throw new SocketTimeoutException("Connect timed out");
            signal.await(observed, spin, timed, deadline);
        }
    }

    private void endConnect(boolean blocking, boolean completed) throws IOException {
        if (blocking) {
            signal.reader = null;
            end(completed);
        }
        if (completed) {
            StackLock stackLock = lockStack();
            try {
                if (state == ST_PENDING) {
                    localAddress = SocketAddresses.of(conn.localIp(), conn.localPort());
                    state = ST_CONNECTED;
                }
                signal.refresh();
            } finally {
                stackLock.unlock();
            }
        }
    }

    @Override
    public boolean finishConnect() throws IOException {
        try {
            readLock.lock();
            try {
                writeLock.lock();
                try {
                    if (isConnected()) return true;
                    ensureOpen();
                    boolean blocking = isBlocking();
                    boolean connected = false;
                    try {
                        if (blocking) begin();
                        StackLock stackLock = lockStack();
                        try {
                            ensureOpen();
                            if (state != ST_PENDING) throw new NoConnectionPendingException();
                            if (blocking) signal.reader = Thread.currentThread();
                            connected = pollConnectLocked();
                        } finally {
                            stackLock.unlock();
                        }
                        if (!connected && blocking) connected = awaitConnect(false, 0L);
                        connected = connected && isOpen();
                    } finally {
                        endConnect(blocking, connected);
                    }
                    return connected;
                } finally {
                    writeLock.unlock();
                }
            } finally {
                readLock.unlock();
            }
        } catch (IOException e) {
            close();
            throw SocketExceptions.withHostInfo(e, remoteAddress);
        }
    }

    // ------------------------------------------------------------------ read

    @Override
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst);
        return (int) implRead(dst, null, 0, 0, false, 0L);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        return implRead(null, dsts, offset, length, false, 0L);
    }

    /**
     * A blocking read bounded by {@code timeoutNanos} (0 or less: unbounded), for the Socket
     * adaptor's input stream: SocketTimeoutException("Read timed out") when it passes (the channel
     * stays open). IllegalBlockingModeException in non-blocking mode.
     */
    public int read(ByteBuffer dst, long timeoutNanos) throws IOException {
        Objects.requireNonNull(dst);
        return (int) implRead(dst, null, 0, 0, true, timeoutNanos);
    }

    /** The adaptor stream's read: blocking, at least one byte or -1, as {@code SocketChannelImpl.blockingRead}. */
    @Override
    public int read(byte[] b, int off, int len, long timeoutNanos) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        readLock.lock();
        try {
            if (b != readArray) {
                readArray = b;
                readView = ByteBuffer.wrap(b);
            }
            ByteBuffer view = readView;
            view.limit(off + len).position(off);
            return (int) implRead(view, null, 0, 0, true, timeoutNanos);
        } finally {
            readLock.unlock();
        }
    }

    private long implRead(ByteBuffer single, ByteBuffer[] dsts, int offset, int length, boolean mustBlock,
                          long timeoutNanos) throws IOException {
        readLock.lock();
        try {
            ensureOpenAndConnected();
            boolean blocking = isBlocking();
            if (mustBlock && !blocking) throw new IllegalBlockingModeException();
            long n = 0;
            boolean interruptible = false;
            try {
                if (blocking) {
                    if (Thread.currentThread().isInterrupted()) { // see beginInterruptible
                        interruptible = true;
                        begin(); // closes the channel at once
                        ensureOpen();
                    }
                    signal.reader = Thread.currentThread();
                }
                if (connectionReset) throw new SocketException("Connection reset");
                if (inputClosed) return -1;
                if (!hasRemaining(single, dsts, offset, length)) return 0;
                boolean timed = timeoutNanos > 0;
                long deadline = timed ? System.nanoTime() + timeoutNanos : 0L;
                long spin = access.spinNanos();
                while (true) {
                    int observed;
                    StackLock stackLock = lockStack();
                    try {
                        if (!isOpen() || released) {
                            if (blocking && !interruptible) interruptible = beginInterruptible(); // for end(): AsynchronousCloseException
                            break;
                        }
                        n = single != null ? engineRead(single) : engineRead(dsts, offset, length);
                        signal.refresh();
                        observed = signal.version();
                    } finally {
                        stackLock.unlock();
                    }
                    if (n != 0 || !blocking) break;
                    if (!interruptible) {
                        interruptible = beginInterruptible();
                        continue;
                    }
                    if (timed && deadline - System.nanoTime() <= 0) throw new SocketTimeoutException("Read timed out");
                    signal.await(observed, spin, timed, deadline);
                }
            } finally {
                if (blocking) {
                    signal.reader = null;
                    if (interruptible) end(n > 0);
                }
                if (n <= 0 && inputClosed) return -1;
            }
            return n;
        } finally {
            readLock.unlock();
        }
    }

    /**
     * A blocking read or write becomes interruptible (begin(): an interrupt closes the channel)
     * only once it has to wait, not for a first attempt that completes at once: the JDK's channel
     * is interruptible for the whole call, but its call is one system call, while here a write to a
     * loopback peer delivers the bytes and wakes the peer before it returns, and a peer that reacts by
     * interrupting the writer (jtreg's AdaptServerSocket does) would otherwise close a channel whose
     * write had completed. An interrupt that lands during such an attempt stays pending, as if it had
     * come just after the call. A thread interrupted already when it calls is the JDK's case: the
     * channel closes at once (ClosedByInterruptException). The caller retries once before it waits
     * (a close or interrupt in between is then seen) and calls end() as the call ends.
     */
    private boolean beginInterruptible() {
        begin();
        return true;
    }

    private int engineRead(ByteBuffer dst) throws IOException {
        try {
            return conn.read(dst);
        } catch (IOException e) {
            return readFailure(e);
        }
    }

    /**
     * A reset is remembered, as the JDK's: later reads report it before anything else (even after
     * shutdownInput). One a write already reported is end of stream, as the JDK's read then returns.
     */
    private int readFailure(IOException e) throws IOException {
        if (isReset(e)) {
            if (resetSpentByWrite) return -1;
            connectionReset = true;
        }
        throw e;
    }

    private static boolean isReset(IOException e) {
        return "Connection reset".equals(e.getMessage());
    }

    /** Scattering: the engine's single-buffer reads in order, under one lock hold. */
    private long engineRead(ByteBuffer[] dsts, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            ByteBuffer b = dsts[i];
            if (!b.hasRemaining()) continue;
            int r;
            try {
                r = conn.read(b);
            } catch (IOException e) {
                if (total > 0) return total; // report the bytes first; the failure shows on the next read
                return readFailure(e);
            }
            if (r < 0) return total > 0 ? total : -1;
            total += r;
            if (b.hasRemaining()) break; // nothing more available now
        }
        return total;
    }

    private static boolean hasRemaining(ByteBuffer single, ByteBuffer[] bufs, int offset, int length) {
        if (single != null) return single.hasRemaining();
        for (int i = offset; i < offset + length; i++) {
            if (bufs[i].hasRemaining()) return true;
        }
        return false;
    }

    @Override
    public int available() throws IOException {
        StackLock stackLock = lockStack();
        try {
            ensureOpenAndConnected();
            if (inputClosed || released) return 0;
            return conn.available();
        } finally {
            stackLock.unlock();
        }
    }

    // ------------------------------------------------------------------ write

    @Override
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src);
        return (int) implWrite(src, null, 0, 0, false, false);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        return implWrite(null, srcs, offset, length, false, false);
    }

    /** The adaptor stream's write: blocking, all bytes, as {@code SocketChannelImpl.blockingWriteFully}. */
    @Override
    public void writeFully(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return;
        writeLock.lock();
        try {
            if (b != writeArray) {
                writeArray = b;
                writeView = ByteBuffer.wrap(b);
            }
            ByteBuffer view = writeView;
            view.limit(off + len).position(off);
            implWrite(view, null, 0, 0, true, false);
        } finally {
            writeLock.unlock();
        }
    }

    /** {@code urgent}: {@code single} is urgent data (sendUrgentData), queued all at once or not at all. */
    private long implWrite(ByteBuffer single, ByteBuffer[] srcs, int offset, int length, boolean mustBlock,
                           boolean urgent) throws IOException {
        writeLock.lock();
        try {
            ensureOpenAndConnected();
            boolean blocking = isBlocking();
            if (mustBlock && !blocking) throw new IllegalBlockingModeException();
            long n = 0;
            boolean interruptible = false;
            try {
                if (blocking) {
                    if (Thread.currentThread().isInterrupted()) { // see beginInterruptible
                        interruptible = true;
                        begin(); // closes the channel at once
                        ensureOpen();
                    }
                    if (outputClosed) throw new ClosedChannelException();
                    signal.writer = Thread.currentThread();
                }
                // a reset a read has already reported is spent, as a socket error is on Linux: the
                // connection is gone and writes now see a broken pipe (what the JDK's sockets report)
                if (connectionReset || resetSpentByWrite) throw new IOException("Broken pipe");
                long total = remaining(single, srcs, offset, length);
                long spin = access.spinNanos();
                // a blocking write returns once all bytes are taken, as on a blocking socket
                while (n < total) {
                    int observed;
                    long w;
                    StackLock stackLock = lockStack();
                    try {
                        // shut down by another thread meanwhile: what was written counts, as a blocking
                        // send's partial count on Linux; nothing written is the JDK's AsynchronousCloseException
                        if (!isOpen() || released || outputClosed) {
                            if (blocking && !interruptible) interruptible = beginInterruptible(); // for end(): AsynchronousCloseException
                            break;
                        }
                        w = single != null ? engineWrite(single, urgent) : engineWrite(srcs, offset, length);
                        n += w;
                        signal.refresh();
                        observed = signal.version();
                    } finally {
                        stackLock.unlock();
                    }
                    if (!blocking) break;
                    if (w == 0 && !interruptible) {
                        interruptible = beginInterruptible();
                    } else if (w == 0) {
                        signal.await(observed, spin, false, 0L);
                    }
                }
            } finally {
                if (blocking) {
                    signal.writer = null;
                    if (interruptible) end(n > 0);
                }
                if (n <= 0 && outputClosed) throw new AsynchronousCloseException();
            }
            return n;
        } finally {
            writeLock.unlock();
        }
    }

    /** Gathering: the engine's single-buffer writes in order, under one lock hold, until one is short. */
    private long engineWrite(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            ByteBuffer b = srcs[i];
            if (!b.hasRemaining()) continue;
            int w;
            try {
                w = engineWrite(b, false);
            } catch (IOException e) {
                if (total > 0) return total;
                throw e;
            }
            total += w;
            if (b.hasRemaining()) break; // the send buffer is full
        }
        return total;
    }

    /**
     * The engine's write; a reset no read has reported yet is the JDK's write error on Linux,
     * ECONNRESET: IOException("Connection reset by peer"), and it is spent (see resetSpentByWrite).
     */
    private int engineWrite(ByteBuffer src, boolean urgent) throws IOException {
        try {
            return urgent ? conn.writeUrgent(src) : conn.write(src);
        } catch (IOException e) {
            if (isReset(e) && !connectionReset) {
                resetSpentByWrite = true;
                throw new IOException("Connection reset by peer");
            }
            throw e;
        }
    }

    /** Bytes left in {@code single}, or else in {@code bufs[offset .. offset+length)}. */
    static long remaining(ByteBuffer single, ByteBuffer[] bufs, int offset, int length) {
        if (single != null) return single.remaining();
        long r = 0;
        for (int i = offset; i < offset + length; i++) r += bufs[i].remaining();
        return r;
    }

    // ------------------------------------------------------------------ shutdown

    @Override
    public SocketChannel shutdownInput() throws IOException {
        StackLock stackLock = lockStack();
        try {
            ensureOpen();
            if (!isConnected()) throw new NotYetConnectedException();
            if (!inputClosed) {
                if (!released) conn.shutdownInput();
                inputClosed = true;
                signal.refresh();
            }
        } finally {
            stackLock.unlock();
        }
        signal.wake(); // a blocked reader returns -1, as the JDK signals it
        return this;
    }

    @Override
    public SocketChannel shutdownOutput() throws IOException {
        StackLock stackLock = lockStack();
        try {
            ensureOpen();
            if (!isConnected()) throw new NotYetConnectedException();
            if (!outputClosed) {
                if (!released) conn.shutdownOutput();
                outputClosed = true;
                signal.refresh();
            }
        } finally {
            stackLock.unlock();
        }
        signal.wake();
        return this;
    }

    // ------------------------------------------------------------------ options

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return OPTIONS;
    }

    @Override
    public <T> SocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        SocketOptionValues.checkSupported(name, OPTIONS);
        SocketOptionValues.checkType(name, value);
        StackLock stackLock = lockStack();
        try {
            ensureOpen();
            Object v = SocketOptionValues.checkRange(name, value);
            SocketOptionValues.checkPlatformLimits(name, v);
            TcpConnection c = released ? null : conn;
            if (name == StandardSocketOptions.SO_SNDBUF) {
                options.sendBufferSize = (Integer) v;
                if (c != null) c.setSendBufferSize(options.sendBufferSize);
            } else if (name == StandardSocketOptions.SO_RCVBUF) {
                options.receiveBufferSize = (Integer) v; // the window scale is the handshake's: set it before connect to go beyond
                if (c != null) c.setReceiveBufferSize(options.receiveBufferSize);
            } else if (name == StandardSocketOptions.SO_KEEPALIVE) {
                options.keepAlive = (Boolean) v;
                if (c != null) c.setKeepAlive(options.keepAlive);
            } else if (name == StandardSocketOptions.SO_REUSEADDR) {
                options.reuseAddress = (Boolean) v;
            } else if (name == StandardSocketOptions.SO_REUSEPORT) {
                options.reusePort = (Boolean) v; // counts at bind, as on Linux
            } else if (name == StandardSocketOptions.SO_LINGER) {
                options.lingerSeconds = (Integer) v;
                if (c != null) c.setLingerSeconds(options.lingerSeconds);
            } else if (name == StandardSocketOptions.TCP_NODELAY) {
                options.noDelay = (Boolean) v;
                if (c != null) c.setNoDelay(options.noDelay);
            } else if (name == StandardSocketOptions.IP_TOS) {
                options.typeOfService = TcpChannelOptions.tcpTypeOfService((Integer) v);
                if (c != null) c.setTypeOfService(options.typeOfService);
            } else if (name.name().equals(TcpChannelOptions.OOBINLINE)) {
                setOobInlineLocked((Boolean) v);
            } else if (name.name().equals(TcpChannelOptions.QUICKACK)) {
                quickAck = (Boolean) v;
                if (c != null) c.setQuickAck(quickAck);
            } else {
                TcpChannelOptions.setKeepAlive(options, c, name, v);
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
        StackLock stackLock = lockStack();
        try {
            ensureOpen();
            Object v;
            if (name == StandardSocketOptions.SO_SNDBUF) v = OptionValues.tcpSendBufferSize(options.sendBufferSize);
            else if (name == StandardSocketOptions.SO_RCVBUF) v = OptionValues.tcpReceiveBufferSize(options.receiveBufferSize);
            else if (name == StandardSocketOptions.SO_KEEPALIVE) v = options.keepAlive;
            else if (name == StandardSocketOptions.SO_REUSEADDR) v = options.reuseAddress;
            else if (name == StandardSocketOptions.SO_REUSEPORT) v = options.reusePort;
            else if (name == StandardSocketOptions.SO_LINGER) v = options.lingerSeconds;
            else if (name == StandardSocketOptions.TCP_NODELAY) v = options.noDelay;
            else if (name == StandardSocketOptions.IP_TOS) v = options.typeOfService;
            else if (name.name().equals(TcpChannelOptions.OOBINLINE)) v = options.oobInline;
            else if (name.name().equals(TcpChannelOptions.QUICKACK)) v = conn != null && !released ? conn.quickAck() : quickAck;
            else v = TcpChannelOptions.keepAliveOrNapi(options, access, name);
            return (T) v;
        } finally {
            stackLock.unlock();
        }
    }

    /**
     * One urgent byte (RFC 9293 §3.8.5; the urgent pointer after it, as Linux sends MSG_OOB), after the
     * bytes written before it. As the JDK's adaptor: blocking, it waits for room in the send buffer;
     * non-blocking, IOException("Socket buffer full") when there is none.
     */
    @Override
    public void sendUrgentData(int data) throws IOException {
        ByteBuffer one = ByteBuffer.wrap(new byte[] {(byte) data});
        if (implWrite(one, null, 0, 0, false, true) == 0) throw new IOException("Socket buffer full");
    }

    /** SO_OOBINLINE: on, an urgent byte is read inline; off (the default), reads skip it, as on Linux. */
    @Override
    public void setOOBInline(boolean on) throws IOException {
        StackLock stackLock = lockStack();
        try {
            ensureOpen();
            setOobInlineLocked(on);
        } finally {
            stackLock.unlock();
        }
    }

    private void setOobInlineLocked(boolean on) {
        options.oobInline = on;
        if (conn != null && !released) conn.setOobInline(on);
    }

    @Override
    public boolean getOOBInline() throws IOException {
        StackLock stackLock = lockStack();
        try {
            ensureOpen();
            return options.oobInline;
        } finally {
            stackLock.unlock();
        }
    }

    /** What the java.net adaptor binds for bind(null): 0.0.0.0, or the JDK's choice for a dual-stack channel. */
    @Override
    public InetAddress anyLocalAddress() {
        return addresses.adaptorWildcard();
    }

    // ------------------------------------------------------------------ close

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        StackLock stackLock = lockStack();
        try {
            state = ST_CLOSED;
            if (!released) {
                released = true;
                if (conn != null) {
                    conn.close(); // FIN, or RST per SO_LINGER 0 / unread data
                } else if (reserved) {
                    access.tcp().unbind(reservedIp, reservedPort, reservedShared);
                    reserved = false;
                }
            }
            signal.refresh();
        } finally {
            stackLock.unlock();
        }
        signal.wake(); // blocked threads see the channel closed and leave (AsynchronousCloseException)
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        // nothing to configure (blocking is this channel's, never the engine's), but as the JDK's,
        // wait for a read or write in progress to finish first
        readLock.lock();
        try {
            writeLock.lock();
            writeLock.unlock();
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSuperclass().getName()).append('[');
        if (!isOpen()) {
            sb.append("closed");
        } else {
            switch (state) {
                case ST_PENDING -> sb.append("connection-pending");
                case ST_CONNECTED -> {
                    sb.append("connected");
                    if (inputClosed) sb.append(" ishut");
                    if (outputClosed) sb.append(" oshut");
                }
                default -> sb.append("unconnected");
            }
            if (localAddress != null) sb.append(" local=").append(localAddress);
            if (remoteAddress != null) sb.append(" remote=").append(remoteAddress);
        }
        return sb.append(']').toString();
    }
}
