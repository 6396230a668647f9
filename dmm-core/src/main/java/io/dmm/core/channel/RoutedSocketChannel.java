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
import io.dmm.core.selector.ChannelKeys;
import io.dmm.core.selector.DelegatingChannel;
import io.dmm.jdk.net.ChannelSocket;
import io.dmm.jdk.net.TimedCalls;
import io.dmm.jdk.net.TimedSocketChannel;
import io.dmm.jdk.net.TimedStreams;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP client channel that DMM routes at connect: the policy sees the destination (and the bound
 * source, if the program bound one), picks a route, and this channel delegates to a channel opened
 * on the route's first usable stack, falling back to the next stack when a connect fails.
 *
 * <p>Before routing, options and the blocking mode are remembered and replayed on the stack's
 * channel. A {@link #bind} before connect binds with the OS at once where it can, else is deferred
 * to connect time so the policy sees the destination (see {@link PendingBind}).
 *
 * <p>Blocking operations run inside this channel's own begin()/end() so that interrupts and
 * asynchronous closes behave as on a JDK channel; closing this channel closes the delegate, and a
 * delegate closed by an interrupt closes this channel too.
 *
 * <p>It is in its runtime's socket table from its creation until it is closed, and counts the
 * bytes it moves there too (see {@link #describe} for what its row says).
 */
public final class RoutedSocketChannel extends SocketChannel
        implements RoutedChannel, DelegatingChannel, TimedSocketChannel {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RoutedSocketChannel.class);

    /** The channel of the chosen stack, and that stack. Replaced only during connect fallback. */
    static final class ClientLeg extends Leg<SocketChannel> {
        volatile boolean ready;    // set up (options, blocking mode, bind): selectors may register it
        volatile boolean connected; // its connect completed (or it was accepted): for the socket table
        final TimedStreams streams; // the Socket adaptor's blocking reads and writes, forwarded once

        ClientLeg(SocketChannel ch, StackHandle stack) {
            super(ch, stack);
            this.streams = new TimedStreams(ch);
        }
    }

    private final RoutingContext context;
    private final StackRoute routing;

    /** Serializes connect and finishConnect (the JDK holds its read and write locks there). */
    private final ReentrantLock connectLock = new ReentrantLock();
    /** Guards the fields below; never held while blocking. */
    private final ReentrantLock stateLock = new ReentrantLock();
    private final RoutedOptions options =
            new RoutedOptions(PlatformDefaults.Kind.SOCKET, this, stateLock, this::routedLegs);
    private volatile ClientLeg leg;
    private volatile boolean blocking = true;
    /** The program's bind before routing; guarded by stateLock. */
    private final PendingBind bind = new PendingBind();
    // written under stateLock; volatile for the socket table, which reads them without it
    private volatile InetSocketAddress remote;
    private volatile boolean inputShut;
    private volatile boolean outputShut;
    private Fallback fallback; // the stacks of the connect in progress, guarded by stateLock
    private final LazyAdaptor<RoutedSocketChannel, ChannelSocket> adaptor =
            new LazyAdaptor<>(this, ChannelSocket::of);
    private volatile Decision decision;
    private final ChannelKeys channelKeys = new ChannelKeys();
    private final boolean accepted;
    /** This channel's row in the runtime's socket table, and its byte counters. */
    private final SocketTable.Entry entry;

    /** An unrouted client channel. */
    public RoutedSocketChannel(RoutedChannelProvider provider, RoutingContext context, ProtocolFamily family,
                               RouteHints hints, String caller) {
        super(provider);
        this.context = context;
        this.routing = new StackRoute(context, Protocol.TCP, family, hints, caller);
        this.accepted = false;
        this.entry = context.sockets().register(this); // last: the table may describe it at once
    }

    /** A channel accepted by a routed server: already routed to the stack that accepted it. */
    RoutedSocketChannel(RoutedChannelProvider provider, RoutingContext context, Decision decision, StackHandle stack,
                        SocketChannel accepted) {
        super(provider);
        this.context = context;
        this.routing = null; // connected already: never routed
        this.decision = decision;
        ClientLeg l = new ClientLeg(accepted, stack);
        l.ready = true;
        l.connected = true;
        this.leg = l;
        this.accepted = true;
        this.entry = context.sockets().register(this); // last: the table may describe it at once
    }

    @Override
    public List<SelectableChannel> selectableDelegates() {
        ClientLeg l = leg;
        return l != null && l.ready ? List.of(l.ch) : List.of();
    }

    @Override
    public ChannelKeys channelKeys() {
        return channelKeys;
    }

    /**
     * Before routing, ready for everything: the JDK's socket that is not connected (nor
     * connecting) polls as hung up (the kernel's TCP CLOSE state), which its selector reports as
     * ready for every operation of interest; so must this one, which has no socket yet.
     */
    @Override
    public int readyOpsBeforeRouting() {
        return leg == null && isOpen() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT : 0;
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

    /** The leg (being set up, tried or connected) for the options, or null before routing. */
    private List<ClientLeg> routedLegs() {
        ClientLeg l = leg;
        return l == null ? null : List.of(l);
    }

    /** The stack this channel runs on, or null before routing. */
    public String stackName() {
        ClientLeg l = leg;
        return l == null ? null : l.stack.name();
    }

    /** The family the program opened this channel for (null: any; an accepted channel's is its own). */
    private ProtocolFamily familyAsked() {
        return routing == null ? null : routing.family();
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    // ---------------------------------------------------------------- bind and options

    @Override
    public SocketChannel bind(SocketAddress local) throws IOException {
        stateLock.lock();
        try {
            ensureOpen();
            ClientLeg l = leg;
            if (l != null) {
                if (l.ch.isConnectionPending()) {
                    throw new ConnectionPendingException();
                }
                l.ch.bind(local);
                return this;
            }
            bind.bind(local, familyAsked(), options, context);
            return this;
        } finally {
            stateLock.unlock();
        }
    }

    @Override
    public <T> SocketChannel setOption(SocketOption<T> name, T value) throws IOException {
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
    public boolean connect(SocketAddress remote) throws IOException {
        return connectWithin(remote, 0L);
    }

    /** The Socket adaptor's connect: {@code timeoutNanos > 0} bounds it over all stacks tried. */
    @Override
    public void connect(SocketAddress remote, long timeoutNanos) throws IOException {
        connectWithin(remote, timeoutNanos);
    }

    /** Connects; {@code timeoutNanos > 0} bounds a blocking connect over all stacks tried, 0 means no bound. */
    private boolean connectWithin(SocketAddress sa, long timeoutNanos) throws IOException {
        InetSocketAddress isa = Addresses.checkRemote(sa, familyAsked());
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0L;
        connectLock.lock();
        try {
            route(isa);
            boolean blocked = beginBlocking(blocking);
            boolean completed = false;
            try {
                boolean connected = connectOnRemaining(deadline);
                completed = true;
                return connected;
            } finally {
                endBlocking(blocked, completed);
            }
        } catch (IOException | RuntimeException e) {
            if (!(e instanceof AlreadyConnectedException || e instanceof ConnectionPendingException)) {
                close(); // as the JDK: a failed connect closes the channel (state errors do not)
            }
            throw e;
        } finally {
            connectLock.unlock();
        }
    }

    /** Checks the state and asks the policy; leaves the usable stacks in {@code candidates}. */
    private void route(InetSocketAddress isa) throws IOException {
        stateLock.lock();
        try {
            ensureOpen();
            ClientLeg l = leg;
            if (l != null) {
                if (l.ch.isConnected()) {
                    throw new AlreadyConnectedException();
                }
                if (l.ch.isConnectionPending()) {
                    throw new ConnectionPendingException();
                }
            }
            Candidates c = routing.decide(Role.CLIENT, isa, StackRoute.sourceOf(bind.address()));
            decision = c.decision();
            fallback = new Fallback(c.requireAny());
            remote = isa;
        } finally {
            stateLock.unlock();
        }
    }

    /**
     * Starts (or, blocking, completes) a connect on the remaining stacks in order. Returns true when
     * connected, false when a non-blocking connect is pending; throws the last failure (earlier ones
     * suppressed) when no stack is left.
     */
    private boolean connectOnRemaining(long deadline) throws IOException {
        while (true) {
            long left = deadline == 0L ? 0L : deadline - System.nanoTime();
            if (deadline != 0L && left <= 0) {
                throw exhausted(new SocketTimeoutException("Connect timed out"));
            }
            ClientLeg l = openNextLeg();
            if (l == null) {
                throw exhausted(null);
            }
            try {
                boolean connected;
                if (deadline != 0L) {
                    // the leg's own timed connect (which closes it on timeout)
                    TimedCalls.connect(l.ch, remote, left);
                    connected = true;
                } else {
                    connected = l.ch.connect(remote);
                }
                if (connected) {
                    l.connected = true;
                    l.stack.connectOk();
                }
                return connected;
            } catch (IOException | RuntimeException e) {
                // RuntimeException: e.g. UnsupportedAddressTypeException from a stack that cannot reach
                // this family; recorded like any failure and rethrown if no stack is left
                l.stack.connectFailed();
                if (!isOpen() || e instanceof ClosedByInterruptException || e instanceof AsynchronousCloseException
                        || (blocking && Thread.currentThread().isInterrupted())) {
                    throw e; // closed or interrupted: not a reason to try another stack
                }
                recordFailure(l, e);
            }
        }
    }

    /**
     * Opens the next candidate stack's channel with the remembered options, blocking mode and bind
     * (or the stack's source address). Setup failures count as that stack's failed connect. Null
     * when no candidate is left.
     */
    private ClientLeg openNextLeg() throws IOException {
        stateLock.lock();
        try {
            while (true) {
                ensureOpen();
                StackHandle s = fallback.next();
                if (s == null) {
                    return null;
                }
                ClientLeg l = null;
                try {
                    l = new ClientLeg(s.instance().openSocketChannel(familyAsked()), s);
                    leg = l; // published first, so a concurrent close() closes it
                    options.applyTo(l.ch);
                    l.ch.configureBlocking(blocking);
                    bind.release(); // the stack's channel takes the held address now
                    StackRoute.bindSource(l.ch, bind.address(), s, remote);
                    l.ready = true;
                    // selectors holding this channel register the new delegate; a stack whose channels
                    // cannot be selected fails here like any setup failure, and the next stack is tried
                    channelKeys.delegatesChanged();
                    return l;
                } catch (IOException | RuntimeException e) {
                    s.connectFailed();
                    if (l != null) {
                        l.release();
                    }
                    fallback.failed(s, e, remote);
                }
            }
        } finally {
            stateLock.unlock();
        }
    }

    /**
     * For a socket that connects in this unrouted channel's place (the JDK's SOCKS socket, when a
     * ProxySelector picks a proxy): the address the program bound (null: none), with the OS port
     * held for it given back, so that socket can bind it.
     */
    public InetSocketAddress handOverBind() {
        stateLock.lock();
        try {
            bind.release();
            return bind.address();
        } finally {
            stateLock.unlock();
        }
    }

    /** Remembers a leg's failure for the final exception and closes the leg. */
    private void recordFailure(ClientLeg l, Throwable e) {
        stateLock.lock();
        try {
            fallback.failed(l.stack, e, remote);
            l.release();
        } finally {
            stateLock.unlock();
        }
    }

    /** The exception when no stack is left: the last failure ({@code last}, if not null), earlier ones suppressed. */
    private IOException exhausted(IOException last) {
        stateLock.lock();
        try {
            if (last != null) {
                fallback.failed(last);
            }
            return fallback.exhausted();
        } finally {
            stateLock.unlock();
        }
    }

    @Override
    public boolean finishConnect() throws IOException {
        connectLock.lock();
        try {
            ClientLeg l = leg;
            if (l != null && l.ch.isConnected()) {
                return true;
            }
            ensureOpen();
            if (l == null || !l.ch.isConnectionPending()) {
                throw new NoConnectionPendingException();
            }
            boolean blocked = beginBlocking(blocking);
            boolean completed = false;
            try {
                boolean connected;
                try {
                    connected = l.ch.finishConnect();
                    if (connected) {
                        l.connected = true;
                        l.stack.connectOk();
                    }
                } catch (IOException e) {
                    l.stack.connectFailed();
                    if (!isOpen() || e instanceof ClosedByInterruptException
                            || e instanceof AsynchronousCloseException) {
                        throw e;
                    }
                    recordFailure(l, e);
                    connected = connectOnRemaining(0L); // start on the next stack
                }
                completed = true;
                return connected;
            } finally {
                endBlocking(blocked, completed);
            }
        } catch (IOException | RuntimeException e) {
            if (!(e instanceof NoConnectionPendingException)) {
                close(); // as the JDK: a failed connect closes the channel
            }
            throw e;
        } finally {
            connectLock.unlock();
        }
    }

    @Override
    public boolean isConnected() {
        ClientLeg l = leg;
        return l != null && l.ch.isConnected();
    }

    @Override
    public boolean isConnectionPending() {
        ClientLeg l = leg;
        return l != null && l.ch.isConnectionPending();
    }

    // ---------------------------------------------------------------- I/O (hot path: no allocation, no locks)

    private ClientLeg connectedLeg() throws ClosedChannelException {
        ClientLeg l = leg;
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
        if (l == null) {
            throw new NotYetConnectedException();
        }
        return l;
    }

    // begin()/end() are protected final in AbstractInterruptibleChannel: only this class can call
    // them, so these two thin helpers are its own (the datagram channel has the same two); what
    // follows a failure is DelegateClosed's, shared.

    /**
     * Enters a blocking section when {@code block}: an interrupt or a close then ends the call as on
     * a JDK channel. Returns {@code block}, for {@link #endBlocking}.
     */
    private boolean beginBlocking(boolean block) {
        if (block) {
            begin();
        }
        return block;
    }

    /** Leaves what {@link #beginBlocking} entered; end() may throw ClosedByInterrupt- or AsynchronousCloseException. */
    private void endBlocking(boolean blocked, boolean completed) throws AsynchronousCloseException {
        if (blocked) {
            end(completed);
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst);
        return (int) transfer(Transfer.READ, dst, null, 0, 0);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        return transfer(Transfer.SCATTER, null, dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src);
        return (int) transfer(Transfer.WRITE, src, null, 0, 0);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        return transfer(Transfer.GATHER, null, srcs, offset, length);
    }

    /**
     * Runs {@code op} on the connected delegate and counts its bytes on the stack. A blocking call
     * runs inside this channel's begin()/end(), so an interrupt or close ends it as on a JDK channel.
     */
    private long transfer(Transfer op, ByteBuffer one, ByteBuffer[] many, int offset, int length)
            throws IOException {
        ClientLeg l = connectedLeg();
        long n;
        boolean blocked = beginBlocking(blocking);
        boolean completed = false;
        try {
            n = op.on(l.ch, one, many, offset, length);
            completed = true;
        } catch (IOException e) {
            completed = e instanceof ClosedByInterruptException; // keep its type: end() must not replace it
            throw DelegateClosed.afterBlocking(blocked, e, l.ch, this);
        } finally {
            endBlocking(blocked, completed);
        }
        op.count(l.stack, entry, n);
        return n;
    }

    @Override
    public SocketChannel shutdownInput() throws IOException {
        connectedLeg().ch.shutdownInput();
        inputShut = true;
        return this;
    }

    @Override
    public SocketChannel shutdownOutput() throws IOException {
        connectedLeg().ch.shutdownOutput();
        outputShut = true;
        return this;
    }

    @Override
    public boolean isInputOpen() {
        ClientLeg l = leg;
        return l == null || !l.ch.socket().isInputShutdown();
    }

    @Override
    public boolean isOutputOpen() {
        ClientLeg l = leg;
        return l == null || !l.ch.socket().isOutputShutdown();
    }

    // ---------------------------------------------------------------- Socket adaptor support

    /** The Socket adaptor's blocking read with SO_TIMEOUT, forwarded to the leg's own timed read. */
    @Override
    public int read(byte[] b, int off, int len, long timeoutNanos) throws IOException {
        ClientLeg l = streamLeg();
        try {
            int n = l.streams.read(b, off, len, timeoutNanos);
            Transfer.READ.count(l.stack, entry, n);
            return n;
        } catch (IOException e) {
            throw DelegateClosed.closeFace(e, l.ch, this);
        }
    }

    @Override
    public int available() throws IOException {
        ClientLeg l = openLegOrNull();
        return l == null || !l.ch.isConnected() ? 0 : l.streams.available();
    }

    /** The leg for the Socket adaptor's streams, with java.net's errors when closed or not connected. */
    private ClientLeg streamLeg() throws SocketException {
        ClientLeg l = openLegOrNull();
        if (l == null || !l.ch.isConnected()) {
            throw new SocketException("Socket is not connected");
        }
        return l;
    }

    /** For the Socket adaptor: the leg, or null before routing; java.net's error when closed. */
    private ClientLeg openLegOrNull() throws SocketException {
        ClientLeg l = leg; // read before the open check: a leg seen here was this open channel's
        if (!isOpen()) {
            throw new SocketException("Socket is closed");
        }
        return l;
    }

    @Override
    public void writeFully(byte[] b, int off, int len) throws IOException {
        ClientLeg l = streamLeg();
        try {
            l.streams.writeFully(b, off, len);
            Transfer.WRITE.count(l.stack, entry, len);
        } catch (IOException e) {
            throw DelegateClosed.closeFace(e, l.ch, this);
        }
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
        routedSocket("sendUrgentData").sendUrgentData(data);
    }

    /**
     * SO_OOBINLINE for the Socket adaptor: before routing remembered (and replayed on the stack's
     * socket, as every pending option), after it the stack socket's own.
     */
    @Override
    public void setOOBInline(boolean on) throws IOException {
        if (!options.rememberOobInline(on)) {
            routedSocket("setOOBInline").setOOBInline(on);
        }
    }

    /** SO_OOBINLINE for the Socket adaptor: the remembered value (default off) before routing. */
    @Override
    public boolean getOOBInline() throws IOException {
        Boolean pending = options.pendingOobInline();
        return pending != null ? pending : routedSocket("getOOBInline").getOOBInline();
    }

    /**
     * The leg's own Socket, for the few adaptor features with no channel equivalent (urgent data,
     * OOBINLINE): available once routed.
     */
    private Socket routedSocket(String what) throws SocketException {
        ClientLeg l = openLegOrNull();
        if (l == null) {
            throw new SocketException(what + ": not available before the socket is connected (DMM routes at connect)");
        }
        return l.ch.socket();
    }

    @Override
    public Socket socket() {
        return adaptor.get();
    }

    // ---------------------------------------------------------------- addresses, close, blocking

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        stateLock.lock();
        try {
            ensureOpen();
            ClientLeg l = leg;
            if (l != null) {
                return l.ch.getLocalAddress();
            }
            return bind.address(); // the bind before routing, or null
        } finally {
            stateLock.unlock();
        }
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        ClientLeg l = leg;
        return l == null ? null : l.ch.getRemoteAddress();
    }

    /** The leg's local address, kept after close as the JDK keeps it; before routing, the requested bind. */
    @Override
    public InetSocketAddress localAddress() {
        ClientLeg l = leg;
        return l != null ? TimedCalls.localAddress(l.ch) : bind.address();
    }

    /** The leg's peer, kept after close as the JDK keeps it; null before routing. */
    @Override
    public InetSocketAddress remoteAddress() {
        ClientLeg l = leg;
        return l != null ? TimedCalls.remoteAddress(l.ch) : null;
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        // called once, however the channel is closed (close(), an interrupt, a failed connect...)
        context.sockets().unregister(entry);
        stateLock.lock();
        try {
            bind.release();
            ClientLeg l = leg;
            if (l != null) {
                l.release();
            }
        } finally {
            stateLock.unlock();
        }
    }

    @Override
    public SocketInfo socketInfo() {
        return describe(entry);
    }

    /**
     * This channel's row: kind client or accepted; before routing its requested bind address (if
     * any); while connecting the stack being tried and the destination; once connected the stack's
     * addresses and which directions the program shut down. Reads volatile fields and the stack
     * channel's own state only, so it never waits for a connect or a read in progress.
     */
    @Override
    public SocketInfo describe(SocketTable.Entry e) {
        ClientLeg l = leg;
        Decision d = decision;
        if (l == null) {
            return SocketRows.clientWithoutLeg(e, accepted, isOpen(), bind.address(), remote, d);
        }
        InetSocketAddress local = SocketRows.local(l.ch);
        InetSocketAddress peer = SocketRows.remote(l.ch);
        String state;
        if (l.ch.isConnected()) {
            state = SocketRows.connectedState(inputShut, outputShut);
        } else if (l.connected) {
            state = SocketRows.FAILED; // connected, and its stack channel closed while this one is open
        } else {
            state = SocketRows.CONNECTING; // pending, being set up, or failed and moving to the next stack
        }
        if (!isOpen()) {
            // read last: closing marks this channel closed before it closes the stack's channel,
            // so a stack channel seen closed above is told apart from a failure here
            state = SocketRows.CLOSED;
        }
        return SocketRows.client(e, l.stack.name(), accepted, local, peer, remote, state, d);
    }

    @Override
    protected void implConfigureBlocking(boolean block) throws IOException {
        ClientLeg l;
        stateLock.lock();
        try {
            blocking = block;
            l = leg;
        } finally {
            stateLock.unlock();
        }
        if (block) {
            channelKeys.cancelledKeysReleaseDelegates();
        }
        if (l != null) {
            // not under stateLock: the delegate waits for its blocking operations to finish first
            try {
                l.ch.configureBlocking(block);
            } catch (ClosedChannelException e) {
                if (isOpen() && leg == l) {
                    throw e;
                } // else a failed fallback leg: the next leg picks the mode up from `blocking`
            }
        }
    }

    @Override
    public String toString() {
        ClientLeg l = leg;
        StringBuilder sb = new StringBuilder("RoutedSocketChannel[");
        if (!isOpen()) {
            sb.append("closed");
        } else if (l == null) {
            sb.append("unrouted");
        } else {
            sb.append("stack=").append(l.stack.name()).append(' ').append(l.ch);
        }
        return sb.append(']').toString();
    }
}
