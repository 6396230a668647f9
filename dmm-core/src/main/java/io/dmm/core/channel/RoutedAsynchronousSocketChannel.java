package io.dmm.core.channel;

import io.dmm.api.Protocol;
import io.dmm.api.Role;
import io.dmm.api.RouteHints;
import io.dmm.api.SocketInfo;
import io.dmm.core.routing.Decision;
import io.dmm.core.routing.RoutedChannel;
import io.dmm.core.routing.RoutingContext;
import io.dmm.core.routing.SocketTable;
import io.dmm.core.routing.StackHandle;
import io.dmm.jdk.async.AsyncResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An asynchronous TCP client channel that DMM routes at connect, the asynchronous sibling of
 * {@link RoutedSocketChannel}: the policy sees the destination (and a bound source), and this
 * channel delegates to an asynchronous channel opened, in the program's group, on the route's first
 * usable stack; when that connect fails the next stack is tried, still inside the one connect the
 * program asked for (handler and Future forms alike, since the Future form is the handler form).
 *
 * <p>Before routing, options are remembered and applied to the stack's channel, and a bind is the
 * blocking client's ({@link PendingBind}). Once
 * routed, reads and writes go straight to the stack's channel with a handler that counts the bytes
 * at completion: pending-read/write checks, timeouts and AsynchronousCloseException on close are
 * then the stack channel's own, i.e. the JDK's for the kernel stack.
 *
 * <p>It is in its runtime's socket table from its creation until it is closed, and its reads and
 * writes count their bytes there too.
 */
public final class RoutedAsynchronousSocketChannel extends AsynchronousSocketChannel implements RoutedChannel {
    private final RoutingContext context;
    private final StackGroup group;
    private final StackRoute routing;
    /** Guards the fields below (the volatile ones are also read without it on the I/O path); never held blocking. */
    private final ReentrantLock stateLock = new ReentrantLock();
    private final RoutedOptions options =
            new RoutedOptions(PlatformDefaults.Kind.ASYNC_SOCKET, this, stateLock, this::routedLegs);
    private volatile Leg<AsynchronousSocketChannel> leg; // the stack channel: the one being tried, then the connected one
    private volatile boolean closed;
    private volatile Decision decision;
    private boolean connecting;
    private volatile boolean connected;
    // set when a Future of that kind is cancelled: the JDK then refuses further reads/writes
    private volatile boolean readKilled;
    private volatile boolean writeKilled;
    // made once, not per Future: what a cancelled read or write Future does to the channel
    private final Runnable killReads = () -> readKilled = true;
    private final Runnable killWrites = () -> writeKilled = true;
    private final PendingBind bind = new PendingBind(); // the program's bind before routing
    private volatile InetSocketAddress target;      // what connect was asked for, for the socket table
    private volatile boolean inputShut;
    private volatile boolean outputShut;
    private final boolean accepted;
    /** This channel's row in the runtime's socket table, and its byte counters. */
    private final SocketTable.Entry entry;
    /** The reused counting handlers of reads and of writes. */
    private final CountingSlot reads;
    private final CountingSlot writes;

    /** An unrouted client channel in {@code group} (null: the default group). */
    public RoutedAsynchronousSocketChannel(AsynchronousChannelProvider provider, RoutingContext context,
                                           StackGroup group, RouteHints hints, String caller) {
        super(provider);
        this.context = context;
        this.group = group;
        this.routing = new StackRoute(context, Protocol.TCP, null, hints, caller);
        this.accepted = false;
        group.joined(this);
        this.entry = context.sockets().register(this); // the table may describe it at once
        this.reads = new CountingSlot(entry, true);
        this.writes = new CountingSlot(entry, false);
    }

    /** A channel accepted by a routed server: routed already, to the stack that accepted it. */
    RoutedAsynchronousSocketChannel(AsynchronousChannelProvider provider, RoutingContext context, Decision decision,
                                    StackHandle stack, StackGroup group,
                                    AsynchronousSocketChannel accepted) {
        super(provider);
        this.context = context;
        this.group = group; // the server's: accepted channels live in the listener's group
        this.routing = null; // connected already: never routed
        this.decision = decision;
        group.joined(this); // first: a group shut down refuses it before it is counted
        this.leg = new Leg<>(accepted, stack);
        this.connected = true;
        this.accepted = true;
        this.entry = context.sockets().register(this);
        this.reads = new CountingSlot(entry, true);
        this.writes = new CountingSlot(entry, false);
    }

    @Override
    public Decision decision() {
        return decision;
    }

    @Override
    public List<String> stacksInUse() {
        String name = stackName();
        return name == null ? List.of() : List.of(name);
    }

