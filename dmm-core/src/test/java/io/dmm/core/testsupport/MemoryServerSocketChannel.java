package io.dmm.core.testsupport;

import io.dmm.api.spi.BusyPoller;
import io.dmm.api.spi.ReadinessListener;
import io.dmm.api.spi.ReadinessSource;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayDeque;
import java.util.Set;

/** The memory stack's listener: connects queue an accepted channel here and fire the listener. */
final class MemoryServerSocketChannel extends ServerSocketChannel implements ReadinessSource {
    private final MemoryStackProvider.Instance net;
    private final ArrayDeque<MemorySocketChannel> backlog = new ArrayDeque<>(); // guarded by this
    private volatile InetSocketAddress local;
    private volatile ReadinessListener listener;

    MemoryServerSocketChannel(MemoryStackProvider.Instance net) {
        super(SelectorProvider.provider());
        this.net = net;
    }

    @Override
    public ServerSocketChannel bind(SocketAddress addr, int backlogSize) throws IOException {
        if (!isOpen()) throw new ClosedChannelException();
        if (local != null) throw new AlreadyBoundException();
        InetSocketAddress isa = addr == null ? new InetSocketAddress(0) : (InetSocketAddress) addr;
        int port = isa.getPort() == 0 ? net.ephemeralPort() : isa.getPort();
        if (!net.listen(port, this)) throw new BindException("memory stack: port " + port + " in use");
        local = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        return this;
    }

    /** A client connects: queue its peer (already connected) and tell the selector. */
    void offer(MemorySocketChannel accepted) {
        synchronized (this) {
            backlog.add(accepted);
            notifyAll();
        }
        fire();
    }

    private void fire() {
        ReadinessListener l = listener;
        if (l != null) l.readinessChanged(this);
    }

    @Override
    public SocketChannel accept() throws IOException {
        if (!isOpen()) throw new ClosedChannelException();
        if (local == null) throw new NotYetBoundException();
        synchronized (this) {
            while (backlog.isEmpty()) {
                if (!isBlocking()) return null;
                if (!isOpen()) throw new ClosedChannelException();
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    close();
                    throw new java.nio.channels.ClosedByInterruptException();
                }
            }
            return backlog.poll();
        }
    }

    @Override
    public synchronized int readyOps() {
        return isOpen() && !backlog.isEmpty() ? SelectionKey.OP_ACCEPT : 0;
    }

    @Override
    public void setReadinessListener(ReadinessListener l) {
        listener = l;
    }

    @Override
    public BusyPoller busyPoller() {
        return net.busyPoller;
    }

    @Override public SocketAddress getLocalAddress() throws IOException {
        if (!isOpen()) throw new ClosedChannelException();
        return local;
    }
    @Override public <T> ServerSocketChannel setOption(SocketOption<T> name, T value) {
        throw new UnsupportedOperationException(name.name());
    }
    @Override public <T> T getOption(SocketOption<T> name) { throw new UnsupportedOperationException(name.name()); }
    @Override public Set<SocketOption<?>> supportedOptions() { return Set.of(); }
    @Override public ServerSocket socket() { throw new UnsupportedOperationException("memory stack"); }

    @Override
    protected void implCloseSelectableChannel() {
        InetSocketAddress l = local;
        if (l != null) net.unlisten(l.getPort(), this);
        synchronized (this) {
            notifyAll();
        }
    }

    @Override protected void implConfigureBlocking(boolean block) { }
}
