package io.dmm.core.channel;

import io.dmm.api.Protocol;
import io.dmm.api.Role;
import io.dmm.api.RouteHints;
import io.dmm.api.SocketInfo;
import io.dmm.api.spi.ReadinessSource;
import io.dmm.core.routing.Decision;
import io.dmm.core.routing.RoutedChannel;
import io.dmm.core.routing.RoutingContext;
import io.dmm.core.routing.SocketTable;
import io.dmm.core.routing.StackHandle;
import io.dmm.core.selector.ChannelKeys;
import io.dmm.core.selector.DelegatingChannel;
import io.dmm.jdk.net.ChannelServerSocket;
import io.dmm.jdk.net.TimedCalls;
import io.dmm.jdk.net.TimedServerSocketChannel;
import io.dmm.jdk.platform.PlatformChannels;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP server channel that DMM routes at bind. Bound to a wildcard address with a route of several
 * stacks, it listens on every usable one (same port) and accepts from all of them; otherwise it has
 * one member and accept delegates to it. Accepted channels are routed channels already attached to
 * the stack that accepted them.
 *
 * <p>Several members are kept in non-blocking mode and registered with a private JDK Selector used
 * only here, to wait for the first of them to have a connection (that selector never sees a non-JDK
 * channel); members of a stack without file descriptors stay out of it and wake it through their
 * {@link ReadinessSource} listener instead. Registered with a
 * {@link io.dmm.core.selector.DmmSelector}, this server puts every member under its one key there.
 *
 * <p>It is in its runtime's socket table from its creation until it is closed (one row, naming
 * every stack it listens on).
 */
