package io.dmm.core.net;

import static io.dmm.core.net.Transcript.t;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** SOCKS: {@code new Socket(Proxy)} keeps working; the ProxySelector/socksProxyHost path is DMM's documented loss. */
final class ProxyScenarios {
    private ProxyScenarios() {
    }

    static void socks() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (Socks5Server socks = new Socks5Server();
             ServerSocket echo = new ServerSocket(NetScenario.altPort(), 50, lo)) {
            Thread server = Thread.ofPlatform().daemon().start(() -> echoForever(echo));
            try (Socket viaProxy = new Socket(new Proxy(Proxy.Type.SOCKS, socks.address()))) {
                viaProxy.connect(new InetSocketAddress(lo, echo.getLocalPort()), 5000);
                t("explicit proxy echo " + roundTrip(viaProxy, "through socks") + " relayed " + socks.relayed.get());
            }
            // the JDK's default Socket is a SocksSocketImpl that asks the ProxySelector (what
            // socksProxyHost configures); DMM's impl asks it too and lets the JDK connect through it
            ProxySelector.setDefault(new ProxySelector() {
                @Override
                public List<Proxy> select(URI uri) {
                    try {
                        return List.of(new Proxy(Proxy.Type.SOCKS, socks.address()));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }

                @Override
                public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
                }
            });
            try (Socket plain = new Socket()) {
                plain.setSoTimeout(4000);
                plain.setTcpNoDelay(true);
                plain.connect(new InetSocketAddress(lo, echo.getLocalPort()));
                t("selector socket echo " + roundTrip(plain, "plain") + " relayed " + socks.relayed.get()
                        + " timeout " + plain.getSoTimeout() + " nodelay " + plain.getTcpNoDelay()
                        + " connected " + plain.isConnected() + " port ok " + (plain.getPort() == echo.getLocalPort()));
            }
            try (Socket direct = new Socket(Proxy.NO_PROXY)) {
                direct.connect(new InetSocketAddress(lo, echo.getLocalPort()));
                t("NO_PROXY socket ignores the selector " + roundTrip(direct, "no proxy") + " relayed "
                        + socks.relayed.get());
            }
            try (Socket unresolved = new Socket()) {
                Transcript.attempt("selector socket to an unresolved name", () -> {
                    unresolved.connect(InetSocketAddress.createUnresolved("localhost", echo.getLocalPort()), 3000);
                    return roundTrip(unresolved, "by name") + " relayed " + socks.relayed.get();
                });
            }
            // a port nothing listens on, where the JDK's SOCKS sockets go: on the kernel (a raw channel
            // probes it, whatever stack the policy would give a ServerSocket)
            int deadPort;
            try (ServerSocketChannel gone = ServerSocketChannel.open().bind(new InetSocketAddress(lo, 0))) {
                deadPort = gone.socket().getLocalPort();
            }
            Proxy dead = new Proxy(Proxy.Type.SOCKS, new InetSocketAddress(lo, deadPort));
            Proxy live = new Proxy(Proxy.Type.SOCKS, socks.address());
            java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
            selectorReturning(List.of(dead, live), failed);
            // "J": not compared — the JDK 25 socket fails here ("Can't connect to SOCKS proxy:Socket
            // closed": the first failure closes its delegate), DMM goes on to the next proxy as intended
            try (Socket s = new Socket(lo, echo.getLocalPort())) {
                System.out.println("J dead then live proxy " + roundTrip(s, "second try") + " relayed "
                        + socks.relayed.get() + " failures reported " + failed.get());
            } catch (IOException e) {
                System.out.println("J dead then live proxy ! " + Transcript.describe(e));
                socks.relayed.incrementAndGet(); // keep the later counts comparable with DMM's
            }
            failed.set(0);
            selectorReturning(List.of(dead), failed);
            Transcript.attempt("only a dead proxy", () -> new Socket(lo, echo.getLocalPort()));
            t("failures reported " + failed.get());
            selectorReturning(List.of(Proxy.NO_PROXY), failed);
            try (Socket s = new Socket(lo, echo.getLocalPort())) {
                t("direct by selector " + roundTrip(s, "direct") + " relayed " + socks.relayed.get());
            }
            // bound before connect (DMM holds the port for it), then proxied: the SOCKS socket binds it
            selectorReturning(List.of(live), failed);
            try (Socket bound = new Socket()) {
                bound.bind(null);
                bound.connect(new InetSocketAddress(lo, echo.getLocalPort()));
                t("bound before connect, via the selector: echo " + roundTrip(bound, "bound") + " relayed "
                        + socks.relayed.get());
            }
            server.interrupt();
        }
    }

    /**
     * {@code new Socket(Proxy HTTP)}: the JDK tunnels with HttpURLConnection, whose connection to the
     * proxy is a {@code new Socket(Proxy.NO_PROXY)} — so with DMM's factory the tunnel, and then the
     * program's socket (the JDK swaps the tunnel's impl into it), is a DMM socket routed by the
     * proxy's address. The proxy listens on an "alt" port, the echo server on an ephemeral one.
     */
    static void httpConnect() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (HttpConnectProxy proxy = new HttpConnectProxy(new InetSocketAddress(lo, NetScenario.altPort()));
             ServerSocket echo = new ServerSocket(0, 50, lo)) {
            Thread.ofPlatform().daemon().start(() -> echoForever(echo));
            try (Socket viaProxy = new Socket(new Proxy(Proxy.Type.HTTP, proxy.address()))) {
                viaProxy.setSoTimeout(5000);
                viaProxy.connect(new InetSocketAddress(lo, echo.getLocalPort()), 5000);
                t("http tunnel echo " + roundTrip(viaProxy, "through http connect") + " tunnels " + proxy.tunnels.get()
                        + " connected " + viaProxy.isConnected() + " timeout " + viaProxy.getSoTimeout());
            }
        }
    }

    private static void selectorReturning(List<Proxy> proxies, java.util.concurrent.atomic.AtomicInteger failed) {
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                return proxies;
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
                failed.incrementAndGet();
            }
        });
    }

    private static String roundTrip(Socket s, String msg) throws IOException {
        byte[] bytes = msg.getBytes(StandardCharsets.UTF_8);
        s.getOutputStream().write(bytes);
        byte[] back = new byte[bytes.length];
        new DataInputStream(s.getInputStream()).readFully(back);
        return new String(back, StandardCharsets.UTF_8);
    }

    private static void echoForever(ServerSocket ss) {
        while (true) {
            try {
                Socket s = ss.accept();
                Thread.ofPlatform().daemon().start(() -> {
                    try (s) {
                        InputStream in = s.getInputStream();
                        in.transferTo(s.getOutputStream());
                    } catch (IOException ignored) {
                        // client gone
                    }
                });
            } catch (IOException closed) {
                return;
            }
        }
    }
}
