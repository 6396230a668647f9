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
            // socksProxyHost configures); with DMM's factory the socket connects directly
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
            try (Socket plain = new Socket(lo, echo.getLocalPort())) {
                String echoed = roundTrip(plain, "plain");
                Transcript.r("selector socket echo " + echoed + " relayed " + socks.relayed.get());
                System.out.println("J selector relayed " + socks.relayed.get());
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
