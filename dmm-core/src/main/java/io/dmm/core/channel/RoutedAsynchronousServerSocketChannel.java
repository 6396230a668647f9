package io.dmm.core.channel;

import io.dmm.api.Protocol;
import io.dmm.api.Role;
import io.dmm.api.RouteHints;
import io.dmm.api.SocketInfo;
import io.dmm.core.routing.Decision;
import io.dmm.core.routing.RoutedChannel;
import io.dmm.core.routing.RoutingContext;
import io.dmm.core.routing.SocketTable;
import io.dmm.jdk.async.AsyncResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An asynchronous TCP server channel that DMM routes at bind: the policy (role server) picks the
 * stacks, this channel listens there, in the program's group, and every accepted connection is a
 * {@link RoutedAsynchronousSocketChannel} of the stack that accepted it (counted there).
 *
 * <p>As {@link RoutedServerSocketChannel}: bound to a wildcard address on a route of several stacks
 * it listens on every usable one (same port, kernel members with SO_REUSEPORT), and accepts from
 * all of them ({@link AsyncAcceptor}); bound to a specific address it listens on the route's first
 * usable stack. Stacks without asynchronous channels are left out.
 *
 * <p>It is in its runtime's socket table from its creation until it is closed (one row, naming
 * every stack it listens on).
 */
public final class RoutedAsynchronousServerSocketChannel extends AsynchronousServerSocketChannel
        implements RoutedChannel {
    private final RoutingContext context;
    private final StackGroup group;
    private final StackRoute routing;
    /** Guards the fields below (the volatile ones are also read without it); never held while blocking. */
    private final ReentrantLock stateLock = new ReentrantLock();
    private final RoutedOptions options = new RoutedOptions(PlatformDefaults.Kind.ASYNC_SERVER, this, stateLock,
            this::routedLegs);
    private volatile AsyncAcceptor acceptor;
    private volatile Decision decision;
    private volatile boolean closed;
    private volatile boolean acceptKilled; // an accept Future was cancelled: the JDK refuses accepts then
    /** This server's row in the runtime's socket table. */
    private final SocketTable.Entry entry;

    public RoutedAsynchronousServerSocketChannel(AsynchronousChannelProvider provider, RoutingContext context,
                                                 StackGroup group, RouteHints hints, String caller) {
        super(provider);
        this.context = context;
        this.group = group;
        this.routing = new StackRoute(context, Protocol.TCP, null, hints, caller);
        group.joined(this);
        this.entry = context.sockets().register(this); // last: the table may describe it at once
    }

    @Override
    public Decision decision() {
        return decision;
    }

    @Override
    public List<String> stacksInUse() {
        List<Leg<AsynchronousServerSocketChannel>> ms = routedLegs();
        return ms == null ? List.of() : Leg.stackNames(ms);
    }

    /** The (first) stack this server listens on, or null before bind. */
    public String stackName() {
        AsyncAcceptor a = acceptor;
        return a == null ? null : a.members().getFirst().stack.name();
    }

    /** The listening members, in route order, or null before bind. */
    private List<Leg<AsynchronousServerSocketChannel>> routedLegs() {
        AsyncAcceptor a = acceptor;
        return a == null ? null : a.members();
    }

    /** The first member's channel, or null before bind. */
    private AsynchronousServerSocketChannel first() {
        AsyncAcceptor a = acceptor;
        return a == null ? null : a.members().getFirst().ch;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public AsynchronousServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
        stateLock.lock();
        try {
            if (closed) {
                throw new ClosedChannelException();
            }
            if (acceptor != null) {
                throw new AlreadyBoundException();
            }
            InetSocketAddress isa = Addresses.checkLocal(local, null);
            Candidates c = routing.decide(Role.SERVER, isa, null);
            decision = c.decision();
            c.requireAny();
            List<Leg<AsynchronousServerSocketChannel>> members = SharedPortListen.listen(c, isa, backlog, options,
                    s -> s.instance().openAsynchronousServerSocketChannel(group), AsynchronousServerSocketChannel::bind,
                    "asynchronous channels");
            acceptor = new AsyncAcceptor(members, group,
                    (m, ch) -> new RoutedAsynchronousSocketChannel(provider(), context, decision, m.stack, group, ch));
            return this;
        } finally {
            stateLock.unlock();
        }
    }

    @Override
    public <T> AsynchronousServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
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
    public <A> void accept(A attachment, CompletionHandler<AsynchronousSocketChannel, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        AsyncAcceptor a = acceptor;
        if (closed) {
            GroupDispatch.failed(group, handler, attachment, new ClosedChannelException());
            return;
        }
        if (a == null) {
            throw new NotYetBoundException();
        }
        if (acceptKilled) {
            throw new RuntimeException("Accept not allowed due cancellation"); // the JDK's words and type
        }
        a.accept(attachment, handler);
    }

    @Override
    public Future<AsynchronousSocketChannel> accept() {
        AsyncResult<AsynchronousSocketChannel> f = new AsyncResult<>(this, () -> acceptKilled = true);
        accept(null, f);
        return f;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        AsynchronousServerSocketChannel d = first();
        return d == null ? null : d.getLocalAddress();
    }

    /** Closes the listening channels: a pending accept fails with AsynchronousCloseException. */
    @Override
    public void close() throws IOException {
        AsyncAcceptor a;
        stateLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            a = acceptor;
        } finally {
            stateLock.unlock();
        }
        context.sockets().unregister(entry); // once: only the call that closed it gets here
        if (a != null) {
            a.close();
        }
        group.left(this);
    }

    @Override
    public SocketInfo socketInfo() {
        return describe(entry);
    }

    /** This server's row (see {@link SocketRows#server}). */
    @Override
    public SocketInfo describe(SocketTable.Entry e) {
        List<Leg<AsynchronousServerSocketChannel>> ms = routedLegs();
        return SocketRows.server(e, this, ms, decision); // decision read after the members: set before them at bind
    }

    @Override
    public String toString() {
        return "RoutedAsynchronousServerSocketChannel[" + (closed ? "closed" : acceptor == null ? "unbound"
                : "stacks=" + stacksInUse() + " " + first()) + "]";
    }
}
