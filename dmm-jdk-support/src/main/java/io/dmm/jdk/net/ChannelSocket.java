package io.dmm.jdk.net;

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
 * {@link SocketChannel#socket()} for every DMM SocketChannel, a stack's or a routed one: a
 * java.net.Socket over the channel with the behaviour of the JDK's {@code sun.nio.ch.SocketAdaptor}.
 * Blocking calls go to the channel's timed calls ({@link TimedSocketChannel}) with this socket's
 * SO_TIMEOUT.
 */
public final class ChannelSocket extends Socket {
    private final SocketChannel sc;
    private final TimedSocketChannel timed;
    private final AdaptorOptions options;

    private ChannelSocket(SocketChannel sc, TimedSocketChannel timed) throws SocketException {
        super(new NoSocketImpl());
        this.sc = sc;
        this.timed = timed;
        this.options = new AdaptorOptions(sc);
    }

    /** The java.net Socket over {@code channel}. */
    public static <C extends SocketChannel & TimedSocketChannel> ChannelSocket of(C channel) {
        try {
            return new ChannelSocket(channel, channel);
        } catch (SocketException e) {
            throw new InternalError(e); // Socket(SocketImpl) throws only for a SocketImpl that fails to create
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
            throw new UnknownHostException(isa.getHostName());
        }
        if (timeout < 0) {
            throw new IllegalArgumentException("connect: timeout can't be negative");
        }
        try {
            if (!sc.isBlocking()) {
                throw new IllegalBlockingModeException();
            }
            timed.connect(remote, AdaptorOptions.toNanos(timeout));
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
        InetSocketAddress remote = timed.remoteAddress();
        return remote == null ? null : remote.getAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        if (sc.isOpen()) {
            InetSocketAddress local = timed.localAddress();
            if (local != null) {
                return local.getAddress();
            }
        }
        return timed.anyLocalAddress();
    }

    @Override
    public int getPort() {
        InetSocketAddress remote = timed.remoteAddress();
        return remote == null ? 0 : remote.getPort();
    }

    @Override
    public int getLocalPort() {
        InetSocketAddress local = timed.localAddress();
        return local == null ? -1 : local.getPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return timed.remoteAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return timed.localAddress();
    }

    @Override
    public SocketChannel getChannel() {
        return sc;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        checkStream();
        if (!timed.isInputOpen()) {
            throw new SocketException("Socket input is shutdown");
        }
        return new In();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        checkStream();
        if (!timed.isOutputOpen()) {
            throw new SocketException("Socket output is shutdown");
        }
        return new Out();
    }

    private void checkStream() throws SocketException {
        if (!sc.isOpen()) {
            throw new SocketException("Socket is closed");
        }
        if (!sc.isConnected()) {
            throw new SocketException("Socket is not connected");
        }
    }

    private final class In extends InputStream {
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
            return timed.read(b, off, len, options.soTimeoutNanos());
        }

        @Override
        public int available() throws IOException {
            return timed.available();
        }

        @Override
        public void close() throws IOException {
            sc.close();
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len > 0) {
                timed.writeFully(b, off, len);
            }
        }

        @Override
        public void close() throws IOException {
            sc.close();
        }
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
        timed.sendUrgentData(data);
    }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        try {
            timed.setOOBInline(on);
        } catch (IOException e) {
            throw SocketExceptions.toSocketException(e);
        }
    }

    @Override
    public boolean getOOBInline() throws SocketException {
        try {
            return timed.getOOBInline();
        } catch (IOException e) {
            throw SocketExceptions.toSocketException(e);
        }
    }

    @Override public void setSoTimeout(int timeout) throws SocketException { options.setSoTimeout(timeout); }
    @Override public int getSoTimeout() throws SocketException { return options.getSoTimeout(); }

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
    @Override public boolean isBound() { return timed.localAddress() != null; }
    @Override public boolean isClosed() { return !sc.isOpen(); }
    @Override public boolean isInputShutdown() { return !timed.isInputOpen(); }
    @Override public boolean isOutputShutdown() { return !timed.isOutputOpen(); }

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
