package io.dmm.core.net;

import io.dmm.api.DmmSockets;
import io.dmm.api.RouteHints;
import io.dmm.core.channel.RoutedServerSocketChannel;
import io.dmm.core.channel.RoutedSocketChannel;
import io.dmm.core.runtime.DmmRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.Objects;
import java.util.Set;

/**
 * The SocketImpl DMM's factory gives every {@code java.net.ServerSocket}: a routed
 * {@link RoutedServerSocketChannel}, routed at bind (a wildcard bind listens on every stack of the
 * route). {@link #accept} fills the {@link DmmSocketImpl} that the client factory created with
 * the accepted routed channel — the JDK refuses to accept a custom server impl into any other
 * kind (ServerSocket.ensureCompatible), which is why both factories are installed together.
 *
 * <p>Accept waits (and honours SO_TIMEOUT) through the routed server channel's ServerSocket
 * adaptor, i.e. in JDK channels and selectors: virtual threads park there.
 */
public final class DmmServerSocketImpl extends SocketImpl {
    /**
     * The thread's route hints when the socket object was made (one ThreadLocal read): a socket
     * constructed inside a RouteScope carries its hints even if it is first used after the scope.
     */
    private final RouteHints hints = DmmSockets.currentHints();
    private final Object lock = new Object();
    private volatile RoutedServerSocketChannel channel;
    private InetSocketAddress bindAddress;   // guarded by lock; set by bind, used by listen
    private volatile boolean closed;
    /** {@link #supportedOptions()}, computed once. */
    private volatile Set<SocketOption<?>> options;
    /** IP_TOS set on this server, for the sockets it accepts (see {@link #setTrafficClass}); null: never set. */
    private volatile Integer trafficClass;

    public DmmServerSocketImpl() {
    }

    @Override
    protected void create(boolean stream) throws IOException {
        if (!stream) {
            throw new IOException("Datagram socket creation not supported");
        }
        synchronized (lock) {
            if (channel != null || closed) {
                throw new IOException("Already created");
            }
            channel = (RoutedServerSocketChannel) DmmRuntime.global()
                    .openServerSocketChannel(null, hints);
        }
    }

    /** The routed server channel, for diagnostics and tests; null before use. */
    public RoutedServerSocketChannel channel() {
        return channel;
    }

    private ServerSocket adaptor() throws SocketException {
        RoutedServerSocketChannel c = channel;
        if (c == null) {
            throw new SocketException("Socket not created");
        }
        if (closed || !c.isOpen()) {
            throw new SocketException("Socket closed");
        }
        return c.socket();
    }

    @Override
    protected void bind(InetAddress host, int port) throws IOException {
        // ServerSocket.bind calls listen right after bind: the routed channel binds and listens in
        // one step (that is where it is routed), so bind only records the address
        adaptor();
        synchronized (lock) {
            if (bindAddress != null) {
                throw new SocketException("Already bound");
            }
            bindAddress = new InetSocketAddress(host, port);
        }
    }

    @Override
    protected void listen(int backlog) throws IOException {
        ServerSocket a = adaptor();
        InetSocketAddress local;
        synchronized (lock) {
            local = bindAddress;
        }
        if (local == null) {
            throw new SocketException("Not bound");
        }
        try {
            a.bind(local, backlog < 1 ? 50 : backlog);
            address = local.getAddress(); // as NioSocketImpl: getInetAddress() is the address as given to bind
        } catch (IOException e) {
            synchronized (lock) {
                bindAddress = null; // as NioSocketImpl: a failed bind leaves the socket unbound
            }
            throw SocketErrors.asSocketException(e);
        }
    }

    @Override
    protected void accept(SocketImpl s) throws IOException {
        if (!(s instanceof DmmSocketImpl target)) {
            throw new IOException("An instance of " + getClass() + " cannot accept a connection with an instance of "
                    + (s == null ? "null" : s.getClass().getName()));
        }
        ServerSocket a = adaptor();
        if (!a.isBound()) {
            throw new SocketException("Not bound");
        }
        Socket accepted;
        boolean suspended = PendingInterrupt.suspend();
        try {
            accepted = a.accept();
        } catch (java.net.SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            throw SocketErrors.forIo(e);
        } finally {
            PendingInterrupt.restore(suspended);
        }
        RoutedSocketChannel ch = (RoutedSocketChannel) accepted.getChannel();
        Integer tc = trafficClass;
        if (tc != null) {
            try {
                ch.setOption(StandardSocketOptions.IP_TOS, tc);
            } catch (IOException e) {
                ch.close();
                throw e;
            }
        }
        target.accepted(ch);
    }

    @Override
    protected void connect(String host, int port) throws IOException {
        throw new SocketException("Not a client socket");
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
        throw new SocketException("Not a client socket");
    }

    @Override
    protected void connect(SocketAddress address, int timeout) throws IOException {
        throw new SocketException("Not a client socket");
    }

