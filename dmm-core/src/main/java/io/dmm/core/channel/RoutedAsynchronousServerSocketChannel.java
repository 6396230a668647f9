package io.dmm.core.channel;

import io.dmm.api.Protocol;
import io.dmm.api.RouteHints;
import io.dmm.api.Role;
import io.dmm.core.policy.Route;
import io.dmm.core.runtime.Decision;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.core.runtime.StackHandle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AsynchronousChannelGroup;
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

/**
 * An asynchronous TCP server channel that DMM routes at bind: the policy (role server) picks the
 * stack, this channel listens there, in the program's group, and every accepted connection is a
 * {@link RoutedAsynchronousSocketChannel} of that stack (counted there).
 *
 * <p>It listens on one stack: the route's first usable stack that has asynchronous channels. Unlike
 * {@link RoutedServerSocketChannel} it does not listen on every member of a multi-stack route for a
 * wildcard address (see docs/drop-in.md, "Asynchronous channels").
 */
public final class RoutedAsynchronousServerSocketChannel extends AsynchronousServerSocketChannel
        implements RoutedChannel {
    private final DmmRuntime runtime;
    private final AsynchronousChannelGroup group;
    private final RouteHints hints;
    private final String caller;
    private final PendingOptions options = new PendingOptions(PlatformDefaults.Kind.ASYNC_SERVER);

    // guarded by this; volatile ones are also read without it
    private volatile AsynchronousServerSocketChannel delegate;
    private volatile StackHandle stack;
    private volatile Route route;
    private volatile boolean closed;

    public RoutedAsynchronousServerSocketChannel(AsynchronousChannelProvider provider, DmmRuntime runtime,
                                                 AsynchronousChannelGroup group, RouteHints hints, String caller) {
        super(provider);
        this.runtime = runtime;
        this.group = group;
        this.hints = hints;
        this.caller = caller;
    }

    @Override
    public Route route() {
        return route;
    }

    @Override
    public List<String> stacksInUse() {
        StackHandle s = stack;
        return s == null ? List.of() : List.of(s.name());
    }

    /** The stack this server listens on, or null before bind. */
    public String stackName() {
        StackHandle s = stack;
        return s == null ? null : s.name();
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public synchronized AsynchronousServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (delegate != null) {
            throw new AlreadyBoundException();
        }
        InetSocketAddress isa = Addresses.checkLocal(local, null);
        Decision d = runtime.router().decide(Protocol.TCP, Role.SERVER, isa, null, hints, caller);
        route = d.route();
        Decision.Usable usable = d.usableFor(Protocol.TCP, Addresses.familyOf(isa.getAddress()));
        if (usable.isEmpty()) {
            throw new SocketException("DMM: no usable stack for tcp server on " + isa + " (route "
                    + d.route().source() + "): " + usable.whyOthersNot());
        }
        IOException noAsync = null;
        for (StackHandle s : usable.stacks()) {
            AsynchronousServerSocketChannel ch;
            try {
                ch = s.instance().openAsynchronousServerSocketChannel(group);
            } catch (UnsupportedOperationException e) {
                // a stack without asynchronous channels: the route's next stack may have them
                noAsync = noAsync == null ? new SocketException("DMM: no stack of route " + d.route().source()
                        + " has asynchronous channels") : noAsync;
                noAsync.addSuppressed(e);
                continue;
            }
            s.socketOpened();
            try {
                options.applyTo(ch);
                ch.bind(isa, backlog);
            } catch (IOException | RuntimeException e) {
                s.socketClosed();
                ch.close();
                throw e;
            }
            stack = s;
            delegate = ch;
            return this;
        }
        throw noAsync;
    }

    @Override
    public <T> AsynchronousServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        PendingOptions.checkSupported(name, supportedOptions());
        AsynchronousServerSocketChannel d;
        synchronized (this) {
            if (closed) {
                throw new ClosedChannelException();
            }
            d = delegate;
            if (d == null) {
                options.remember(name, value);
                return this;
            }
        }
        d.setOption(name, value);
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(SocketOption<T> name) throws IOException {
        PendingOptions.checkSupported(name, supportedOptions());
        AsynchronousServerSocketChannel d;
        synchronized (this) {
            if (closed) {
                throw new ClosedChannelException();
            }
            d = delegate;
            if (d == null) {
                return (T) options.valueOf(name);
            }
        }
        return d.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        AsynchronousServerSocketChannel d = delegate;
        return d != null ? d.supportedOptions() : options.supported();
    }

    @Override
    public <A> void accept(A attachment, CompletionHandler<AsynchronousSocketChannel, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        AsynchronousServerSocketChannel d = delegate;
        StackHandle s = stack;
        if (closed) {
            handler.failed(new ClosedChannelException(), attachment);
            return;
        }
        if (d == null) {
            throw new NotYetBoundException();
        }
        d.accept(attachment, new CompletionHandler<AsynchronousSocketChannel, A>() {
            @Override
            public void completed(AsynchronousSocketChannel accepted, A a) {
                handler.completed(new RoutedAsynchronousSocketChannel(provider(), runtime, route, s, accepted), a);
            }

            @Override
            public void failed(Throwable exc, A a) {
                handler.failed(exc, a);
            }
        });
    }

    @Override
    public Future<AsynchronousSocketChannel> accept() {
        AsyncResult<AsynchronousSocketChannel> f = new AsyncResult<>(this);
        accept(null, f);
        return f;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        AsynchronousServerSocketChannel d = delegate;
        return d == null ? null : d.getLocalAddress();
    }

    /** Closes the listening channel: a pending accept fails with AsynchronousCloseException. */
    @Override
    public void close() throws IOException {
        AsynchronousServerSocketChannel d;
        StackHandle s;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            d = delegate;
            s = stack;
        }
        if (d != null) {
            s.socketClosed();
            d.close();
        }
    }

    @Override
    public String toString() {
        StackHandle s = stack;
        return "RoutedAsynchronousServerSocketChannel[" + (closed ? "closed" : s == null ? "unbound"
                : "stack=" + s.name() + " " + delegate) + "]";
    }
}