    /** The stack this channel runs on, or null before routing. */
    public String stackName() {
        Leg<AsynchronousSocketChannel> l = leg;
        return l == null ? null : l.stack.name();
    }

    /** The group the program opened this channel in (null: the default group). */
    StackGroup group() {
        return group;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    // ---------------------------------------------------------------- bind and options

    @Override
    public AsynchronousSocketChannel bind(SocketAddress local) throws IOException {
        AsynchronousSocketChannel d;
        stateLock.lock();
        try {
            if (closed) {
                throw new ClosedChannelException();
            }
            d = delegateOrNull();
            if (d == null) {
                if (connecting) {
                    throw new ConnectionPendingException();
                }
                bind.bind(local, null, options, context);
                return this;
            }
        } finally {
            stateLock.unlock();
        }
        d.bind(local);
        return this;
    }

    /** The leg (being tried, or connected) for the options, or null before routing. */
    private List<Leg<AsynchronousSocketChannel>> routedLegs() {
        Leg<AsynchronousSocketChannel> l = leg;
        return l == null ? null : List.of(l);
    }

    /** The stack channel (being tried, or connected), or null before routing. */
    private AsynchronousSocketChannel delegateOrNull() {
        Leg<AsynchronousSocketChannel> l = leg;
        return l == null ? null : l.ch;
    }

    @Override
    public <T> AsynchronousSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        options.set(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return options.get(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return options.supported();
    }

    // ---------------------------------------------------------------- connect

    @Override
    public Future<Void> connect(SocketAddress remote) {
        // a cancelled connect may still connect: as the JDK, no reading or writing after it
        AsyncResult<Void> f = new AsyncResult<>(this, () -> {
            readKilled = true;
            writeKilled = true;
        });
        connect(remote, null, f);
        return f;
    }

    @Override
    public <A> void connect(SocketAddress remote, A attachment, CompletionHandler<Void, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        if (closed) {
            // the JDK's order: closed (through the handler), then the address, then the state
            GroupDispatch.failed(group, handler, attachment, new ClosedChannelException());
            return;
        }
        InetSocketAddress isa = Addresses.checkRemote(remote, null);
        Candidates candidates;
        stateLock.lock();
        try {
            if (closed) {
                GroupDispatch.failed(group, handler, attachment, new ClosedChannelException());
                return;
            }
            if (connected) {
                throw new AlreadyConnectedException();
            }
            if (connecting) {
                throw new ConnectionPendingException();
            }
            connecting = true;
            target = isa;
            try {
                candidates = routing.decide(Role.CLIENT, isa, StackRoute.sourceOf(bind.address()));
                decision = candidates.decision();
                candidates.requireAny();
            } catch (IOException | RuntimeException e) {
                connecting = false;
                closeQuietly();
                GroupDispatch.failed(group, handler, attachment, e);
                return;
            }
        } finally {
            stateLock.unlock();
        }
        new Attempt<>(isa, candidates, attachment, handler).next();
    }

    /**
     * One connect over the candidate stacks: each failed try (setup or connect) is remembered and
     * the next stack tried, from the failed connect's completion; the last failure, the earlier ones
     * suppressed, fails the program's handler and closes the channel (as a failed JDK connect does).
     */
    private final class Attempt<A> implements CompletionHandler<Void, StackHandle> {
        private final InetSocketAddress remote;
        private final Fallback fallback; // one try at a time: each runs after the previous one failed
        private final A attachment;
        private final CompletionHandler<Void, ? super A> handler;
        private boolean onGroupThread; // true once running in a stack channel's completion

        Attempt(InetSocketAddress remote, Candidates candidates, A attachment,
                CompletionHandler<Void, ? super A> handler) {
            this.remote = remote;
            this.fallback = new Fallback(candidates);
            this.attachment = attachment;
            this.handler = handler;
        }

        void next() {
            for (StackHandle s = fallback.next(); s != null; s = fallback.next()) {
                AsynchronousSocketChannel ch;
                try {
                    ch = openOn(s, remote);
                } catch (AsynchronousCloseException e) {
                    give(e);
                    return;
                } catch (IOException | RuntimeException e) {
                    s.connectFailed();
                    fallback.failed(s, e, remote);
                    continue;
                }
                ch.connect(remote, s, this);
                return;
            }
            give(null);
        }

        @Override
        public void completed(Void result, StackHandle s) {
            onGroupThread = true;
            s.connectOk();
            stateLock.lock();
            try {
                connecting = false;
                connected = true;
            } finally {
                stateLock.unlock();
            }
            handler.completed(null, attachment);
        }

        @Override
        public void failed(Throwable exc, StackHandle s) {
            onGroupThread = true;
            s.connectFailed();
            if (closed || exc instanceof AsynchronousCloseException) {
                give(closed && !(exc instanceof AsynchronousCloseException) ? new AsynchronousCloseException() : exc);
                return;
            }
            fallback.failed(s, exc, remote);
            releaseLeg();
            next();
        }

        /** Fails the program's connect with {@code exc}, or with the tries' failures when null. */
        private void give(Throwable exc) {
            Throwable t = exc != null ? exc : fallback.exhaustedAsIs();
            stateLock.lock();
            try {
                connecting = false;
            } finally {
                stateLock.unlock();
            }
            closeQuietly();
            if (onGroupThread) {
                handler.failed(t, attachment);
            } else {
                GroupDispatch.failed(group, handler, attachment, t); // every stack failed before any I/O
            }
        }
    }

    /**
     * Opens {@code s}'s channel in this channel's group, published before setup so that a concurrent
     * close() closes it, with the remembered options and bind (or the stack's source address).
     */
    private AsynchronousSocketChannel openOn(StackHandle s, InetSocketAddress remote) throws IOException {
        AsynchronousSocketChannel ch = s.instance().openAsynchronousSocketChannel(group);
        stateLock.lock();
        try {
            if (closed) {
                ch.close();
                throw new AsynchronousCloseException();
            }
            Leg<AsynchronousSocketChannel> l = new Leg<>(ch, s);
            leg = l;
            try {
                options.applyTo(ch);
                bind.release(); // the stack's channel takes the held address now
                StackRoute.bindSource(ch, bind.address(), s, remote);
            } catch (IOException | RuntimeException e) {
                l.release();
                throw e;
            }
        } finally {
            stateLock.unlock();
        }
        return ch;
    }

    /** Closes the current stack channel and takes it off its stack's count, once. */
    private void releaseLeg() {
        Leg<AsynchronousSocketChannel> l = leg;
        if (l != null) {
            l.release();
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // closing after a failure that is reported instead
        }
    }

    // ---------------------------------------------------------------- I/O

    /** An operation on a closed channel: ClosedChannelException through the handler, on the group's terms. */
    private <V, A> void closedBeforeIo(CompletionHandler<V, ? super A> handler, A attachment) {
        GroupDispatch.failed(group, handler, attachment, new ClosedChannelException());
    }

    private static void checkNotKilled(boolean killed, String what) {
        if (killed) {
            throw new IllegalStateException(what + " not allowed due to timeout or cancellation");
        }
    }

    /**
     * What every read and write checks first, in the JDK's order: a handler is required; a closed
     * channel fails through the handler (null is returned, nothing more to do); not yet connected
     * throws; after a timed-out or cancelled operation of this kind, further ones throw.
     */
    private <V, A> Leg<AsynchronousSocketChannel> legForIo(CompletionHandler<V, ? super A> handler, A attachment,
                                                          boolean killed, String what) {
        Objects.requireNonNull(handler, "'handler' is null");
        Leg<AsynchronousSocketChannel> l = connectedOrNull();
        if (l == null) {
            closedBeforeIo(handler, attachment);
            return null;
        }
        checkNotKilled(killed, what);
        return l;
    }

    /**
     * The connected stack channel. As the JDK: not yet connected throws; a closed channel is an
     * error the caller reports through the handler (null here).
     */
    private Leg<AsynchronousSocketChannel> connectedOrNull() {
        if (closed) {
            return null;
        }
        Leg<AsynchronousSocketChannel> l = leg;
        if (l == null || !connected) {
            throw new NotYetConnectedException();
        }
        return l;
    }

    @Override
    public <A> void read(ByteBuffer dst, long timeout, TimeUnit unit, A attachment,
                         CompletionHandler<Integer, ? super A> handler) {
        Leg<AsynchronousSocketChannel> l = legForIo(handler, attachment, readKilled, "Reading");
        if (l != null) {
            CompletionHandler<Integer, ? super A> h = reads.take(handler, l.stack);
            try {
                l.ch.read(dst, timeout, unit, attachment, h);
            } catch (RuntimeException e) {
                reads.giveBack(h);
                throw e;
            }
        }
    }

    @Override
    public Future<Integer> read(ByteBuffer dst) {
        AsyncResult<Integer> f = new AsyncResult<>(this, killReads);
        read(dst, 0L, TimeUnit.MILLISECONDS, null, f);
        return f;
    }

    @Override
    public <A> void read(ByteBuffer[] dsts, int offset, int length, long timeout, TimeUnit unit, A attachment,
                         CompletionHandler<Long, ? super A> handler) {
        Leg<AsynchronousSocketChannel> l = legForIo(handler, attachment, readKilled, "Reading");
        if (l != null) {
            CompletionHandler<Long, ? super A> h = reads.take(handler, l.stack);
            try {
                l.ch.read(dsts, offset, length, timeout, unit, attachment, h);
            } catch (RuntimeException e) {
                reads.giveBack(h);
                throw e;
            }
        }
    }

    @Override
    public <A> void write(ByteBuffer src, long timeout, TimeUnit unit, A attachment,
                          CompletionHandler<Integer, ? super A> handler) {
        Leg<AsynchronousSocketChannel> l = legForIo(handler, attachment, writeKilled, "Writing");
        if (l != null) {
            CompletionHandler<Integer, ? super A> h = writes.take(handler, l.stack);
            try {
                l.ch.write(src, timeout, unit, attachment, h);
            } catch (RuntimeException e) {
                writes.giveBack(h);
                throw e;
            }
        }
    }

    @Override
    public Future<Integer> write(ByteBuffer src) {
        AsyncResult<Integer> f = new AsyncResult<>(this, killWrites);
        write(src, 0L, TimeUnit.MILLISECONDS, null, f);
        return f;
    }

    @Override
    public <A> void write(ByteBuffer[] srcs, int offset, int length, long timeout, TimeUnit unit, A attachment,
                          CompletionHandler<Long, ? super A> handler) {
        Leg<AsynchronousSocketChannel> l = legForIo(handler, attachment, writeKilled, "Writing");
        if (l != null) {
            CompletionHandler<Long, ? super A> h = writes.take(handler, l.stack);
            try {
                l.ch.write(srcs, offset, length, timeout, unit, attachment, h);
            } catch (RuntimeException e) {
                writes.giveBack(h);
                throw e;
            }
        }
    }

    @Override
    public AsynchronousSocketChannel shutdownInput() throws IOException {
        Leg<AsynchronousSocketChannel> l = connectedOrNull();
        if (l == null) {
            throw new ClosedChannelException();
        }
        l.ch.shutdownInput();
        inputShut = true;
        return this;
    }

    @Override
    public AsynchronousSocketChannel shutdownOutput() throws IOException {
        Leg<AsynchronousSocketChannel> l = connectedOrNull();
        if (l == null) {
            throw new ClosedChannelException();
        }
        l.ch.shutdownOutput();
        outputShut = true;
        return this;
    }

    // ---------------------------------------------------------------- addresses, close

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        stateLock.lock();
        try {
            if (closed) {
                throw new ClosedChannelException();
            }
            AsynchronousSocketChannel d = delegateOrNull();
            return d != null ? d.getLocalAddress() : bind.address();
        } finally {
            stateLock.unlock();
        }
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        AsynchronousSocketChannel d = delegateOrNull();
        return d != null && connected ? d.getRemoteAddress() : null;
    }

    /**
     * Closes the stack's channel: its pending reads, writes and connect fail with
     * AsynchronousCloseException, as a JDK channel's do.
     */
    @Override
    public void close() throws IOException {
        stateLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            bind.release();
        } finally {
            stateLock.unlock();
        }
        context.sockets().unregister(entry); // once: only the call that closed it gets here
        releaseLeg();
        group.left(this);
    }