    @Override
    protected InputStream getInputStream() throws IOException {
        throw new SocketException("Not connected");
    }

    @Override
    protected OutputStream getOutputStream() throws IOException {
        throw new SocketException("Not connected");
    }

    @Override
    protected int available() throws IOException {
        throw new SocketException("Not connected");
    }

    @Override
    protected void sendUrgentData(int data) throws IOException {
        throw new SocketException("Not connected");
    }

    @Override
    protected void close() throws IOException {
        RoutedServerSocketChannel c;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            c = channel;
        }
        if (c != null) {
            c.close();
        }
    }

    @Override
    protected InetAddress getInetAddress() {
        return address;
    }

    @Override
    protected int getLocalPort() {
        RoutedServerSocketChannel c = channel;
        return c == null ? localport : Math.max(0, c.socket().getLocalPort());
    }

    @Override
    protected Set<SocketOption<?>> supportedOptions() {
        Set<SocketOption<?>> o = options;
        if (o == null) {
            RoutedServerSocketChannel c = channel;
            if (c == null) {
                return Set.of();
            }
            o = options = LegacyOptions.serverSocketOptions(c.supportedOptions());
        }
        return o;
    }

    @Override
    protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
        Objects.requireNonNull(name);
        if (!supportedOptions().contains(name)) {
            throw new UnsupportedOperationException("'" + name + "' not supported");
        }
        if (name == StandardSocketOptions.IP_TOS) {
            if (!(value instanceof Integer i)) {
                throw new IllegalArgumentException("Invalid value '" + value + "'");
            }
            setTrafficClass(i);
            return;
        }
        try {
            adaptor().getChannel().setOption(name, value);
        } catch (IOException e) {
            throw SocketErrors.asSocketException(e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    protected <T> T getOption(SocketOption<T> name) throws IOException {
        Objects.requireNonNull(name);
        if (!supportedOptions().contains(name)) {
            throw new UnsupportedOperationException("'" + name + "' not supported");
        }
        if (name == StandardSocketOptions.IP_TOS) {
            adaptor();
            return (T) trafficClass();
        }
        try {
            return adaptor().getChannel().getOption(name);
        } catch (IOException e) {
            throw SocketErrors.asSocketException(e);
        }
    }

    /**
     * IP_TOS on a server socket: the JDK sets it on the listening socket, whose accepted sockets
     * inherit it (Linux); a ServerSocketChannel has no such option, so DMM keeps the value and sets
     * it on every socket this server accepts.
     */
    private void setTrafficClass(int tc) throws SocketException {
        adaptor();
        if (tc < 0 || tc > 255) {
            throw new IllegalArgumentException("Invalid IP_TOS value");
        }
        trafficClass = tc;
    }

    private Integer trafficClass() {
        Integer tc = trafficClass;
        return tc == null ? 0 : tc;
    }

    @Override
    public void setOption(int opt, Object value) throws SocketException {
        ServerSocket a = adaptor();
        switch (opt) {
            case SO_TIMEOUT -> a.setSoTimeout(LegacyOptions.intValue(value, "SO_TIMEOUT"));
            case SO_RCVBUF -> a.setReceiveBufferSize(LegacyOptions.positive(value, "SO_RCVBUF"));
            case SO_REUSEADDR -> a.setReuseAddress(LegacyOptions.booleanValue(value, "SO_REUSEADDR"));
            case SO_REUSEPORT -> LegacyOptions.setReusePort(channel, value);
            case IP_TOS -> setTrafficClass(LegacyOptions.intValue(value, "IP_TOS"));
            default -> throw new SocketException("Unknown option " + opt);
        }
    }

    @Override
    public Object getOption(int opt) throws SocketException {
        ServerSocket a = adaptor();
        return switch (opt) {
            case SO_TIMEOUT -> soTimeout(a);
            case SO_RCVBUF -> a.getReceiveBufferSize();
            case SO_REUSEADDR -> a.getReuseAddress();
            case SO_REUSEPORT -> LegacyOptions.getReusePort(channel);
            case SO_BINDADDR -> {
                InetAddress bound = a.getInetAddress();
                yield bound != null ? bound : new InetSocketAddress(0).getAddress();
            }
            case IP_TOS -> trafficClass();
            default -> throw new SocketException("Unknown option " + opt);
        };
    }

    /** ServerSocket.getSoTimeout declares IOException; the adaptor only ever throws SocketException. */
    private static int soTimeout(ServerSocket a) throws SocketException {
        try {
            return a.getSoTimeout();
        } catch (IOException e) {
            throw SocketErrors.asSocketException(e);
        }
    }

    @Override
    public String toString() {
        RoutedServerSocketChannel c = channel;
        return "DmmServerSocketImpl[" + (c == null ? "new" : c.toString()) + "]";
    }
}
