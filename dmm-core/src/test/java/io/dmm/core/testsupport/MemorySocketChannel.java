package io.dmm.core.testsupport;

import io.dmm.api.spi.BusyPoller;
import io.dmm.api.spi.ReadinessListener;
import io.dmm.api.spi.ReadinessSource;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;

/**
 * The memory stack's TCP channel: one end of an in-JVM connection; what one end writes lands in the
 * other's inbound queue (unbounded, so always writable). A non-blocking connect is pending until
 * {@code finishConnect} (ready at once: OP_CONNECT); to a port nobody listens on, finishConnect then
 * fails as a kernel's asynchronous refusal does. Every change fires the readiness listener, outside
 * this channel's monitor as the SPI asks.
 */
final class MemorySocketChannel extends SocketChannel implements ReadinessSource {
    private enum State { UNCONNECTED, PENDING, REFUSED, CONNECTED }

    private final MemoryStackProvider.Instance net;
    private volatile ReadinessListener listener;
    // guarded by this
    private State state = State.UNCONNECTED;
    private InetSocketAddress local;
    private InetSocketAddress remote;
    private MemorySocketChannel peer;
    private byte[] inbound = new byte[256];
    private int inboundLength;
    private boolean inputEnded;  // the peer shut its output or closed
    private boolean outputShut;

    MemorySocketChannel(MemoryStackProvider.Instance net) {
        super(SelectorProvider.provider());
        this.net = net;
    }

    /** The accepted end of a connection. */
    private MemorySocketChannel(MemoryStackProvider.Instance net, InetSocketAddress local, InetSocketAddress remote) {
        this(net);
        this.state = State.CONNECTED;
        this.local = local;
        this.remote = remote;
    }

    private void fire() {
        ReadinessListener l = listener;
        if (l != null) l.readinessChanged(this);
    }

    @Override
    public void setReadinessListener(ReadinessListener l) {
        listener = l;
    }

    @Override
    public BusyPoller busyPoller() {
        return net.busyPoller;
    }

