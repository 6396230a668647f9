package io.dmm.core.net;

import io.dmm.api.DmmSockets;
import io.dmm.api.RouteHints;
import io.dmm.core.channel.ChannelFamilies;
import io.dmm.core.channel.RoutedSocketChannel;
import io.dmm.core.runtime.DmmRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The SocketImpl DMM's factory gives every {@code java.net.Socket}: a routed blocking
 * {@link RoutedSocketChannel} of the JVM-wide runtime, routed at connect (or, for a socket a
 * {@link DmmServerSocketImpl} accepted into, already routed to the accepting stack).
 *
 * <p>The work is done by the routed channel's own Socket adaptor ({@code channel.socket()}), which
 * already behaves as the JDK's: SO_TIMEOUT reads and timed connects go through the delegate JDK
 * channel's adaptor, so blocking happens in JDK channels (virtual threads park, never pin). This
 * class only maps the SocketImpl protocol (legacy int options, state checks, exception types) onto
 * it, as sun.nio.ch.NioSocketImpl does.
 *
 * <p>Constructing one only reads the thread's {@link DmmSockets#currentHints() route hints} and
 * the proxy settings: the JDK creates a SocketImpl for every Socket, including SSLSockets and TLS
 * sockets layered over another socket, which never use it. The channel is opened at
 * {@link #create} (the Socket's first real use).
 *
 * <p>A socket made by {@code new Socket()} asks the ProxySelector at connect, as the JDK's
 * SocksSocketImpl does; when it names a SOCKS proxy, the connection is the JDK's own
 * {@code new Socket(proxy)} and every call goes there ({@link SelectedSocksProxy}).
 */
public final class DmmSocketImpl extends SocketImpl {
    /**
     * The thread's route hints when the socket object was made (one ThreadLocal read): a socket
     * constructed inside a RouteScope carries its hints even if it is first used after the scope.
     */
    private final RouteHints hints = DmmSockets.currentHints();
    /** Made by {@code new Socket()}: connect asks the ProxySelector first ({@link SelectedSocksProxy}). */
    private final boolean asksProxySelector = SelectedSocksProxy.socketAsksSelector();
    private final Object lock = new Object();
    private volatile RoutedSocketChannel channel;
    private volatile boolean closed;
    /** {@link #supportedOptions()}, computed once. */
    private volatile Set<SocketOption<?>> options;
    /** SO_OOBINLINE set before routing: the delegate socket that takes it does not exist yet. */
    private boolean oobInline;
    /**
     * The JDK socket this one connected through when the ProxySelector chose a SOCKS proxy
     * ({@link SelectedSocksProxy}); then every call goes to it and the channel is closed, unused.
     */
    private volatile Socket proxied;
    /** Options the program set before connect, in order, for a SOCKS connection to replay. Under lock. */
    private final Map<Object, Object> setBeforeConnect = new LinkedHashMap<>();

    public DmmSocketImpl() {
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
            channel = (RoutedSocketChannel) DmmRuntime.global().openSocketChannel(null, hints);
        }
    }

    /** Called by {@link DmmServerSocketImpl#accept}: this impl becomes the accepted connection. */
    void accepted(RoutedSocketChannel accepted) throws IOException {
        synchronized (lock) {
            RoutedSocketChannel previous = channel;
            if (closed) {
                accepted.close();
                throw new SocketException("Socket closed");
            }
            int timeout = 0;
            if (previous != null) {
                // a Socket subclass that was configured before accept: keep its read timeout
                if (previous.isOpen()) {
                    timeout = previous.socket().getSoTimeout();
                }
                previous.close();
            }
            channel = accepted;
            accepted.socket().setSoTimeout(timeout);
            applyOobInline(accepted);
        }
    }

    /** The routed channel, for diagnostics and tests ({@code DmmSockets.routeOf(...)}); null before use. */
    public RoutedSocketChannel channel() {
        return channel;
    }

    private RoutedSocketChannel open() throws SocketException {
        RoutedSocketChannel c = channel;
        if (c == null) {
            throw new SocketException("Socket not created");
        }
        if (closed || !c.isOpen()) {
            throw new SocketException("Socket closed");
        }
        return c;
    }

    /** The socket every call goes to: the proxied JDK socket, else the routed channel's adaptor. */
    private Socket adaptor() throws SocketException {
        Socket p = proxied;
        if (p != null) {
            if (closed) {
                throw new SocketException("Socket closed");
            }
            return p;
        }
        return open().socket();
    }

    /** {@link #adaptor()} without the checks (addresses); null before create. */
    private Socket view() {
        Socket p = proxied;
        if (p != null) {
            return p;
        }
        RoutedSocketChannel c = channel;
        return c == null ? null : c.socket();
    }

    /** The connected socket calls go to, else NioSocketImpl's SocketException. */
    Socket connectedSocket() throws SocketException {
        Socket p = proxied;
        if (p != null) {
            if (closed || p.isClosed()) {
                throw new SocketException("Socket closed");
            }
            return p;
        }
        return connected().socket();
    }

    /** The channel when connected and open, else NioSocketImpl's SocketException. */
    private RoutedSocketChannel connected() throws SocketException {
        RoutedSocketChannel c = channel;
        if (c == null || !c.isConnected()) {
            if (c != null && (closed || !c.isOpen())) {
                throw new SocketException("Socket closed");
            }
            throw new SocketException("Not connected");
        }
        if (closed || !c.isOpen()) {
            throw new SocketException("Socket closed");
        }
        return c;
    }

    // ---------------------------------------------------------------- connect, bind

    @Override
    protected void connect(String host, int port) throws IOException {
        connect(new InetSocketAddress(host, port), 0);
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
        connect(new InetSocketAddress(address, port), 0);
    }

    @Override
    protected void connect(SocketAddress remote, int millis) throws IOException {
        // as NioSocketImpl: SocketImpl.connect may only throw IOException, and a failure closes it
        if (!(remote instanceof InetSocketAddress isa)) {
            throw new IOException("Unsupported address type");
        }
        Socket a = adaptor();
        if (a.isConnected()) {
            throw new SocketException("Already connected");
        }
        boolean suspended = PendingInterrupt.suspend();
        try {
            // first, as SocksSocketImpl: a SOCKS proxy may resolve a host this JVM cannot
            Socket viaSocks = asksProxySelector ? SelectedSocksProxy.connect(isa, millis, this::replayOnto) : null;
            if (viaSocks != null) {
                useProxied(viaSocks);
                return;
            }
            if (isa.isUnresolved()) {
                throw new UnknownHostException(isa.getHostName());
            }
            InetAddress address = isa.getAddress();
            if (address.isAnyLocalAddress()) {
                address = InetAddress.getLocalHost();
            }
            if (address instanceof Inet6Address && !ChannelFamilies.ipv6()) {
                // NioSocketImpl's IPv4 socket gets this from the kernel's connect, on every stack here
                throw new SocketException("IPv6 protocol family unavailable");
            }
            a.connect(new InetSocketAddress(address, isa.getPort()), millis);
        } catch (IOException e) {
            close();
            throw SocketErrors.forConnect(e);
        } finally {
            PendingInterrupt.restore(suspended);
        }
        synchronized (lock) {
            applyOobInline(channel);
            setBeforeConnect.clear();
        }
    }

    /** Options and bind the program gave before connect, on the SOCKS socket about to connect. */
    private void replayOnto(Socket s) throws IOException {
        synchronized (lock) {
            for (Map.Entry<Object, Object> e : setBeforeConnect.entrySet()) {
                if (e.getKey() instanceof Integer opt) {
                    LegacyOptions.apply(s, opt, e.getValue());
                } else {
                    @SuppressWarnings("unchecked")
                    SocketOption<Object> name = (SocketOption<Object>) e.getKey();
                    s.setOption(name, e.getValue());
                }
            }
        }
        SocketAddress bound = channel.handOverBind(); // the port DMM held for a bind(null): the SOCKS socket's now
        if (bound != null) {
            s.bind(bound);
        }
    }

    /** From now on this socket is the JDK's SOCKS socket; the unused routed channel is closed. */
    private void useProxied(Socket s) throws IOException {
        RoutedSocketChannel c;
        synchronized (lock) {
            if (closed) {
                s.close();
                throw new SocketException("Socket closed");
            }
            proxied = s;
            c = channel;
            setBeforeConnect.clear();
        }
        c.close();
    }

    /** Remembers an option set before connect, for {@link #replayOnto}. */
    private void remember(Object key, Object value) {
        synchronized (lock) {
            RoutedSocketChannel c = channel;
            if (proxied == null && c != null && !c.isConnected()) {
                setBeforeConnect.remove(key); // a value set again moves to the end, as the channel's
                setBeforeConnect.put(key, value);
            }
        }
    }

    @Override
    protected void bind(InetAddress host, int port) throws IOException {
        // routed channels defer a client's bind to connect, so the policy sees the destination;
        // getLocalPort() reports the requested port until then (docs/architecture.md, "Lazy client bind")
        Socket a = adaptor();
        if (a.getLocalSocketAddress() != null) {
            throw new SocketException("Already bound");
        }
        a.bind(new InetSocketAddress(host, port));
    }

    @Override
    protected void listen(int backlog) throws IOException {
        throw new SocketException("Not a server socket");
    }

    @Override
    protected void accept(SocketImpl s) throws IOException {
        throw new SocketException("Not a server socket");
    }

    // ---------------------------------------------------------------- streams

    @Override
    protected InputStream getInputStream() throws IOException {
        return new SocketStreams.In(this, connectedSocket().getInputStream());
    }

    @Override
    protected OutputStream getOutputStream() throws IOException {
        return new SocketStreams.Out(this, connectedSocket().getOutputStream());
    }

    @Override
    protected int available() throws IOException {
        Socket s = connectedSocket();
        if (s.isInputShutdown()) {
            return 0;
        }
        return s.getInputStream().available();
    }

    @Override
    protected void shutdownInput() throws IOException {
        Socket a = connectedSocket();
        if (!a.isInputShutdown()) {
            a.shutdownInput();
        }
    }

    @Override
    protected void shutdownOutput() throws IOException {
        Socket a = connectedSocket();
        if (!a.isOutputShutdown()) {
            a.shutdownOutput();
        }
    }

    @Override
    protected boolean supportsUrgentData() {
        return true; // as NioSocketImpl: once connected, the delegate socket sends it
    }

    @Override
    protected void sendUrgentData(int data) throws IOException {
        Socket a = connectedSocket();
        boolean suspended = PendingInterrupt.suspend();
        try {
            a.sendUrgentData(data);
        } catch (IOException e) {
            throw SocketErrors.forIo(e);
        } finally {
            PendingInterrupt.restore(suspended);
        }
    }

    @Override
    protected void close() throws IOException {
        RoutedSocketChannel c;
        Socket p;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            c = channel;
            p = proxied;
        }
        if (p != null) {
            p.close();
        }
        if (c != null) {
            c.close();
        }
    }

    // ---------------------------------------------------------------- addresses

    @Override
    protected InetAddress getInetAddress() {
        Socket v = view();
        return v == null ? address : v.getInetAddress();
    }

    @Override
    protected int getPort() {
        Socket v = view();
        return v == null ? port : v.getPort();
    }

    @Override
    protected int getLocalPort() {
        Socket v = view();
        return v == null ? localport : Math.max(v.getLocalPort(), 0);
    }

    // ---------------------------------------------------------------- options

    @Override
    protected Set<SocketOption<?>> supportedOptions() {
        Set<SocketOption<?>> o = options;
        if (o == null) {
            RoutedSocketChannel c = channel;
            if (c == null) {
                return Set.of();
            }
            o = options = LegacyOptions.socketOptions(c.supportedOptions());
        }
        return o;
    }

    /** As NioSocketImpl: an option outside {@link #supportedOptions()} is an UnsupportedOperationException. */
    private void checkSupported(SocketOption<?> name) {
        if (!supportedOptions().contains(name)) {
            throw new UnsupportedOperationException("'" + name + "' not supported");
        }
    }

    @Override
    protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
        Objects.requireNonNull(name);
        checkSupported(name);
        try {
            Socket p = proxied;
            if (p != null) {
                p.setOption(name, value);
            } else {
                open().setOption(name, value);
                remember(name, value);
            }
        } catch (IOException e) {
            throw SocketErrors.asSocketException(e);
        }
    }

    @Override
    protected <T> T getOption(SocketOption<T> name) throws IOException {
        Objects.requireNonNull(name);
        checkSupported(name);
        try {
            Socket p = proxied;
            return p != null ? p.getOption(name) : open().getOption(name);
        } catch (IOException e) {
            throw SocketErrors.asSocketException(e);
        }
    }

    @Override
    public void setOption(int opt, Object value) throws SocketException {
        Socket a = adaptor();
        if (a == proxied) {
            LegacyOptions.apply(a, opt, value);
            return;
        }
        switch (opt) {
            // these two cannot go to the routed channel's adaptor before routing
            case SO_REUSEPORT -> LegacyOptions.setReusePort(channel, value);
            case SO_OOBINLINE -> setOobInline(LegacyOptions.booleanValue(value, "SO_OOBINLINE"));
            default -> LegacyOptions.apply(a, opt, value);
        }
        remember(opt, value);
    }

    @Override
    public Object getOption(int opt) throws SocketException {
        Socket a = adaptor();
        return switch (opt) {
            case SO_TIMEOUT -> a.getSoTimeout();
            case TCP_NODELAY -> a.getTcpNoDelay();
            case SO_OOBINLINE -> a == proxied ? a.getOOBInline() : getOobInline();
            case SO_LINGER -> {
                int i = a.getSoLinger();
                yield i == -1 ? (Object) Boolean.FALSE : (Object) i;
            }
            case SO_REUSEADDR -> a.getReuseAddress();
            case SO_BINDADDR -> LegacyOptions.numeric(a.getLocalAddress());
            case SO_SNDBUF -> a.getSendBufferSize();
            case SO_RCVBUF -> a.getReceiveBufferSize();
            case IP_TOS -> a.getTrafficClass();
            case SO_KEEPALIVE -> a.getKeepAlive();
            case SO_REUSEPORT -> a == proxied ? LegacyOptions.getReusePort(a) : LegacyOptions.getReusePort(channel);
            default -> throw new SocketException("Unknown option " + opt);
        };
    }

    private void setOobInline(boolean on) throws SocketException {
        synchronized (lock) {
            oobInline = on;
            RoutedSocketChannel c = channel;
            if (c.isConnected()) {
                c.socket().setOOBInline(on);
            }
        }
    }

    private boolean getOobInline() throws SocketException {
        synchronized (lock) {
            RoutedSocketChannel c = channel;
            return c.isConnected() ? c.socket().getOOBInline() : oobInline;
        }
    }

    /** Replays an SO_OOBINLINE set before routing on the now-routed socket. Under lock. */
    private void applyOobInline(RoutedSocketChannel c) throws SocketException {
        if (oobInline) {
            c.socket().setOOBInline(true);
        }
    }

    @Override
    public String toString() {
        RoutedSocketChannel c = channel;
        return "DmmSocketImpl[" + (c == null ? "new" : c.toString()) + "]";
    }
}
