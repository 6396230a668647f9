package io.dmm.core.testsupport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A test stack's asynchronous client channel whose connects are refused like a closed port: the
 * handler fails with ConnectException, on another thread (as a real completion would arrive), and
 * the channel closes itself as the JDK's does.
 */
final class RefusingAsynchronousSocketChannel extends AsynchronousSocketChannel {
    private final Map<SocketOption<?>, Object> options = new HashMap<>();
    private volatile boolean open = true;
    private SocketAddress local;

    RefusingAsynchronousSocketChannel() {
        super(AsynchronousChannelProvider.provider());
    }

    @Override
    public <A> void connect(SocketAddress remote, A attachment, CompletionHandler<Void, ? super A> handler) {
        boolean wasOpen = open;
        Thread.ofVirtual().start(() -> {
            open = false;
            handler.failed(wasOpen ? new ConnectException("Connection refused") : new ClosedChannelException(),
                    attachment);
        });
    }

    @Override
    public Future<Void> connect(SocketAddress remote) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        connect(remote, null, new CompletionHandler<Void, Object>() {
            @Override public void completed(Void v, Object a) { f.complete(null); }
            @Override public void failed(Throwable e, Object a) { f.completeExceptionally(e); }
        });
        return f;
    }

    @Override
    public AsynchronousSocketChannel bind(SocketAddress addr) throws IOException {
        local = addr == null ? new InetSocketAddress(0) : addr;
        return this;
    }

    @Override
    public <T> AsynchronousSocketChannel setOption(SocketOption<T> name, T value) {
        options.put(name, value);
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(SocketOption<T> name) {
        return (T) options.get(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return Set.of(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_SNDBUF,
                StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_REUSEADDR,
                StandardSocketOptions.TCP_NODELAY);
    }

    @Override public AsynchronousSocketChannel shutdownInput() { throw new NotYetConnectedException(); }
    @Override public AsynchronousSocketChannel shutdownOutput() { throw new NotYetConnectedException(); }
    @Override public SocketAddress getRemoteAddress() { return null; }
    @Override public SocketAddress getLocalAddress() { return local; }
    @Override public boolean isOpen() { return open; }
    @Override public void close() { open = false; }

    @Override
    public <A> void read(ByteBuffer dst, long timeout, TimeUnit unit, A attachment,
                         CompletionHandler<Integer, ? super A> handler) {
        throw new NotYetConnectedException();
    }

    @Override public Future<Integer> read(ByteBuffer dst) { throw new NotYetConnectedException(); }

    @Override
    public <A> void read(ByteBuffer[] dsts, int offset, int length, long timeout, TimeUnit unit, A attachment,
                         CompletionHandler<Long, ? super A> handler) {
        throw new NotYetConnectedException();
    }

    @Override
    public <A> void write(ByteBuffer src, long timeout, TimeUnit unit, A attachment,
                          CompletionHandler<Integer, ? super A> handler) {
        throw new NotYetConnectedException();
    }

    @Override public Future<Integer> write(ByteBuffer src) { throw new NotYetConnectedException(); }

    @Override
    public <A> void write(ByteBuffer[] srcs, int offset, int length, long timeout, TimeUnit unit, A attachment,
                          CompletionHandler<Long, ? super A> handler) {
        throw new NotYetConnectedException();
    }
}
