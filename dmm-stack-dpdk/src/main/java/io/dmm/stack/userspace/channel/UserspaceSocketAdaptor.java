package io.dmm.stack.userspace.channel;

import io.dmm.jdk.net.NoSocketImpl;
import io.dmm.jdk.net.SocketExceptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@link UserspaceSocketChannel#socket()}: a java.net.Socket over the channel, as the JDK's
 * {@code sun.nio.ch.SocketAdaptor}. SO_TIMEOUT bounds stream reads; connect(addr, timeout) bounds the
 * handshake. Streams work in blocking mode only.
 */
final class UserspaceSocketAdaptor extends Socket {
    private final UserspaceSocketChannel sc;
    private volatile int timeout;

    private UserspaceSocketAdaptor(UserspaceSocketChannel sc) throws SocketException {
        super(new NoSocketImpl());
        this.sc = sc;
    }

    static UserspaceSocketAdaptor create(UserspaceSocketChannel sc) {
        try {
            return new UserspaceSocketAdaptor(sc);
        } catch (SocketException e) {
            throw new InternalError(e);
        }
    }

    @Override
    public void connect(SocketAddress remote) throws IOException {
        connect(remote, 0);
    }

    @Override
    public void connect(SocketAddress remote, int timeout) throws IOException {
        if (remote == null) throw new IllegalArgumentException("connect: The address can't be null");
        if (remote instanceof InetSocketAddress isa && isa.isUnresolved()) {
            if (!sc.isOpen()) throw new SocketException("Socket is closed");
            if (sc.isConnected()) throw new SocketException("Already connected");
            close();
            throw new UnknownHostException(isa.getHostName());
        }
        if (timeout < 0) throw new IllegalArgumentException("connect: timeout can't be negative");
        try {
            sc.connect(remote, timeout > 0 ? TimeUnit.MILLISECONDS.toNanos(timeout) : 0L);
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
        InetSocketAddress remote = sc.remoteAddress();
        return remote == null ? null : remote.getAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        if (sc.isOpen()) {
            InetSocketAddress local = sc.localAddress();
            if (local != null) return local.getAddress();
        }
        return SocketAddresses.anyAddress();
    }

    @Override
    public int getPort() {
        InetSocketAddress remote = sc.remoteAddress();
        return remote == null ? 0 : remote.getPort();
    }

    @Override
    public int getLocalPort() {
        InetSocketAddress local = sc.localAddress();
        return local == null ? -1 : local.getPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return sc.remoteAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return sc.localAddress();
    }

    @Override
    public SocketChannel getChannel() {
        return sc;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        if (!sc.isOpen()) throw new SocketException("Socket is closed");
        if (!sc.isConnected()) throw new SocketException("Socket is not connected");
        if (!sc.isInputOpen()) throw new SocketException("Socket input is shutdown");
        return new In();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        if (!sc.isOpen()) throw new SocketException("Socket is closed");
        if (!sc.isConnected()) throw new SocketException("Socket is not connected");
        if (!sc.isOutputOpen()) throw new SocketException("Socket output is shutdown");
        return new Out();
    }

    private final class In extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] a = new byte[1];
            int n = read(a, 0, 1);
            return n > 0 ? a[0] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int t = timeout;
            return sc.blockingRead(b, off, len, t > 0 ? TimeUnit.MILLISECONDS.toNanos(t) : 0L);
        }

        @Override
        public int available() throws IOException {
            return sc.available();
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
            sc.blockingWriteFully(b, off, len);
        }

        @Override
        public void close() throws IOException {
            sc.close();
        }
    }

    private void setOpt(SocketOption<?> name, Object value) throws SocketException {
        try {
            @SuppressWarnings("unchecked")
            SocketOption<Object> n = (SocketOption<Object>) name;
            sc.setOption(n, value);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) throw iae;
            if (e instanceof UnsupportedOperationException uoe) throw new SocketException(uoe.getMessage());
            throw SocketExceptions.toSocketException(e);
        }
    }

    private <T> T getOpt(SocketOption<T> name) throws SocketException {
        try {
            return sc.getOption(name);
        } catch (IOException | RuntimeException e) {
            if (e instanceof UnsupportedOperationException uoe) throw new SocketException(uoe.getMessage());
            throw SocketExceptions.toSocketException(e);
        }
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        setOpt(StandardSocketOptions.TCP_NODELAY, on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return getOpt(StandardSocketOptions.TCP_NODELAY);
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        setOpt(StandardSocketOptions.SO_LINGER, on ? linger : -1);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return getOpt(StandardSocketOptions.SO_LINGER);
    }

    private volatile boolean oobInline;

    @Override
    public void sendUrgentData(int data) throws IOException {
        throw new SocketException("Urgent data is not supported by the userspace stack");
    }

    /**
     * Stored only: the userspace TCP ignores the urgent pointer and delivers urgent bytes inline with
     * the rest of the stream whatever this says (RFC 6093 asks applications to use it inline; no
     * out-of-band delivery exists here).
     */
    @Override
    public void setOOBInline(boolean on) throws SocketException {
        if (isClosed()) throw new SocketException("Socket is closed");
        oobInline = on;
    }

    @Override
    public boolean getOOBInline() throws SocketException {
        if (isClosed()) throw new SocketException("Socket is closed");
        return oobInline;
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        if (!sc.isOpen()) throw new SocketException("Socket is closed");
        if (timeout < 0) throw new IllegalArgumentException("timeout < 0");
        this.timeout = timeout;
    }

    @Override
    public int getSoTimeout() throws SocketException {
        if (!sc.isOpen()) throw new SocketException("Socket is closed");
        return timeout;
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        if (size <= 0) throw new IllegalArgumentException("Invalid send size");
        setOpt(StandardSocketOptions.SO_SNDBUF, size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return getOpt(StandardSocketOptions.SO_SNDBUF);
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        if (size <= 0) throw new IllegalArgumentException("Invalid receive size");
        setOpt(StandardSocketOptions.SO_RCVBUF, size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return getOpt(StandardSocketOptions.SO_RCVBUF);
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        setOpt(StandardSocketOptions.SO_KEEPALIVE, on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return getOpt(StandardSocketOptions.SO_KEEPALIVE);
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        setOpt(StandardSocketOptions.IP_TOS, tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return getOpt(StandardSocketOptions.IP_TOS);
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        setOpt(StandardSocketOptions.SO_REUSEADDR, on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return getOpt(StandardSocketOptions.SO_REUSEADDR);
    }

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

    @Override
    public boolean isConnected() {
        return sc.isConnected();
    }

    @Override
    public boolean isBound() {
        return sc.localAddress() != null;
    }

    @Override
    public boolean isClosed() {
        return !sc.isOpen();
    }

    @Override
    public boolean isInputShutdown() {
        return !sc.isInputOpen();
    }

    @Override
    public boolean isOutputShutdown() {
        return !sc.isOutputOpen();
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
        Objects.requireNonNull(name);
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
