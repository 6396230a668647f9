package io.dmm.core.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Iterator;
import java.util.List;

/**
 * The JDK's default {@code new Socket()} is a SocksSocketImpl that asks the default ProxySelector
 * (where {@code socksProxyHost}/{@code socksProxyPort} take effect) which SOCKS proxy to connect
 * through. A socket factory replaces that impl, so DMM asks the same question at connect, with the
 * same rules (java.net.SocksSocketImpl.connect), and when a SOCKS proxy is chosen the connection
 * is made by the JDK itself, through {@code new Socket(proxy)}: SOCKS versions, authentication and
 * errors stay the JDK's. Such a connection is not routed by DMM (as an explicit
 * {@code new Socket(proxy)} is not).
 */
final class SelectedSocksProxy {
    /** What DmmSocketImpl replays on the proxied socket before it connects (options, bind). */
    interface Setup {
        void configure(Socket s) throws IOException;
    }

    private static final StackWalker WALKER = StackWalker.getInstance();

    private SelectedSocksProxy() {
    }

    /**
     * Whether the Socket being constructed would have had the JDK's SocksSocketImpl, i.e. was made
     * by {@code new Socket()} (or a subclass's {@code super()}), which asks the ProxySelector, and
     * not by {@code new Socket(Proxy.NO_PROXY)}, which the JDK connects directly — HttpURLConnection's
     * sockets, for one, whose proxy was already chosen. Both reach the factory the same way; only
     * the caller tells them apart: {@code Socket()} goes through the private Socket.createImpl().
     * Called from DmmSocketImpl's constructor, so cheap in the usual case: when the selector is
     * the JDK's own and nothing configures a SOCKS proxy for it, no socket will be proxied and
     * the answer does not matter; only otherwise are a few stack frames looked at (about a
     * microsecond).
     */
    static boolean socketAsksSelector() {
        ProxySelector sel = ProxySelector.getDefault();
        if (sel == null || (sel.getClass().getName().equals("sun.net.spi.DefaultProxySelector")
                && !defaultSelectorMayChooseSocks())) {
            return false;
        }
        return WALKER.walk(frames -> frames.limit(8).anyMatch(
                f -> f.getMethodName().equals("createImpl") && f.getClassName().equals("java.net.Socket")));
    }

    /** The JDK's DefaultProxySelector answers SOCKS only from socksProxyHost or the system's proxy settings. */
    private static boolean defaultSelectorMayChooseSocks() {
        String host = System.getProperty("socksProxyHost");
        return (host != null && !host.isEmpty()) || Boolean.getBoolean("java.net.useSystemProxies");
    }

    /**
     * Connects through the SOCKS proxy the default ProxySelector chooses for {@code dest}, trying
     * each in turn as the JDK does. Returns null when the connection is to be direct (no selector,
     * no proxy, or a non-SOCKS entry, as SocksSocketImpl treats those).
     */
    static Socket connect(InetSocketAddress dest, int millis, Setup setup) throws IOException {
        ProxySelector sel = ProxySelector.getDefault();
        if (sel == null) {
            return null;
        }
        URI uri = uri(dest);
        Iterator<Proxy> proxies;
        try {
            List<Proxy> list = sel.select(uri);
            proxies = list == null ? null : list.iterator();
        } catch (IllegalArgumentException iae) {
            throw new IOException("Failed to select a proxy", iae);
        }
        if (proxies == null || !proxies.hasNext()) {
            return null;
        }
        IOException saved = null;
        while (proxies.hasNext()) {
            Proxy p = proxies.next();
            if (p == null || p.type() != Proxy.Type.SOCKS) {
                return null;
            }
            if (!(p.address() instanceof InetSocketAddress)) {
                throw new SocketException("Unknown address type for proxy: " + p);
            }
            Socket s = new Socket(p); // the JDK's SocksSocketImpl over its platform impl: no factory
            try {
                setup.configure(s);
                s.connect(dest, millis);
                return s;
            } catch (IOException e) {
                s.close();
                IOException toProxy = proxyUnreachable(e);
                if (toProxy == null) {
                    throw e; // the proxy answered and refused: SocksSocketImpl does not try the next one
                }
                sel.connectFailed(uri, p.address(), toProxy);
                saved = toProxy;
            }
        }
        throw new SocketException("Can't connect to SOCKS proxy:" + saved.getMessage());
    }

    /**
     * The failure to reach the proxy itself, or null if the proxy was reached and the SOCKS
     * exchange failed. An explicit-proxy SocksSocketImpl wraps a failed connect to the proxy as
     * SocketException(message, cause); SOCKS errors have no cause.
     */
    private static IOException proxyUnreachable(IOException e) {
        return e instanceof SocketException && e.getCause() instanceof IOException cause ? cause : null;
    }

    /** "socket://host:port", as SocksSocketImpl builds it (the host string: no reverse lookup). */
    private static URI uri(InetSocketAddress dest) throws IOException {
        try {
            return new URI("socket", null, dest.getHostString(), dest.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw new IOException("Failed to select a proxy", e);
        }
    }
}
