package io.dmm.core.channel;

import static java.net.StandardSocketOptions.SO_RCVBUF;
import static java.net.StandardSocketOptions.SO_REUSEADDR;

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
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * {@link RoutedServerSocketChannel#socket()}: a java.net.ServerSocket over a routed server channel,
 * behaving as the JDK's adaptor (sun.nio.ch.ServerSocketAdaptor). accept() returns the Socket
 * adaptor of an accepted routed channel.
 */
final class RoutedServerSocketAdaptor extends ServerSocket {
    private final RoutedServerSocketChannel ssc;
    private final AdaptorOptions options;

    RoutedServerSocketAdaptor(RoutedServerSocketChannel ssc) {
        super(new NoSocketImpl());
        this.ssc = ssc;
        this.options = new AdaptorOptions(ssc);
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        bind(local, 50);
    }

    @Override
    public void bind(SocketAddress local, int backlog) throws IOException {
        if (local == null) {
            local = new InetSocketAddress(0);
        }
        try {
            ssc.bind(local, backlog);
        } catch (Exception e) {
            throw SocketExceptions.translate(e);
        }
    }

    @Override
    public InetAddress getInetAddress() {
        InetSocketAddress local = ssc.localAddressOrNull();
        return local == null ? null : local.getAddress();
    }

    @Override
    public int getLocalPort() {
        InetSocketAddress local = ssc.localAddressOrNull();
        return local == null ? -1 : local.getPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return ssc.localAddressOrNull();
    }

    @Override
    public Socket accept() throws IOException {
        SocketChannel sc = null;
        try {
            sc = ssc.accept(options.soTimeout());
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
        return ssc.localAddressOrNull() != null;
    }

    @Override
    public boolean isClosed() {
        return !ssc.isOpen();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        options.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return options.getSoTimeout();
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        options.set(SO_REUSEADDR, on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return options.get(SO_REUSEADDR);
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        options.setBufferSize(SO_RCVBUF, size, "size cannot be 0 or negative");
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return options.get(SO_RCVBUF);
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
        if (!isBound()) {
            return "ServerSocket[unbound]";
        }
        return "ServerSocket[addr=" + getInetAddress() + ",localport=" + getLocalPort() + "]";
    }
}
