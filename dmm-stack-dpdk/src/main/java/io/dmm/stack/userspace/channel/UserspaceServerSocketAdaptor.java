package io.dmm.stack.userspace.channel;

import io.dmm.jdk.net.NoSocketImpl;
import io.dmm.jdk.net.SocketExceptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@link UserspaceServerSocketChannel#socket()}: a java.net.ServerSocket over the channel, as the
 * JDK's {@code sun.nio.ch.ServerSocketAdaptor}; accept() honours SO_TIMEOUT.
 */
final class UserspaceServerSocketAdaptor extends ServerSocket {
    private final UserspaceServerSocketChannel ssc;
    private volatile int timeout;

    UserspaceServerSocketAdaptor(UserspaceServerSocketChannel ssc) {
        super(new NoSocketImpl());
        this.ssc = ssc;
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        bind(local, 50);
    }

    @Override
    public void bind(SocketAddress local, int backlog) throws IOException {
        if (local == null) local = new InetSocketAddress(SocketAddresses.anyAddress(), 0);
        try {
            ssc.bind(local, backlog);
        } catch (Exception e) {
            throw SocketExceptions.translate(e);
        }
    }

    @Override
    public InetAddress getInetAddress() {
        InetSocketAddress local = ssc.localAddress();
        return local == null ? null : local.getAddress();
    }

    @Override
    public int getLocalPort() {
        InetSocketAddress local = ssc.localAddress();
        return local == null ? -1 : local.getPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return ssc.localAddress();
    }

    @Override
    public Socket accept() throws IOException {
        SocketChannel sc;
        try {
            int t = timeout;
            if (t > 0) {
                sc = ssc.accept(TimeUnit.MILLISECONDS.toNanos(t));
            } else {
                // a non-blocking channel still accepts a queued connection, as the JDK's long-standing behaviour
                sc = ssc.accept();
                if (sc == null) throw new IllegalBlockingModeException();
            }
        } catch (Exception e) {
            throw SocketExceptions.translate(e);
        }
        return sc.socket();
    }

    @Override
    public void close() throws IOException {
        ssc.close();
    }

    @Override
    public ServerSocketChannel getChannel() {
        return ssc;
    }

    @Override
    public boolean isBound() {
        return ssc.isBound();
    }

    @Override
    public boolean isClosed() {
        return !ssc.isOpen();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        if (!ssc.isOpen()) throw new SocketException("Socket is closed");
        if (timeout < 0) throw new IllegalArgumentException("timeout < 0");
        this.timeout = timeout;
    }

    @Override
    public int getSoTimeout() throws SocketException {
        if (!ssc.isOpen()) throw new SocketException("Socket is closed");
        return timeout;
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        try {
            ssc.setOption(StandardSocketOptions.SO_REUSEADDR, on);
        } catch (IOException e) {
            throw SocketExceptions.toSocketException(e);
        }
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        try {
            return ssc.getOption(StandardSocketOptions.SO_REUSEADDR);
        } catch (IOException e) {
            throw SocketExceptions.toSocketException(e);
        }
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        if (size <= 0) throw new IllegalArgumentException("size cannot be 0 or negative");
        try {
            ssc.setOption(StandardSocketOptions.SO_RCVBUF, size);
        } catch (IOException e) {
            throw SocketExceptions.toSocketException(e);
        }
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        try {
            return ssc.getOption(StandardSocketOptions.SO_RCVBUF);
        } catch (IOException e) {
            throw SocketExceptions.toSocketException(e);
        }
    }

    @Override
    public <T> ServerSocket setOption(SocketOption<T> name, T value) throws IOException {
        ssc.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return ssc.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return ssc.supportedOptions();
    }

    @Override
    public String toString() {
        if (!isBound()) return "ServerSocket[unbound]";
        return "ServerSocket[addr=" + getInetAddress() + ",localport=" + getLocalPort() + "]";
    }
}
