package io.dmm.stack.userspace.channel;

import io.dmm.api.spi.AsynchronousGroup;
import io.dmm.api.spi.ReadinessListener;
import io.dmm.api.spi.ReadinessSource;
import io.dmm.jdk.async.AsyncResult;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.AcceptPendingException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * An asynchronous TCP server channel of the userspace stack, with the JDK's
 * {@code sun.nio.ch.UnixAsynchronousServerSocketChannelImpl} semantics: a face over the blocking
 * server's core ({@link UserspaceServerSocketChannel}, in non-blocking mode), whose readiness drives
 * the pending accept; accepted connections are {@link UserspaceAsynchronousSocketChannel}s of the
 * same group, and the handler runs on the group's threads.
 */
public final class UserspaceAsynchronousServerSocketChannel extends AsynchronousServerSocketChannel {
    private final UserspaceServerSocketChannel core;
    private final AsynchronousGroup group;
    private final Accept accepts;

    private UserspaceAsynchronousServerSocketChannel(AsynchronousChannelProvider provider,
                                                     UserspaceServerSocketChannel core, AsynchronousGroup group)
            throws IOException {
        super(provider);
        this.core = core;
        this.group = group;
        this.accepts = new Accept(); // after group: it hands its handlers to it
        core.configureBlocking(false);
        core.setReadinessListener(new Listener());
    }

    /** The factory a stack instance calls: dual-stack, as the JDK's asynchronous channels are where there is IPv6. */
    public static UserspaceAsynchronousServerSocketChannel open(AsynchronousChannelProvider provider,
                                                                StackAccess access, AsynchronousGroup group)
            throws IOException {
        UserspaceServerSocketChannel core = UserspaceServerSocketChannel.open(SelectorProvider.provider(), access, null);
        return new UserspaceAsynchronousServerSocketChannel(provider, core, Objects.requireNonNull(group, "group"));
    }

    private final class Listener implements ReadinessListener {
        @Override
        public void readinessChanged(ReadinessSource source) {
            accepts.readinessChanged();
        }
    }

    /** The pending accept: the core's non-blocking accept, again once a connection is queued. */
    private final class Accept extends AsyncOperation {
        Accept() {
            super(group);
        }

        @Override
        Object attempt() throws IOException {
            SocketChannel accepted = core.accept();
            if (accepted == null) return NOT_READY;
            try {
                return new UserspaceAsynchronousSocketChannel(provider(), (UserspaceSocketChannel) accepted, group);
            } catch (IOException | RuntimeException e) {
                accepted.close();
                throw e;
            }
        }

        @Override
        boolean readyOrClosed() {
            return (core.readyOps() & SelectionKey.OP_ACCEPT) != 0 || !core.isOpen();
        }

        @Override
        RuntimeException pendingException() {
            return new AcceptPendingException();
        }
    }

    @Override
    public <A> void accept(A attachment, CompletionHandler<AsynchronousSocketChannel, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        if (!core.isOpen()) {
            AsyncOperation.completeNow(group, handler, attachment, null, new ClosedChannelException());
            return;
        }
        if (core.localAddress() == null) throw new NotYetBoundException();
        if (accepts.isKilled()) throw new RuntimeException("Accept not allowed due cancellation"); // the JDK's words
        accepts.claim();
        accepts.proceed(attachment, handler, 0L, TimeUnit.MILLISECONDS);
    }

    @Override
    public Future<AsynchronousSocketChannel> accept() {
        AsyncResult<AsynchronousSocketChannel> f = new AsyncResult<>(this, accepts::kill);
        accept(null, f);
        return f;
    }

    @Override
    public AsynchronousServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
        core.bind(local, backlog);
        return this;
    }

    @Override
    public <T> AsynchronousServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        core.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return core.getOption(name);
    }

    /** The JDK's asynchronous server options are its blocking server's: the core's. */
    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return core.supportedOptions();
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        return core.getLocalAddress();
    }

    @Override
    public boolean isOpen() {
        return core.isOpen();
    }

    /** A pending accept fails with AsynchronousCloseException on the group's threads (the core's close notifies). */
    @Override
    public void close() throws IOException {
        core.close();
    }

    @Override
    public String toString() {
        return AsyncOperation.describeFace(this, core);
    }
}