    @Override
    public SocketInfo socketInfo() {
        return describe(entry);
    }

    /**
     * This channel's row, as {@link RoutedSocketChannel#describe}'s: kind client or accepted; the
     * requested bind address before routing; while connecting the stack being tried and the
     * destination; once connected the stack channel's addresses and the directions shut down.
     * Reads volatile fields only (never this channel's lock, which a connect holds).
     */
    @Override
    public SocketInfo describe(SocketTable.Entry e) {
        Leg<AsynchronousSocketChannel> l = leg;
        Decision dec = decision;
        boolean isConnected = connected;
        if (l == null) {
            return SocketRows.clientWithoutLeg(e, accepted, !closed, bind.address(), target, dec);
        }
        AsynchronousSocketChannel d = l.ch;
        String state = !isConnected ? SocketRows.CONNECTING
                : d.isOpen() ? SocketRows.connectedState(inputShut, outputShut) : SocketRows.FAILED;
        if (closed) { // read last: closing marks this channel closed before it closes the stack's channel
            state = SocketRows.CLOSED;
        }
        return SocketRows.client(e, l.stack.name(), accepted, SocketRows.local(d), SocketRows.remote(d), target,
                state, dec);
    }

    @Override
    public String toString() {
        Leg<AsynchronousSocketChannel> l = leg;
        return "RoutedAsynchronousSocketChannel[" + (closed ? "closed" : l == null ? "unrouted"
                : "stack=" + l.stack.name() + " " + l.ch) + "]";
    }
}