    @Override
    public synchronized int readyOps() {
        if (!isOpen()) return 0;
        return switch (state) {
            case UNCONNECTED -> 0;
            case PENDING, REFUSED -> SelectionKey.OP_CONNECT;
            case CONNECTED -> (inboundLength > 0 || inputEnded ? SelectionKey.OP_READ : 0)
                    | (outputShut ? 0 : SelectionKey.OP_WRITE);
        };
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) throw new ClosedChannelException();
    }

    @Override
    public synchronized SocketChannel bind(SocketAddress addr) throws IOException {
        ensureOpen();
        InetSocketAddress isa = (InetSocketAddress) addr;
        local = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                isa == null || isa.getPort() == 0 ? net.ephemeralPort() : isa.getPort());
        return this;
    }

    @Override
    public boolean connect(SocketAddress addr) throws IOException {
        InetSocketAddress isa = (InetSocketAddress) addr;
        synchronized (this) {
            ensureOpen();
            if (state == State.CONNECTED) throw new AlreadyConnectedException();
            if (state != State.UNCONNECTED) throw new ConnectionPendingException();
            if (local == null) {
                local = new InetSocketAddress(InetAddress.getLoopbackAddress(), net.ephemeralPort());
            }
            remote = isa;
            MemoryServerSocketChannel server = net.listener(isa.getPort());
            if (server == null) {
                if (isBlocking()) throw new ConnectException("Connection refused (memory stack: nobody on " + isa + ")");
                state = State.REFUSED;
            } else {
                MemorySocketChannel other = new MemorySocketChannel(net, new InetSocketAddress(
                        InetAddress.getLoopbackAddress(), isa.getPort()), local);
                peer = other;
                other.peer = this;
                state = isBlocking() ? State.CONNECTED : State.PENDING;
                server.offer(other);
            }
        }
        fire();
        return isConnected();
    }

    @Override
    public boolean finishConnect() throws IOException {
        synchronized (this) {
            ensureOpen();
            switch (state) {
                case CONNECTED: return true;
                case UNCONNECTED: throw new NoConnectionPendingException();
                case REFUSED:
                    break;
                default:
                    state = State.CONNECTED;
                    return true;
            }
        }
        close(); // as the JDK: a failed finishConnect closes the channel
        throw new ConnectException("Connection refused (memory stack)");
    }

    @Override public synchronized boolean isConnected() { return state == State.CONNECTED; }
    @Override public synchronized boolean isConnectionPending() { return state == State.PENDING || state == State.REFUSED; }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        synchronized (this) {
            while (true) {
                ensureOpen();
                if (state != State.CONNECTED) throw new NotYetConnectedException();
                if (inboundLength > 0) {
                    int n = Math.min(dst.remaining(), inboundLength);
                    dst.put(inbound, 0, n);
                    System.arraycopy(inbound, n, inbound, 0, inboundLength - n);
                    inboundLength -= n;
                    return n;
                }
                if (inputEnded) return -1;
                if (!isBlocking()) return 0;
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        close();
        throw new ClosedByInterruptException();
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            if (!dsts[i].hasRemaining()) continue;
            int n = read(dsts[i]);
            if (n < 0) return total == 0 ? -1 : total;
            total += n;
            if (dsts[i].hasRemaining()) break;
        }
        return total;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        MemorySocketChannel p;
        int n = src.remaining();
        synchronized (this) {
            ensureOpen();
            if (state != State.CONNECTED) throw new NotYetConnectedException();
            if (outputShut) throw new ClosedChannelException();
            p = peer;
        }
        byte[] bytes = new byte[n];
        src.get(bytes);
        p.deliver(bytes);
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += write(srcs[i]);
        }
        return total;
    }

    /** Bytes from the peer (dropped once this end is closed, as a reset would). */
    private void deliver(byte[] bytes) {
        synchronized (this) {
            if (!isOpen() || inputEnded) return;
            if (inboundLength + bytes.length > inbound.length) {
                inbound = java.util.Arrays.copyOf(inbound, Math.max(inbound.length * 2, inboundLength + bytes.length));
            }
            System.arraycopy(bytes, 0, inbound, inboundLength, bytes.length);
            inboundLength += bytes.length;
            notifyAll();
        }
        fire();
    }

    /** The peer will send no more: reads return -1 once the queue is drained. */
    private void endInput() {
        synchronized (this) {
            inputEnded = true;
            notifyAll();
        }
        fire();
    }

    @Override
    public SocketChannel shutdownInput() throws IOException {
        synchronized (this) {
            ensureOpen();
            if (state != State.CONNECTED) throw new NotYetConnectedException();
            inboundLength = 0;
            inputEnded = true;
        }
        fire();
        return this;
    }

    @Override
    public SocketChannel shutdownOutput() throws IOException {
        MemorySocketChannel p;
        synchronized (this) {
            ensureOpen();
            if (state != State.CONNECTED) throw new NotYetConnectedException();
            outputShut = true;
            p = peer;
        }
        p.endInput();
        fire();
        return this;
    }

    @Override
    protected void implCloseSelectableChannel() {
        MemorySocketChannel p;
        synchronized (this) {
            p = peer;
            notifyAll();
        }
        if (p != null) p.endInput();
    }

    @Override protected void implConfigureBlocking(boolean block) { }
    @Override public synchronized SocketAddress getLocalAddress() throws IOException { ensureOpen(); return local; }
    @Override public synchronized SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        return state == State.CONNECTED ? remote : null;
    }
    @Override public <T> SocketChannel setOption(SocketOption<T> name, T value) {
        throw new UnsupportedOperationException(name.name());
    }
    @Override public <T> T getOption(SocketOption<T> name) { throw new UnsupportedOperationException(name.name()); }
    @Override public Set<SocketOption<?>> supportedOptions() { return Set.of(); }
    @Override public Socket socket() { throw new UnsupportedOperationException("memory stack"); }
}