public final class RoutedServerSocketChannel extends ServerSocketChannel
        implements RoutedChannel, DelegatingChannel, TimedServerSocketChannel {
    private final RoutedChannelProvider routedProvider;
    private final RoutingContext context;
    private final StackRoute routing;
    private final ReentrantLock acceptLock = new ReentrantLock();
    private final ReentrantLock stateLock = new ReentrantLock();
    private final RoutedOptions options =
            new RoutedOptions(PlatformDefaults.Kind.SERVER, this, stateLock, () -> this.members);
    private volatile List<Leg<ServerSocketChannel>> members;
    private volatile Selector selector;
    private volatile boolean blocking = true;
    private int nextMember; // round robin start, guarded by acceptLock
    /** Where it listens (the first member's address), kept after close as the JDK's channel keeps it. */
    private volatile InetSocketAddress boundAddress;
    private final LazyAdaptor<RoutedServerSocketChannel, ChannelServerSocket> adaptor =
            new LazyAdaptor<>(this, ChannelServerSocket::of);
    private volatile Decision decision;
    private final ChannelKeys channelKeys = new ChannelKeys();
    /** This server's row in the runtime's socket table. */
    private final SocketTable.Entry entry;

    public RoutedServerSocketChannel(RoutedChannelProvider provider, RoutingContext context, ProtocolFamily family,
                                     RouteHints hints, String caller) {
        super(provider);
        this.routedProvider = provider;
        this.context = context;
        this.routing = new StackRoute(context, Protocol.TCP, family, hints, caller);
        this.entry = context.sockets().register(this); // last: the table may describe it at once
    }

    /**
     * A server that is already listening on {@code stack}, bound by someone else (a channel
     * inherited from the parent process): it carries {@code route} and accepts into channels of
     * that stack.
     */
    RoutedServerSocketChannel(RoutedChannelProvider provider, RoutingContext context, Decision decision, StackHandle stack,
                              ServerSocketChannel listening) {
        super(provider);
        this.routedProvider = provider;
        this.context = context;
        this.routing = null; // bound already: never routed
        this.decision = decision;
        this.members = List.of(new Leg<>(listening, stack));
        this.boundAddress = SocketRows.local(listening);
        this.entry = context.sockets().register(this);
    }

    @Override
    public Decision decision() {
        return decision;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    /** The stacks this server listens on, in route order (empty before bind). */
    @Override
    public List<String> stacksInUse() {
        List<Leg<ServerSocketChannel>> ms = members;
        return ms == null ? List.of() : Leg.stackNames(ms);
    }

    /** Every listening member (empty before bind). */
    @Override
    public List<SelectableChannel> selectableDelegates() {
        List<Leg<ServerSocketChannel>> ms = members;
        if (ms == null) {
            return List.of();
        }
        List<SelectableChannel> list = new ArrayList<>(ms.size());
        for (Leg<ServerSocketChannel> m : ms) {
            list.add(m.ch);
        }
        return list;
    }

    @Override
    public ChannelKeys channelKeys() {
        return channelKeys;
    }

    /** Before bind, ready to accept, as the JDK's unbound server socket (it polls as hung up). */
    @Override
    public int readyOpsBeforeRouting() {
        return members == null && isOpen() ? SelectionKey.OP_ACCEPT : 0;
    }

    @Override
    public ServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
        stateLock.lock();
        try {
            ensureOpen();
            if (members != null) {
                throw new AlreadyBoundException();
            }
            InetSocketAddress isa = Addresses.checkLocal(local, routing.family());
            Candidates c = routing.decide(Role.SERVER, isa, null);
            decision = c.decision();
            c.requireAny();
            List<Leg<ServerSocketChannel>> ms = listen(c, isa, backlog);
            boundAddress = SocketRows.local(ms.getFirst().ch);
            members = ms;
            channelKeys.delegatesChanged(); // selectors holding this server register every member
            return this;
        } finally {
            stateLock.unlock();
        }
    }

    private List<Leg<ServerSocketChannel>> listen(Candidates c, InetSocketAddress isa, int backlog) throws IOException {
        ProtocolFamily family = routing.family();
        List<Leg<ServerSocketChannel>> ms = SharedPortListen.listen(c, isa, backlog, options,
                s -> s.instance().openServerSocketChannel(family), ServerSocketChannel::bind, "server channels");
        boolean multi = ms.size() > 1;
        Selector sel = null;
        try {
            for (Leg<ServerSocketChannel> m : ms) {
                m.ch.configureBlocking(!multi && blocking);
            }
            if (multi) {
                sel = PlatformChannels.provider().openSelector();
                for (Leg<ServerSocketChannel> m : ms) {
                    if (m.ch instanceof ReadinessSource rs) {
                        // never in a JDK selector: its connections wake the accept wait instead
                        rs.setReadinessListener(channelKeys);
                    } else {
                        m.ch.register(sel, SelectionKey.OP_ACCEPT);
                    }
                }
                channelKeys.alsoWake(sel);
                selector = sel;
            }
            return ms;
        } catch (IOException | RuntimeException e) {
            if (sel != null) {
                try {
                    sel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            for (Leg<ServerSocketChannel> m : ms) {
                m.release();
            }
            throw e;
        }
    }

    @Override
    public SocketChannel accept() throws IOException {
        return acceptWithin(-1L);
    }

    /** The ServerSocket adaptor's blocking accept with SO_TIMEOUT. */
    @Override
    public SocketChannel accept(long timeoutNanos) throws IOException {
        return acceptWithin(timeoutNanos);
    }

    /**
     * Accepts a connection. {@code timeoutNanos < 0}: channel semantics (blocking per the mode);
     * otherwise the ServerSocket adaptor's blocking accept with SO_TIMEOUT (0 = none).
     */
    private SocketChannel acceptWithin(long timeoutNanos) throws IOException {
        acceptLock.lock();
        try {
            ensureOpen();
            List<Leg<ServerSocketChannel>> ms = members;
            if (ms == null) {
                throw new NotYetBoundException();
            }
            boolean block = blocking;
            if (timeoutNanos >= 0 && !block) {
                throw new IllegalBlockingModeException();
            }
            boolean completed = false;
            if (block) {
                begin();
            }
            try {
                SocketChannel accepted;
                if (ms.size() == 1) {
                    accepted = acceptOne(ms.getFirst(), timeoutNanos);
                } else {
                    accepted = acceptAny(ms, block, timeoutNanos);
                }
                completed = true;
                return accepted;
            } catch (IOException e) {
                completed = e instanceof ClosedByInterruptException || e instanceof SocketTimeoutException;
                if (e instanceof ClosedByInterruptException || e instanceof AsynchronousCloseException
                        || (!(e instanceof SocketTimeoutException) && !ms.getFirst().ch.isOpen())) {
                    close();
                }
                throw e;
            } finally {
                if (block) {
                    end(completed);
                }
            }
        } finally {
            acceptLock.unlock();
        }
    }

    private SocketChannel acceptOne(Leg<ServerSocketChannel> m, long timeoutNanos) throws IOException {
        SocketChannel s;
        if (timeoutNanos > 0) {
            s = TimedCalls.accept(m.ch, timeoutNanos); // the member's own timed accept
        } else {
            s = m.ch.accept();
        }
        return s == null ? null : new RoutedSocketChannel(routedProvider, context, decision, m.stack, s);
    }

    private SocketChannel acceptAny(List<Leg<ServerSocketChannel>> ms, boolean block, long timeoutNanos)
            throws IOException {
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0L;
        Selector sel = selector;
        while (true) {
            for (int i = 0; i < ms.size(); i++) {
                int k = (nextMember + i) % ms.size();
                SocketChannel s = ms.get(k).ch.accept();
                if (s != null) {
                    nextMember = k + 1; // start with the next member next time: no member starves
                    return new RoutedSocketChannel(routedProvider, context, decision, ms.get(k).stack, s);
                }
            }
            if (!block) {
                return null;
            }
            long wait = 0L;
            if (deadline != 0L) {
                wait = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (wait <= 0) {
                    throw new SocketTimeoutException("Accept timed out");
                }
            }
            try {
                sel.select(wait);
                sel.selectedKeys().clear();
            } catch (ClosedSelectorException e) {
                throw new AsynchronousCloseException();
            }
            // the selector's own interrupt hook only wakes it up: an interrupt closes this channel
            if (Thread.currentThread().isInterrupted()) {
                close();
                throw new ClosedByInterruptException();
            }
            if (!isOpen()) {
                throw new AsynchronousCloseException();
            }
        }
    }

    @Override
    public <T> ServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
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
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        List<Leg<ServerSocketChannel>> ms = members;
        return ms == null ? null : ms.getFirst().ch.getLocalAddress();
    }

    /** The listening address, kept after close as the JDK keeps it; null before bind. */
    @Override
    public InetSocketAddress localAddress() {
        return boundAddress;
    }

    @Override
    public ServerSocket socket() {
        return adaptor.get();
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        context.sockets().unregister(entry); // called once, however the channel is closed
        Selector sel;
        List<Leg<ServerSocketChannel>> ms;
        stateLock.lock();
        try {
            sel = selector;
            ms = members;
        } finally {
            stateLock.unlock();
        }
        if (sel != null) {
            sel.close(); // wakes a blocked accept and deregisters the members, so their close is immediate
        }
        if (ms != null) {
            stateLock.lock();
            try {
                for (Leg<ServerSocketChannel> m : ms) {
                    m.release();
                }
            } finally {
                stateLock.unlock();
            }
        }
    }

    @Override
    public SocketInfo socketInfo() {
        return describe(entry);
    }

    /** This server's row (see {@link SocketRows#server}). */
    @Override
    public SocketInfo describe(SocketTable.Entry e) {
        List<Leg<ServerSocketChannel>> ms = members;
        return SocketRows.server(e, this, ms, decision); // decision read after members: set before them at bind
    }

    @Override
    protected void implConfigureBlocking(boolean block) throws IOException {
        List<Leg<ServerSocketChannel>> ms;
        stateLock.lock();
        try {
            blocking = block;
            ms = members;
        } finally {
            stateLock.unlock();
        }
        if (block) {
            channelKeys.cancelledKeysReleaseDelegates(); // see ChannelKeys
        }
        if (ms != null && ms.size() == 1) {
            ms.getFirst().ch.configureBlocking(block); // several members stay non-blocking: the selector waits
        }
    }

    @Override
    public String toString() {
        if (!isOpen()) {
            return "RoutedServerSocketChannel[closed]";
        }
        return "RoutedServerSocketChannel[" + (members == null ? "unbound" : "stacks=" + stacksInUse() + " "
                + localAddress()) + "]";
    }
}
