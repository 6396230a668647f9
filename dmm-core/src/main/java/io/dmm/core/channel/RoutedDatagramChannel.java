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
import io.dmm.jdk.net.ChannelDatagramSocket;
import io.dmm.jdk.net.TimedCalls;
import io.dmm.jdk.net.TimedDatagramChannel;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.MembershipKey;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A UDP channel that DMM routes at its first bind (role receiver, key = bound address), connect or
 * send (role sender, key = remote address), or receive/join without either (receiver, no address).
 * The route's first usable stack is used; a stack whose channel cannot be opened or set up is
 * skipped. Options and blocking mode set before routing are replayed on the stack's channel.
 *
 * <p>It is in its runtime's socket table from its creation until it is closed, and counts the
 * bytes it sends and receives there too.
 */
public final class RoutedDatagramChannel extends DatagramChannel
        implements RoutedChannel, DelegatingChannel, TimedDatagramChannel {
    private final RoutingContext context;
    private final StackRoute routing;
    private final ReentrantLock stateLock = new ReentrantLock();
    private final RoutedOptions options =
            new RoutedOptions(PlatformDefaults.Kind.DATAGRAM, this, stateLock, this::routedLegs);
    /** The channel of the stack it was routed to, published once set up; never replaced. */
    private volatile Leg<DatagramChannel> leg;
    private volatile boolean blocking = true;
    private final LazyAdaptor<RoutedDatagramChannel, ChannelDatagramSocket> adaptor =
            new LazyAdaptor<>(this, ChannelDatagramSocket::of);
    private volatile Decision decision;
    /** Set before routing for a java.net.DatagramSocket: legs an interrupt does not close (see below). */
    private volatile boolean forDatagramSocket;
    private final ChannelKeys channelKeys = new ChannelKeys();
    private final RoutedMembershipKeys memberships = new RoutedMembershipKeys(this);
    /** This channel's row in the runtime's socket table, and its byte counters. */
    private final SocketTable.Entry entry;

    public RoutedDatagramChannel(RoutedChannelProvider provider, RoutingContext context, ProtocolFamily family,
                                 RouteHints hints, String caller) {
        super(provider);
        this.context = context;
        this.routing = new StackRoute(context, Protocol.UDP, family, hints, caller);
        this.entry = context.sockets().register(this); // last: the table may describe it at once
    }

    /**
     * A channel already open on {@code stack} (inherited from the parent process): routed from the
     * start, with {@code route}.
     */
    RoutedDatagramChannel(RoutedChannelProvider provider, RoutingContext context, Decision decision, StackHandle stack,
                          DatagramChannel open) {
        super(provider);
        this.context = context;
        this.routing = null; // open on its stack already: never routed
        this.decision = decision;
        this.leg = new Leg<>(open, stack);
        this.entry = context.sockets().register(this);
    }

    /** The leg, once set up, for the options; null before routing. */
    private List<Leg<DatagramChannel>> routedLegs() {
        Leg<DatagramChannel> l = leg;
        return l == null ? null : List.of(l);
    }

    /** The stack this channel runs on, or null before routing. */
    public String stackName() {
        Leg<DatagramChannel> l = leg;
        return l == null ? null : l.stack.name();
    }

    @Override
    public List<SelectableChannel> selectableDelegates() {
        Leg<DatagramChannel> l = leg; // published only once set up
        return l == null ? List.of() : List.of(l.ch);
    }

    @Override
    public ChannelKeys channelKeys() {
        return channelKeys;
    }

    /** Writable before routing: a send would route it and go, as the JDK's unbound channel's does. */
    @Override
    public int readyOpsBeforeRouting() {
        return leg == null && isOpen() ? SelectionKey.OP_WRITE : 0;
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

    /** The family the program opened this channel for (null: any); an inherited channel's is any. */
    private ProtocolFamily familyAsked() {
        return routing == null ? null : routing.family();
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    /** The routed leg, routing now as {@code role} for {@code service} (may be null) if needed. */
    private Leg<DatagramChannel> routed(Role role, InetSocketAddress service) throws IOException {
        Leg<DatagramChannel> l = leg;
        if (l != null) {
            return l;
        }
        stateLock.lock();
        try {
            ensureOpen();
            l = leg;
            if (l != null) {
                return l;
            }
            Candidates c = routing.decide(role, service, null);
            decision = c.decision();
            Fallback fallback = new Fallback(c.requireAny());
            for (StackHandle s = fallback.next(); s != null; s = fallback.next()) {
                try {
                    l = new Leg<>(forDatagramSocket ? s.instance().openDatagramSocketChannel(routing.family())
                            : s.instance().openDatagramChannel(routing.family()), s);
                } catch (IOException | RuntimeException e) {
                    fallback.failed(s, e, "udp " + role.configName());
                    continue;
                }
                try {
                    options.applyTo(l.ch);
                    l.ch.configureBlocking(blocking);
                    leg = l;
                    // selectors holding this channel register it; a stack whose channels cannot be
                    // selected fails here like any setup failure, and the next stack is tried
                    channelKeys.delegatesChanged();
                    return l;
                } catch (IOException | RuntimeException e) {
                    if (leg == l) {
                        leg = null;
                    }
                    l.release();
                    fallback.failed(s, e, "udp " + role.configName());
                }
            }
            throw fallback.exhausted();
        } finally {
            stateLock.unlock();
        }
    }

    @Override
    public DatagramChannel bind(SocketAddress local) throws IOException {
        stateLock.lock();
        try {
            ensureOpen();
            Leg<DatagramChannel> l = leg;
            if (l != null && l.ch.getLocalAddress() != null) {
                throw new AlreadyBoundException();
            }
            InetSocketAddress isa = Addresses.checkLocal(local, familyAsked());
            DatagramChannel d = routed(Role.RECEIVER, isa).ch;
            d.bind(isa);
            return this;
        } finally {
            stateLock.unlock();
        }
    }

    @Override
    public <T> DatagramChannel setOption(SocketOption<T> name, T value) throws IOException {
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

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf) throws IOException {
        return memberships.wrap(routed(Role.RECEIVER, null).ch.join(group, interf));
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf, InetAddress source) throws IOException {
        return memberships.wrap(routed(Role.RECEIVER, null).ch.join(group, interf, source));
    }

    @Override
    public DatagramSocket socket() {
        return adaptor.get();
    }

    @Override
    public boolean isConnected() {
        Leg<DatagramChannel> l = leg;
        return l != null && l.ch.isConnected();
    }

    @Override
    public DatagramChannel connect(SocketAddress remote) throws IOException {
        InetSocketAddress isa = Addresses.checkRemote(remote, familyAsked());
        DatagramChannel d = routed(Role.SENDER, isa).ch;
        boolean blocked = beginBlocking(blocking);
        boolean completed = false;
        try {
            d.connect(isa);
            completed = true;
            return this;
        } catch (IOException e) {
            completed = e instanceof ClosedByInterruptException;
            throw DelegateClosed.closeFace(e, d, this); // unlike the other calls, in either mode
        } finally {
            endBlocking(blocked, completed);
        }
    }

    @Override
    public DatagramChannel disconnect() throws IOException {
        Leg<DatagramChannel> l = leg;
        if (l != null) {
            l.ch.disconnect();
        }
        return this;
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        Leg<DatagramChannel> l = leg;
        return l == null ? null : l.ch.getRemoteAddress();
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        Leg<DatagramChannel> l = leg;
        return l == null ? null : l.ch.getLocalAddress();
    }

    // begin()/end() are protected final in AbstractInterruptibleChannel: only this class can call
    // them, so these two thin helpers are its own (the socket channel has the same two); what
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
    public SocketAddress receive(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst);
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
        ensureOpen();
        Leg<DatagramChannel> l = leg;
        if (l == null) {
            l = routed(Role.RECEIVER, null);
        }
        DatagramChannel d = l.ch;
        int before = dst.position();
        SocketAddress from;
        boolean blocked = beginBlocking(blocking);
        boolean completed = false;
        try {
            from = d.receive(dst);
            completed = true;
        } catch (IOException e) {
            completed = e instanceof ClosedByInterruptException;
            throw DelegateClosed.afterBlocking(blocked, e, d, this);
        } finally {
            endBlocking(blocked, completed);
        }
        if (from != null) {
            Transfer.READ.count(l.stack, entry, dst.position() - before);
        }
        return from;
    }

    @Override
    public int send(ByteBuffer src, SocketAddress target) throws IOException {
        Objects.requireNonNull(src);
        InetSocketAddress isa = Addresses.check(target, familyAsked());
        ensureOpen();
        Leg<DatagramChannel> l = leg;
        if (l == null) {
            l = routed(Role.SENDER, isa);
        }
        DatagramChannel d = l.ch;
        int n;
        boolean blocked = beginBlocking(blocking);
        boolean completed = false;
        try {
            n = d.send(src, isa);
            completed = true;
        } catch (IOException e) {
            completed = e instanceof ClosedByInterruptException;
            throw DelegateClosed.afterBlocking(blocked, e, d, this);
        } finally {
            endBlocking(blocked, completed);
        }
        Transfer.WRITE.count(l.stack, entry, n);
        return n;
    }

    private Leg<DatagramChannel> connectedLeg() throws IOException {
        ensureOpen();
        Leg<DatagramChannel> l = leg;
        if (l == null || !l.ch.isConnected()) {
            throw new NotYetConnectedException();
        }
        return l;
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
        Leg<DatagramChannel> l = connectedLeg();
        DatagramChannel d = l.ch;
        long n;
        boolean blocked = beginBlocking(blocking);
        boolean completed = false;
        try {
            n = op.on(d, one, many, offset, length);
            completed = true;
        } catch (IOException e) {
            completed = e instanceof ClosedByInterruptException; // keep its type: end() must not replace it
            throw DelegateClosed.afterBlocking(blocked, e, d, this);
        } finally {
            endBlocking(blocked, completed);
        }
        op.count(l.stack, entry, n);
        return n;
    }

    // ---------------------------------------------------------------- DatagramSocket adaptor support

    /**
     * Marks this channel, before it is routed, as the one behind a {@code java.net.DatagramSocket}:
     * its leg is then the stack's channel for a legacy socket
     * ({@link io.dmm.api.spi.StackInstance#openDatagramSocketChannel}), so that interrupting a
     * thread blocked in the socket's receive does not close it, as with the JDK's own socket.
     */
    public void forDatagramSocket() {
        forDatagramSocket = true;
    }

    @Override
    public InetSocketAddress localAddress() {
        Leg<DatagramChannel> l = leg;
        return l == null ? null : TimedCalls.localAddress(l.ch);
    }

    /** Bound once routed (routing binds the leg), and still so after close, as the JDK reports it. */
    @Override
    public boolean isBound() {
        Leg<DatagramChannel> l = leg;
        return l != null && TimedCalls.isBound(l.ch);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        Leg<DatagramChannel> l = leg;
        return l == null ? null : TimedCalls.remoteAddress(l.ch);
    }

    /** java.net's connect, routed as a sender; a connected socket may connect again elsewhere. */
    @Override
    public void connectSocket(SocketAddress remote) throws IOException {
        InetSocketAddress isa = Addresses.checkRemote(remote, routing.family());
        DatagramChannel d = routed(Role.SENDER, isa).ch;
        try {
            TimedCalls.connectSocket(d, isa);
        } catch (IOException e) {
            throw DelegateClosed.closeFace(e, d, this);
        }
    }

    /** The DatagramSocket adaptor's receive with SO_TIMEOUT, routed as a receiver, forwarded to the leg once. */
    @Override
    public SocketAddress receive(ByteBuffer dst, long timeoutNanos) throws IOException {
        Leg<DatagramChannel> l = adaptorLeg(Role.RECEIVER, null);
        int before = dst.position();
        SocketAddress sender;
        try {
            sender = TimedCalls.receive(l.ch, dst, timeoutNanos);
        } catch (IOException e) {
            throw DelegateClosed.closeFace(e, l.ch, this); // closed by an interrupt: so is this channel
        }
        Transfer.READ.count(l.stack, entry, dst.position() - before);
        return sender;
    }

    /** The DatagramSocket adaptor's send, routed as a sender to {@code target} if not routed yet. */
    @Override
    public void blockingSend(ByteBuffer src, InetSocketAddress target) throws IOException {
        Leg<DatagramChannel> l = adaptorLeg(Role.SENDER, target);
        int n = src.remaining();
        try {
            TimedCalls.send(l.ch, src, target);
        } catch (IOException e) {
            throw DelegateClosed.closeFace(e, l.ch, this);
        }
        Transfer.WRITE.count(l.stack, entry, n);
    }

    @Override
    public void joinGroup(SocketAddress group, NetworkInterface netIf) throws IOException {
        TimedCalls.joinGroup(adaptorLeg(Role.RECEIVER, null).ch, group, netIf);
    }

    @Override
    public void leaveGroup(SocketAddress group, NetworkInterface netIf) throws IOException {
        TimedCalls.leaveGroup(adaptorLeg(Role.RECEIVER, null).ch, group, netIf);
    }

    /** The leg for a blocking adaptor call, routing as {@code role} if needed; as the JDK, blocking mode only. */
    private Leg<DatagramChannel> adaptorLeg(Role role, InetSocketAddress service) throws IOException {
        ensureOpen();
        if (!blocking) {
            throw new IllegalBlockingModeException();
        }
        return routed(role, service);
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        context.sockets().unregister(entry); // called once, however the channel is closed
        Leg<DatagramChannel> l;
        stateLock.lock();
        try {
            l = leg;
        } finally {
            stateLock.unlock();
        }
        if (l != null) {
            l.release();
        }
    }

    @Override
    public SocketInfo socketInfo() {
        return describe(entry);
    }

    /**
     * This channel's row: kind datagram, unrouted until its first bind, connect, send or receive,
     * then bound or connected on its stack with the stack channel's addresses; failed when that
     * channel was closed under it.
     */
    @Override
    public SocketInfo describe(SocketTable.Entry e) {
        Leg<DatagramChannel> l = leg;
        Decision dec = decision;
        if (l == null) { // routing that found no stack leaves it unrouted, as it was
            return SocketRows.row(e, "", Protocol.UDP, SocketRows.DATAGRAM, null, null,
                    isOpen() ? SocketRows.UNROUTED : SocketRows.CLOSED, null);
        }
        DatagramChannel d = l.ch;
        String state = !d.isOpen() ? SocketRows.FAILED : d.isConnected() ? SocketRows.CONNECTED : SocketRows.BOUND;
        if (!isOpen()) { // read last: closing marks this channel closed before it closes the stack's channel
            state = SocketRows.CLOSED;
        }
        return SocketRows.row(e, l.stack.name(), Protocol.UDP, SocketRows.DATAGRAM, SocketRows.local(d),
                SocketRows.remote(d), state, dec);
    }

    @Override
    protected void implConfigureBlocking(boolean block) throws IOException {
        Leg<DatagramChannel> l;
        stateLock.lock();
        try {
            blocking = block;
            l = leg;
        } finally {
            stateLock.unlock();
        }
        if (block) {
            channelKeys.cancelledKeysReleaseDelegates(); // see ChannelKeys
        }
        if (l != null) {
            l.ch.configureBlocking(block);
        }
    }

    @Override
    public String toString() {
        Leg<DatagramChannel> l = leg;
        return "RoutedDatagramChannel[" + (!isOpen() ? "closed" : l == null ? "unrouted" : "stack=" + l.stack.name()
                + " " + l.ch) + "]";
    }
}
