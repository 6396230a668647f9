package io.dmm.stack.userspace.channel;

import io.dmm.api.spi.AsynchronousGroup;
import io.dmm.api.spi.ReadinessListener;
import io.dmm.api.spi.ReadinessSource;
import io.dmm.jdk.async.AsyncResult;
import io.dmm.jdk.options.SocketOptionValues;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.ReadPendingException;
import java.nio.channels.SelectionKey;
import java.nio.channels.WritePendingException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * An asynchronous TCP channel of the userspace stack, with the JDK's
 * {@code sun.nio.ch.UnixAsynchronousSocketChannelImpl} semantics: a face over the same socket core
 * as the blocking channel ({@link UserspaceSocketChannel}, kept in non-blocking mode), whose
 * readiness notifications drive the pending operations ({@link AsyncOperation}); completion
 * handlers run on the group's threads.
 */
public final class UserspaceAsynchronousSocketChannel extends AsynchronousSocketChannel {
    /**
     * The standard options the JDK's asynchronous socket channel has (not SO_LINGER, IP_TOS or
     * SO_OOBINLINE, which its blocking channel has); it also has every extended client option.
     */
    private static final Set<SocketOption<?>> JDK_ASYNC_STANDARD = Set.of(StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_REUSEADDR,
            StandardSocketOptions.SO_REUSEPORT, StandardSocketOptions.TCP_NODELAY);

    /**
     * The blocking channel's options that the JDK's asynchronous channel has too: not the JDK's own
     * SO_OOBINLINE object either, which is no StandardSocketOptions constant.
     */
    static final Set<SocketOption<?>> OPTIONS = UserspaceSocketChannel.OPTIONS.stream()
            .filter(o -> JDK_ASYNC_STANDARD.contains(o) || !isStandard(o) && !o.name().equals(TcpChannelOptions.OOBINLINE))
            .collect(Collectors.toUnmodifiableSet());

    private static boolean isStandard(SocketOption<?> o) {
        return o.getClass() == StandardSocketOptions.TCP_NODELAY.getClass();
    }

    private final UserspaceSocketChannel core;
    private final AsynchronousGroup group;
    private final Transfer reads;
    private final Transfer writes;
    private final Connect connect;
    // made once, not per Future: what a cancelled read or write Future does to the channel
    private final Runnable killReads;
    private final Runnable killWrites;
    // the JDK's: set by shutdownInput/shutdownOutput, read by later reads and writes
    private volatile boolean readShutdown;
    private volatile boolean writeShutdown;

    /** A face over {@code core} (new, or just accepted), which it puts in non-blocking mode. */
    UserspaceAsynchronousSocketChannel(AsynchronousChannelProvider provider, UserspaceSocketChannel core,
                                       AsynchronousGroup group) throws IOException {
        super(provider);
        this.core = core;
        this.group = group;
        this.reads = new Transfer(true); // after group: operations hand their handlers to it
        this.writes = new Transfer(false);
        this.connect = new Connect();
        this.killReads = reads::kill;
        this.killWrites = writes::kill;
        core.configureBlocking(false);
        core.setReadinessListener(new Listener());
    }

    /** The factory a stack instance calls: dual-stack, as the JDK's asynchronous channels are where there is IPv6. */
    public static UserspaceAsynchronousSocketChannel open(AsynchronousChannelProvider provider, StackAccess access,
                                                          AsynchronousGroup group) throws IOException {
        UserspaceSocketChannel core = UserspaceSocketChannel.open(SelectorProvider.provider(), access, null);
        return new UserspaceAsynchronousSocketChannel(provider, core, Objects.requireNonNull(group, "group"));
    }

    /** The core's readiness, told to every kind of operation (each looks for its own). */
    private final class Listener implements ReadinessListener {
        @Override
        public void readinessChanged(ReadinessSource source) {
            reads.readinessChanged();
            writes.readinessChanged();
            connect.readinessChanged();
        }
    }

    private boolean readyOrClosed(int op) {
        return (core.readyOps() & op) != 0 || !core.isOpen();
    }

    // ------------------------------------------------------------------ read and write

    /** Reads or writes, single-buffer or scattering/gathering; the buffers of the pending one. */
    private final class Transfer extends AsyncOperation {
        private final boolean read;
        private ByteBuffer single;
        private ByteBuffer[] bufs;
        private int offset;
        private int length;

        Transfer(boolean read) {
            super(group);
            this.read = read;
        }

        <A> void start(ByteBuffer single, ByteBuffer[] bufs, int offset, int length, long timeout, TimeUnit unit,
                       A attachment, CompletionHandler<?, ? super A> handler) {
            claim();
            this.single = single;
            this.bufs = bufs;
            this.offset = offset;
            this.length = length;
            proceed(attachment, handler, timeout, unit);
        }

