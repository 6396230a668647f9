package io.dmm.core.testsupport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A test stack's client channel whose connects are refused like a closed port: a blocking connect
 * throws ConnectException; a non-blocking one is pending and finishConnect throws it. As the JDK's,
 * the channel closes itself when a connect fails.
 */
final class RefusingSocketChannel extends SocketChannel {
    private final Map<SocketOption<?>, Object> options = new HashMap<>();
    private boolean pending;

    RefusingSocketChannel() {
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
    /** Only what the routed channel's timed connect uses: connect(remote, timeout), refused. */
    @Override
    public Socket socket() {
        return new Socket() {
            @Override
            public void connect(SocketAddress endpoint, int timeout) throws IOException {
                RefusingSocketChannel.this.close();
                throw new ConnectException("Connection refused (test stack)");
            }
        };
    }
    @Override public boolean isConnected() { return false; }
    @Override public synchronized boolean isConnectionPending() { return pending && isOpen(); }

    @Override
    public synchronized boolean connect(SocketAddress remote) throws IOException {
        ensureOpen();
        if (!isBlocking()) {
            pending = true;
            return false;
        }
        close();
        throw new ConnectException("Connection refused (test stack)");
    }

    @Override
    public synchronized boolean finishConnect() throws IOException {
        ensureOpen();
        if (!pending) throw new NoConnectionPendingException();
        close();
        throw new ConnectException("Connection refused (test stack)");
    }

    @Override public SocketAddress getRemoteAddress() throws IOException { ensureOpen(); return null; }
    @Override public SocketAddress getLocalAddress() throws IOException { ensureOpen(); return null; }
    @Override public int read(ByteBuffer dst) { throw new NotYetConnectedException(); }
    @Override public long read(ByteBuffer[] dsts, int offset, int length) { throw new NotYetConnectedException(); }
    @Override public int write(ByteBuffer src) { throw new NotYetConnectedException(); }
    @Override public long write(ByteBuffer[] srcs, int offset, int length) { throw new NotYetConnectedException(); }
    @Override protected void implCloseSelectableChannel() { }
    @Override protected void implConfigureBlocking(boolean block) { }
}
