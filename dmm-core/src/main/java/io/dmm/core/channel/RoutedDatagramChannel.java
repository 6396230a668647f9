package io.dmm.core.channel;

import io.dmm.api.Protocol;
import io.dmm.api.Role;
import io.dmm.api.RouteHints;
import io.dmm.api.SocketInfo;
import io.dmm.core.policy.Route;
import io.dmm.core.runtime.Decision;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.core.runtime.SocketTable;
import io.dmm.core.runtime.StackHandle;
import io.dmm.core.selector.ChannelKeys;
import io.dmm.core.selector.DelegatingChannel;
import io.dmm.jdk.net.ChannelDatagramSocket;
import io.dmm.jdk.net.TimedCalls;
import io.dmm.jdk.net.TimedDatagramChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.NoRouteToHostException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectableChannel;
import java.util.ArrayList;
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
    private final DmmRuntime runtime;
    private final ProtocolFamily family;
    private final RouteHints hints;
    private final String caller;
    private final ReentrantLock stateLock = new ReentrantLock();
    private final PendingOptions options = new PendingOptions(PlatformDefaults.Kind.DATAGRAM);
    private volatile DatagramChannel delegate;
    private volatile StackHandle stack;
    private volatile boolean blocking = true;
    private boolean released; // guarded by stateLock
    private volatile ChannelDatagramSocket adaptor;
    private volatile Decision decision;
    /** Set before routing for a java.net.DatagramSocket: legs an interrupt does not close (see below). */
    private volatile boolean forDatagramSocket;
    private final ChannelKeys channelKeys = new ChannelKeys();
    /** This channel's row in the runtime's socket table, and its byte counters. */
    private final SocketTable.Entry entry;

    public RoutedDatagramChannel(RoutedChannelProvider provider, DmmRuntime runtime, ProtocolFamily family,
                                 RouteHints hints, String caller) {
        super(provider);
        this.runtime = runtime;
        this.family = family;
        this.hints = hints;
        this.caller = caller;
        this.entry = runtime.sockets().register(this); // last: the table may describe it at once
    }

    /**
     * A channel already open on {@code stack} (inherited from the parent process): routed from the
     * start, with {@code route}.
     */
    RoutedDatagramChannel(RoutedChannelProvider provider, DmmRuntime runtime, Decision decision, StackHandle stack,
                          DatagramChannel open) {
        super(provider);
        this.runtime = runtime;
        this.family = null;
        this.hints = RouteHints.none();
        this.caller = null;
        stack.socketOpened();
        this.decision = decision;
        this.stack = stack;
        this.delegate = open;
        this.entry = runtime.sockets().register(this);
    }

    /** The stack this channel runs on, or null before routing. */
    public String stackName() {
        StackHandle s = stack;
        return s == null ? null : s.name();
    }

    @Override
    public List<SelectableChannel> selectableDelegates() {
        DatagramChannel d = delegate; // published only once set up
        return d == null ? List.of() : List.of(d);
    }

    @Override
    public ChannelKeys channelKeys() {
        return channelKeys;
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

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    /** The routed delegate, routing now as {@code role} for {@code service} (may be null) if needed. */
    private DatagramChannel routed(Role role, InetSocketAddress service) throws IOException {
        DatagramChannel d = delegate;
        if (d != null) {
            return d;
        }
        stateLock.lock();
        try {
            ensureOpen();
            d = delegate;
            if (d != null) {
                return d;
            }
            Decision decision = runtime.router().decide(Protocol.UDP, role, service, null, hints, caller);
            this.decision = decision;
            ProtocolFamily needed = family != null ? family
                    : service != null ? Addresses.familyOf(service.getAddress())
                    : Addresses.familyOf(PlatformDefaults.wildcard(null));
            Decision.Usable usable = decision.usableFor(Protocol.UDP, needed);
            List<Throwable> failures = new ArrayList<>();
            for (StackHandle s : usable.stacks()) {
                DatagramChannel ch = null;
                try {
                    ch = forDatagramSocket ? s.instance().openDatagramSocketChannel(family)
                            : s.instance().openDatagramChannel(family);
                    s.socketOpened();
                    options.applyTo(ch);
                    ch.configureBlocking(blocking);
                    stack = s;
                    delegate = ch;
                    // selectors holding this channel register it; a stack whose channels cannot be
                    // selected fails here like any setup failure, and the next stack is tried
                    channelKeys.delegatesChanged();
                    return ch;
                } catch (IOException | RuntimeException e) {
                    if (delegate == ch) {
                        delegate = null;
                        stack = null;
                    }
                    if (ch != null) {
                        s.socketClosed();
                        ch.close();
                    }
                    failures.add(e);
                }
            }
            if (failures.isEmpty()) {
                throw new NoRouteToHostException("DMM: no usable stack for udp " + role.configName()
                        + (service == null ? "" : " " + service) + " (route " + decision.route().source() + "): "
                        + usable.whyOthersNot());
            }
            throw StackFailures.combine(failures);
        } finally {
            stateLock.unlock();
        }
    }

    @Override
    public DatagramChannel bind(SocketAddress local) throws IOException {
        stateLock.lock();
        try {
            ensureOpen();
            DatagramChannel d = delegate;
            if (d != null && d.getLocalAddress() != null) {
                throw new AlreadyBoundException();
            }
            InetSocketAddress isa = Addresses.checkLocal(local, family);
            routed(Role.RECEIVER, isa).bind(isa);
            return this;
        } finally {
            stateLock.unlock();
        }
    }

    @Override
    public <T> DatagramChannel setOption(SocketOption<T> name, T value) throws IOException {
        PendingOptions.checkSupported(name, value, supportedOptions());
        DatagramChannel d;
        stateLock.lock();
        try {
            ensureOpen();
            d = delegate;
            if (d == null) {
                options.remember(name, value);
                return this;
            }
        } finally {
            stateLock.unlock();
        }
        d.setOption(name, value);
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(SocketOption<T> name) throws IOException {
        PendingOptions.checkSupported(name, supportedOptions());
        DatagramChannel d;
        stateLock.lock();
        try {
            ensureOpen();
            d = delegate;
            if (d == null) {
                return (T) options.valueOf(name);
            }
        } finally {
            stateLock.unlock();
        }
        return d.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        DatagramChannel d = delegate;
        return d != null ? d.supportedOptions() : options.supported();
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf) throws IOException {
        return routed(Role.RECEIVER, null).join(group, interf);
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf, InetAddress source) throws IOException {
        return routed(Role.RECEIVER, null).join(group, interf, source);
    }

    @Override
    public DatagramSocket socket() {
        ChannelDatagramSocket a = adaptor;
        if (a == null) {
            synchronized (this) {
                a = adaptor;
                if (a == null) {
                    a = adaptor = ChannelDatagramSocket.of(this);
                }
            }
        }
        return a;
    }

    @Override
    public boolean isConnected() {
        DatagramChannel d = delegate;
        return d != null && d.isConnected();
    }

    @Override
    public DatagramChannel connect(SocketAddress remote) throws IOException {
        InetSocketAddress isa = Addresses.checkRemote(remote, family);
        DatagramChannel d = routed(Role.SENDER, isa);
        boolean blocked = beginBlocking(blocking);
        boolean completed = false;
        try {
            d.connect(isa);
            completed = true;
            return this;
        } catch (IOException e) {
            completed = e instanceof ClosedByInterruptException;
            closeIfDelegateClosed(d); // unlike the other calls, in either mode
            throw e;
        } finally {
            endBlocking(blocked, completed);
        }
    }

    @Override
    public DatagramChannel disconnect() throws IOException {
        DatagramChannel d = delegate;
        if (d != null) {
            d.disconnect();
        }
        return this;
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        DatagramChannel d = delegate;
        return d == null ? null : d.getRemoteAddress();
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        DatagramChannel d = delegate;
        return d == null ? null : d.getLocalAddress();
    }

    /** After the delegate threw: if it is closed now (by an interrupt, or under us), close this channel too. */
    private void closeIfDelegateClosed(DatagramChannel d) throws IOException {
        if (!d.isOpen()) {
            close();
        }
    }

    // begin()/end() are protected final in AbstractInterruptibleChannel: these thin helpers are
    // this class's own, the socket channel has the same three.

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

    /** A call on {@code d} threw {@code e}: if it was blocking and the delegate is closed now, so is this channel. */
    private IOException failed(boolean blocked, IOException e, DatagramChannel d) throws IOException {
        if (blocked) {
            closeIfDelegateClosed(d);
        }
        return e;
    }

    @Override
    public SocketAddress receive(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst);
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
        ensureOpen();
        DatagramChannel d = delegate != null ? delegate : routed(Role.RECEIVER, null);
        int before = dst.position();
        SocketAddress from;
        boolean blocked = beginBlocking(blocking);
        boolean completed = false;
        try {
            from = d.receive(dst);
            completed = true;
        } catch (IOException e) {
            completed = e instanceof ClosedByInterruptException;
            throw failed(blocked, e, d);
        } finally {
            endBlocking(blocked, completed);
        }
        if (from != null) {
            int n = dst.position() - before;
            stack.bytesIn(n);
            entry.addIn(n);
        }
        return from;
    }

    @Override
    public int send(ByteBuffer src, SocketAddress target) throws IOException {
        Objects.requireNonNull(src);
        InetSocketAddress isa = Addresses.check(target, family);
        ensureOpen();
        DatagramChannel d = delegate != null ? delegate : routed(Role.SENDER, isa);
        int n;
        boolean blocked = beginBlocking(blocking);
        boolean completed = false;
        try {
            n = d.send(src, isa);
            completed = true;
        } catch (IOException e) {
            completed = e instanceof ClosedByInterruptException;
            throw failed(blocked, e, d);
        } finally {
            endBlocking(blocked, completed);
        }
        if (n > 0) {
            stack.bytesOut(n);
            entry.addOut(n);
        }
        return n;
    }

    private DatagramChannel connectedDelegate() throws IOException {
        ensureOpen();
        DatagramChannel d = delegate;
        if (d == null || !d.isConnected()) {
            throw new NotYetConnectedException();
        }
        return d;
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
        DatagramChannel d = connectedDelegate();
        long n;
        boolean blocked = beginBlocking(blocking);
        boolean completed = false;
        try {
            n = op.on(d, one, many, offset, length);
            completed = true;
        } catch (IOException e) {
            completed = e instanceof ClosedByInterruptException; // keep its type: end() must not replace it
            throw failed(blocked, e, d);
        } finally {
            endBlocking(blocked, completed);
        }
        op.count(stack, entry, n);
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
        DatagramChannel d = delegate;
        return d == null ? null : TimedCalls.localAddress(d);
    }

    /** Bound once routed (routing binds the leg), and still so after close, as the JDK reports it. */
    @Override
    public boolean isBound() {
        DatagramChannel d = delegate;
        return d != null && TimedCalls.isBound(d);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        DatagramChannel d = delegate;
        return d == null ? null : TimedCalls.remoteAddress(d);
    }

    /** java.net's connect, routed as a sender; a connected socket may connect again elsewhere. */
    @Override
    public void connectSocket(SocketAddress remote) throws IOException {
        InetSocketAddress isa = Addresses.checkRemote(remote, family);
        DatagramChannel d = routed(Role.SENDER, isa);
        try {
            TimedCalls.connectSocket(d, isa);
        } catch (IOException e) {
            closeIfDelegateClosed(d);
            throw e;
        }
    }

    /** The DatagramSocket adaptor's receive with SO_TIMEOUT, routed as a receiver, forwarded to the leg once. */
    @Override
    public SocketAddress receive(ByteBuffer dst, long timeoutNanos) throws IOException {
        DatagramChannel d = adaptorLeg(Role.RECEIVER, null);
        int before = dst.position();
        SocketAddress sender;
        try {
            sender = TimedCalls.receive(d, dst, timeoutNanos);
        } catch (IOException e) {
            closeIfDelegateClosed(d); // closed by an interrupt: so is this channel
            throw e;
        }
        int n = dst.position() - before;
        stack.bytesIn(n);
        entry.addIn(n);
        return sender;
    }

    /** The DatagramSocket adaptor's send, routed as a sender to {@code target} if not routed yet. */
    @Override
    public void blockingSend(ByteBuffer src, InetSocketAddress target) throws IOException {
        DatagramChannel d = adaptorLeg(Role.SENDER, target);
        int n = src.remaining();
        try {
            TimedCalls.send(d, src, target);
        } catch (IOException e) {
            closeIfDelegateClosed(d);
            throw e;
        }
        stack.bytesOut(n);
        entry.addOut(n);
    }

    @Override
    public void joinGroup(SocketAddress group, NetworkInterface netIf) throws IOException {
        TimedCalls.joinGroup(adaptorLeg(Role.RECEIVER, null), group, netIf);
    }

    @Override
    public void leaveGroup(SocketAddress group, NetworkInterface netIf) throws IOException {
        TimedCalls.leaveGroup(adaptorLeg(Role.RECEIVER, null), group, netIf);
    }

    /** The leg for a blocking adaptor call, routing as {@code role} if needed; as the JDK, blocking mode only. */
    private DatagramChannel adaptorLeg(Role role, InetSocketAddress service) throws IOException {
        ensureOpen();
        if (!blocking) {
            throw new IllegalBlockingModeException();
        }
        return routed(role, service);
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        runtime.sockets().unregister(entry); // called once, however the channel is closed
        DatagramChannel d;
        stateLock.lock();
        try {
            d = delegate;
            if (d != null && !released) {
                released = true;
                stack.socketClosed();
            }
        } finally {
            stateLock.unlock();
        }
        if (d != null) {
            d.close();
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
        DatagramChannel d = delegate;
        StackHandle s = stack;
        Decision dec = decision;
        if (d == null || s == null) { // routing that found no stack leaves it unrouted, as it was
            return SocketRows.row(e, "", Protocol.UDP, SocketRows.DATAGRAM, null, null,
                    isOpen() ? SocketRows.UNROUTED : SocketRows.CLOSED, null);
        }
        String state = !d.isOpen() ? SocketRows.FAILED : d.isConnected() ? SocketRows.CONNECTED : SocketRows.BOUND;
        if (!isOpen()) { // read last: closing marks this channel closed before it closes the stack's channel
            state = SocketRows.CLOSED;
        }
        return SocketRows.row(e, s.name(), Protocol.UDP, SocketRows.DATAGRAM, SocketRows.local(d),
                SocketRows.remote(d), state, dec);
    }

    @Override
    protected void implConfigureBlocking(boolean block) throws IOException {
        DatagramChannel d;
        stateLock.lock();
        try {
            blocking = block;
            d = delegate;
        } finally {
            stateLock.unlock();
        }
        if (block) {
            channelKeys.cancelledKeysReleaseDelegates(); // see ChannelKeys
        }
        if (d != null) {
            d.configureBlocking(block);
        }
    }

    @Override
    public String toString() {
        StackHandle s = stack;
        return "RoutedDatagramChannel[" + (!isOpen() ? "closed" : s == null ? "unrouted" : "stack=" + s.name()
                + " " + delegate) + "]";
    }
}
