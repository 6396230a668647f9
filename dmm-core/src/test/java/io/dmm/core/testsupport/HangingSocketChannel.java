package io.dmm.core.testsupport;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A test stack's client channel whose blocking connect hangs (like a SYN to a black hole) until
 * the channel is closed or the thread interrupted, with the JDK's begin()/end() semantics.
 */
final class HangingSocketChannel extends SocketChannel {
    private final Map<SocketOption<?>, Object> options = new HashMap<>();

    HangingSocketChannel() {
        super(SelectorProvider.provider());
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) throw new ClosedChannelException();
    }

    @Override public SocketChannel bind(SocketAddress local) throws IOException { ensureOpen(); return this; }

    @Override
    public <T> SocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        ensureOpen();
        options.put(name, value);
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(SocketOption<T> name) throws IOException {
        ensureOpen();
        return (T) options.get(name);
    }

    @Override public Set<SocketOption<?>> supportedOptions() { return Set.of(); }
    @Override public SocketChannel shutdownInput() throws IOException { throw new NotYetConnectedException(); }
    @Override public SocketChannel shutdownOutput() throws IOException { throw new NotYetConnectedException(); }
    @Override public Socket socket() { throw new UnsupportedOperationException("test channel"); }
    @Override public boolean isConnected() { return false; }
    @Override public boolean isConnectionPending() { return false; }

    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

    @Override
    public boolean connect(SocketAddress remote) throws IOException {
        ensureOpen();
        boolean completed = false;
        begin();
        try {
            closed.await();
        } catch (InterruptedException e) {
            // Thread.interrupt() unparks this thread before it runs the channel's interruptor, so
            // end() below may not have seen the interrupt yet: do what JDK channels do when they
            // wake up interrupted — keep the flag, close, and report it as ClosedByInterrupt.
            Thread.currentThread().interrupt();
            try {
                end(completed);
            } finally {
                close();
            }
            throw new ClosedByInterruptException();
        }
        end(completed);
        throw new ClosedChannelException();
    }

    @Override
    public boolean finishConnect() throws IOException {
        ensureOpen();
        throw new NoConnectionPendingException();
    }

    @Override public SocketAddress getRemoteAddress() throws IOException { ensureOpen(); return null; }
    @Override public SocketAddress getLocalAddress() throws IOException { ensureOpen(); return null; }
    @Override public int read(ByteBuffer dst) { throw new NotYetConnectedException(); }
    @Override public long read(ByteBuffer[] dsts, int offset, int length) { throw new NotYetConnectedException(); }
    @Override public int write(ByteBuffer src) { throw new NotYetConnectedException(); }
    @Override public long write(ByteBuffer[] srcs, int offset, int length) { throw new NotYetConnectedException(); }
    @Override protected void implCloseSelectableChannel() { closed.countDown(); }
    @Override protected void implConfigureBlocking(boolean block) { }
}