        @Override
        Object attempt() throws IOException {
            ByteBuffer b = single;
            if (b != null) {
                int n = read ? core.read(b) : core.write(b);
                return n == 0 ? NOT_READY : (Object) n; // boxed as the JDK's result is
            }
            long n = read ? core.read(bufs, offset, length) : core.write(bufs, offset, length);
            return n == 0 ? NOT_READY : (Object) n;
        }

        @Override
        boolean readyOrClosed() {
            return UserspaceAsynchronousSocketChannel.this.readyOrClosed(read ? SelectionKey.OP_READ
                    : SelectionKey.OP_WRITE);
        }

        @Override
        RuntimeException pendingException() {
            return read ? new ReadPendingException() : new WritePendingException();
        }
    }

    /**
     * What every read and write checks first, in the JDK's order: a closed channel fails through the
     * handler (false: nothing more to do); not yet connected throws; after a timeout or a cancel,
     * further ones of the kind throw; one pending throws.
     */
    private <V, A> boolean checkTransfer(Transfer t, A attachment, CompletionHandler<V, ? super A> handler) {
        if (!core.isOpen()) {
            AsyncOperation.completeNow(group, handler, attachment, null, new ClosedChannelException());
            return false;
        }
        if (!core.isConnected()) {
            throw new NotYetConnectedException();
        }
        if (t.isKilled()) {
            throw new IllegalStateException((t == reads ? "Reading" : "Writing")
                    + " not allowed due to timeout or cancellation");
        }
        return true;
    }

    private <V extends Number, A> void read(ByteBuffer dst, ByteBuffer[] dsts, int offset, int length, long timeout,
                                            TimeUnit unit, A attachment, CompletionHandler<V, ? super A> handler) {
        if (!checkTransfer(reads, attachment, handler)) return;
        boolean scattering = dsts != null;
        // a scattering read into full buffers reads 0 on the JDK too (readv of nothing), but only
        // after the end-of-stream check: a 0 from the core would otherwise mean "not ready"
        boolean space = UserspaceSocketChannel.remaining(dst, dsts, offset, length) > 0;
        if (readShutdown || !space) {
            if (reads.isPendingNow()) throw new ReadPendingException();
            Number n = readShutdown ? (scattering ? (Number) (-1L) : (Number) (-1)) : (scattering ? (Number) 0L : (Number) 0);
            @SuppressWarnings("unchecked") V v = (V) n;
            AsyncOperation.completeNow(group, handler, attachment, v, null);
            return;
        }
        reads.start(dst, dsts, offset, length, timeout, unit, attachment, handler);
    }

    private <V extends Number, A> void write(ByteBuffer src, ByteBuffer[] srcs, int offset, int length, long timeout,
                                             TimeUnit unit, A attachment, CompletionHandler<V, ? super A> handler) {
        if (!checkTransfer(writes, attachment, handler)) return;
        boolean gathering = srcs != null;
        boolean data = UserspaceSocketChannel.remaining(src, srcs, offset, length) > 0;
        if (writeShutdown || !data) {
            if (writes.isPendingNow()) throw new WritePendingException();
            @SuppressWarnings("unchecked") V zero = (V) (gathering ? (Number) 0L : (Number) 0);
            AsyncOperation.completeNow(group, handler, attachment, writeShutdown ? null : zero,
                    writeShutdown ? new ClosedChannelException() : null);
            return;
        }
        writes.start(src, srcs, offset, length, timeout, unit, attachment, handler);
    }

    @Override
    public <A> void read(ByteBuffer dst, long timeout, TimeUnit unit, A attachment,
                         CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        if (dst.isReadOnly()) throw new IllegalArgumentException("Read-only buffer");
        read(dst, null, 0, 0, timeout, unit, attachment, handler);
    }

    @Override
    public Future<Integer> read(ByteBuffer dst) {
        if (dst.isReadOnly()) throw new IllegalArgumentException("Read-only buffer");
        AsyncResult<Integer> f = new AsyncResult<>(this, killReads);
        read(dst, null, 0, 0, 0L, TimeUnit.MILLISECONDS, null, f);
        return f;
    }

    @Override
    public <A> void read(ByteBuffer[] dsts, int offset, int length, long timeout, TimeUnit unit, A attachment,
                         CompletionHandler<Long, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        Objects.checkFromIndexSize(offset, length, dsts.length);
        for (int i = offset; i < offset + length; i++) {
            if (dsts[i].isReadOnly()) throw new IllegalArgumentException("Read-only buffer");
        }
        read(null, dsts, offset, length, timeout, unit, attachment, handler);
    }

