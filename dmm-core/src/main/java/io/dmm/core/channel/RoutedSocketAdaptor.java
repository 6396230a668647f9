package io.dmm.core.channel;

import static java.net.StandardSocketOptions.IP_TOS;
import static java.net.StandardSocketOptions.SO_KEEPALIVE;
import static java.net.StandardSocketOptions.SO_LINGER;
import static java.net.StandardSocketOptions.SO_RCVBUF;
import static java.net.StandardSocketOptions.SO_REUSEADDR;
import static java.net.StandardSocketOptions.SO_SNDBUF;
import static java.net.StandardSocketOptions.TCP_NODELAY;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.UnknownHostException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.Set;

/**
 * {@link RoutedSocketChannel#socket()}: a java.net.Socket over a routed channel, with the JDK
 * adaptor's behaviour (sun.nio.ch.SocketAdaptor). Stream reads honour SO_TIMEOUT by reading through
 * the routed delegate's own adaptor, which implements timeouts for its stack.
 */
final class RoutedSocketAdaptor extends Socket {
    private final RoutedSocketChannel sc;
    private final AdaptorOptions options;

    private RoutedSocketAdaptor(RoutedSocketChannel sc) throws SocketException {
        super(new NoSocketImpl());
        this.sc = sc;
        this.options = new AdaptorOptions(sc);
    }

    static RoutedSocketAdaptor create(RoutedSocketChannel sc) {
        try {
            return new RoutedSocketAdaptor(sc);
        } catch (SocketException e) {
            throw new IllegalStateException("cannot create a Socket adaptor", e); // Socket(SocketImpl) does not fail
        }
    }

    @Override
    public void connect(SocketAddress remote) throws IOException {
        connect(remote, 0);
    }

    @Override
    public void connect(SocketAddress remote, int timeout) throws IOException {
        if (remote == null) {
            throw new IllegalArgumentException("connect: The address can't be null");
        }
        if (remote instanceof InetSocketAddress isa && isa.isUnresolved()) {
            if (!sc.isOpen()) {
                throw new SocketException("Socket is closed");
            }
            if (sc.isConnected()) {
                throw new SocketException("Already connected");
            }
            close();
            throw new UnknownHostException(remote.toString());
        }
        if (timeout < 0) {
            throw new IllegalArgumentException("connect: timeout can't be negative");
        }
        try {
            if (!sc.isBlockingMode()) {
                throw new IllegalBlockingModeException();
            }
            sc.connect(remote, timeout);
        } catch (Exception e) {
            throw SocketExceptions.translate(e);
        }
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        try {
            sc.bind(local);
        } catch (Exception e) {
            throw SocketExceptions.translate(e);
        }
    }

    @Override
    public InetAddress getInetAddress() {
        InetSocketAddress r = sc.remoteAddressOrNull();
        return r == null ? null : r.getAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        if (sc.isOpen()) {
            InetSocketAddress l = sc.localAddressOrNull();
            if (l != null) {
                return l.getAddress();
            }
        }
        return new InetSocketAddress(0).getAddress();
    }

    @Override
    public int getPort() {
        InetSocketAddress r = sc.remoteAddressOrNull();
        return r == null ? 0 : r.getPort();
    }

    @Override
    public int getLocalPort() {
        InetSocketAddress l = sc.localAddressOrNull();
        return l == null ? -1 : l.getPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return sc.remoteAddressOrNull();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return sc.localAddressOrNull();
    }

    @Override
    public SocketChannel getChannel() {
        return sc;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        if (!sc.isOpen()) {
            throw new SocketException("Socket is closed");
        }
        if (!sc.isConnected()) {
            throw new SocketException("Socket is not connected");
        }
        if (!sc.isInputOpen()) {
            throw new SocketException("Socket input is shutdown");
        }
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n > 0 ? one[0] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (len == 0) {
                    return 0;
                }
                return sc.adaptorRead(b, off, len, options.soTimeout());
            }

            @Override
            public int available() throws IOException {
                return sc.adaptorAvailable();
            }

            @Override
            public void close() throws IOException {
                sc.close();
            }
        };
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        if (!sc.isOpen()) {
            throw new SocketException("Socket is closed");
        }
        if (!sc.isConnected()) {
            throw new SocketException("Socket is not connected");
        }
        if (!sc.isOutputOpen()) {
            throw new SocketException("Socket output is shutdown");
        }
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (len > 0) {
                    sc.adaptorWrite(b, off, len);
                }
            }

            @Override
            public void close() throws IOException {
                sc.close();
            }
        };
    }

    @Override public void setTcpNoDelay(boolean on) throws SocketException { options.set(TCP_NODELAY, on); }
    @Override public boolean getTcpNoDelay() throws SocketException { return options.get(TCP_NODELAY); }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        options.set(SO_LINGER, on ? linger : -1);
    }

    @Override public int getSoLinger() throws SocketException { return options.get(SO_LINGER); }

    @Override
    public void sendUrgentData(int data) throws IOException {
        sc.routedSocket("sendUrgentData").sendUrgentData(data);
    }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        sc.setOobInline(on);
    }

    @Override
    public boolean getOOBInline() throws SocketException {
        return sc.oobInline();
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
    public void setSendBufferSize(int size) throws SocketException {
        options.setBufferSize(SO_SNDBUF, size, "Invalid send size");
    }

    @Override public int getSendBufferSize() throws SocketException { return options.get(SO_SNDBUF); }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        options.setBufferSize(SO_RCVBUF, size, "Invalid receive size");
    }

    @Override public int getReceiveBufferSize() throws SocketException { return options.get(SO_RCVBUF); }
    @Override public void setKeepAlive(boolean on) throws SocketException { options.set(SO_KEEPALIVE, on); }
    @Override public boolean getKeepAlive() throws SocketException { return options.get(SO_KEEPALIVE); }
    @Override public void setTrafficClass(int tc) throws SocketException { options.set(IP_TOS, tc); }
    @Override public int getTrafficClass() throws SocketException { return options.get(IP_TOS); }
    @Override public void setReuseAddress(boolean on) throws SocketException { options.set(SO_REUSEADDR, on); }
    @Override public boolean getReuseAddress() throws SocketException { return options.get(SO_REUSEADDR); }

    @Override
    public void close() throws IOException {
        sc.close();
    }

    @Override
    public void shutdownInput() throws IOException {
        try {
            sc.shutdownInput();
        } catch (Exception e) {
            throw SocketExceptions.translate(e);
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        try {
            sc.shutdownOutput();
        } catch (Exception e) {
            throw SocketExceptions.translate(e);
        }
    }

    @Override
    public String toString() {
        if (sc.isConnected()) {
            return "Socket[addr=" + getInetAddress() + ",port=" + getPort() + ",localport=" + getLocalPort() + "]";
        }
        return "Socket[unconnected]";
    }

    @Override public boolean isConnected() { return sc.isConnected(); }
    @Override public boolean isBound() { return sc.localAddressOrNull() != null; }
    @Override public boolean isClosed() { return !sc.isOpen(); }
    @Override public boolean isInputShutdown() { return !sc.isInputOpen(); }
    @Override public boolean isOutputShutdown() { return !sc.isOutputOpen(); }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
        sc.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return sc.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return sc.supportedOptions();
    }
}