    @Override
    public <A> void write(ByteBuffer src, long timeout, TimeUnit unit, A attachment,
                          CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        write(Objects.requireNonNull(src), null, 0, 0, timeout, unit, attachment, handler);
    }

    @Override
    public Future<Integer> write(ByteBuffer src) {
        AsyncResult<Integer> f = new AsyncResult<>(this, killWrites);
        write(Objects.requireNonNull(src), null, 0, 0, 0L, TimeUnit.MILLISECONDS, null, f);
        return f;
    }

    @Override
    public <A> void write(ByteBuffer[] srcs, int offset, int length, long timeout, TimeUnit unit, A attachment,
                          CompletionHandler<Long, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        Objects.checkFromIndexSize(offset, length, srcs.length);
        write(null, srcs, offset, length, timeout, unit, attachment, handler);
    }

    // ------------------------------------------------------------------ connect

    /** The pending connect: the core's non-blocking connect, finished when it is ready. */
    private final class Connect extends AsyncOperation {
        /** Where to connect, until the first attempt started the core's connect. */
        private InetSocketAddress remote;

        Connect() {
            super(group);
        }

        <A> void start(InetSocketAddress isa, A attachment, CompletionHandler<Void, ? super A> handler) {
            claim();
            remote = isa;
            proceed(attachment, handler, 0L, TimeUnit.MILLISECONDS);
        }

        @Override
        Object attempt() throws IOException {
            InetSocketAddress isa = remote;
            if (isa != null) {
                remote = null;
                core.connect(isa); // non-blocking: pending (even to a local address), finished below
            }
            return core.finishConnect() ? null : NOT_READY;
        }

        @Override
        boolean readyOrClosed() {
            return UserspaceAsynchronousSocketChannel.this.readyOrClosed(SelectionKey.OP_CONNECT);
        }

        @Override
        RuntimeException pendingException() {
            return new ConnectionPendingException();
        }

        /** As the JDK's: a failed connect closes the channel. */
        @Override
        Throwable failing(Throwable exc) {
            try {
                core.close();
            } catch (IOException e) {
                exc.addSuppressed(e);
            }
            return exc;
        }
    }

    @Override
    public Future<Void> connect(SocketAddress remote) {
        // a cancelled connect may still connect: as the JDK, no reading or writing after it
        AsyncResult<Void> f = new AsyncResult<>(this, () -> {
            reads.kill();
            writes.kill();
        });
        connect(remote, null, f);
        return f;
    }

    @Override
    public <A> void connect(SocketAddress remote, A attachment, CompletionHandler<Void, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        if (!core.isOpen()) {
            AsyncOperation.completeNow(group, handler, attachment, null, new ClosedChannelException());
            return;
        }
        InetSocketAddress isa = SocketAddresses.DUAL_STACK.check(remote);
        if (core.isConnected()) throw new AlreadyConnectedException();
        if (core.isConnectionPending()) throw new ConnectionPendingException();
        connect.start(isa, attachment, handler);
    }

    // ------------------------------------------------------------------ bind, options, addresses

    @Override
    public AsynchronousSocketChannel bind(SocketAddress local) throws IOException {
        core.bind(local); // the JDK's checks, in its order: closed, connect pending, already bound
        return this;
    }

    @Override
    public <T> AsynchronousSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        SocketOptionValues.checkSupported(name, OPTIONS);
        core.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        SocketOptionValues.checkSupported(name, OPTIONS);
        return core.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return OPTIONS;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        return core.getLocalAddress();
    }

    /** As the JDK's: null until connected (the core knows the peer from the start of connect). */
    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        SocketAddress a = core.getRemoteAddress();
        return core.isConnected() ? a : null;
    }

    // ------------------------------------------------------------------ shutdown, close

    @Override
    public AsynchronousSocketChannel shutdownInput() throws IOException {
        core.shutdownInput();
        readShutdown = true; // a pending read completes with -1: the core's shutdown signals it readable
        return this;
    }

    @Override
    public AsynchronousSocketChannel shutdownOutput() throws IOException {
        core.shutdownOutput();
        writeShutdown = true; // a pending write fails (broken pipe): the core's shutdown signals it writable
        return this;
    }

    @Override
    public boolean isOpen() {
        return core.isOpen();
    }

    /** Pending operations fail with AsynchronousCloseException on the group's threads (the core's close notifies). */
    @Override
    public void close() throws IOException {
        core.close();
    }

    @Override
    public String toString() {
        return AsyncOperation.describeFace(this, core);
    }
}
