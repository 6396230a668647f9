package io.dmm.core.net;

import static io.dmm.core.net.Transcript.attempt;
import static io.dmm.core.net.Transcript.names;
import static io.dmm.core.net.Transcript.t;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** java.net TCP behaviour, the same with DMM's factories as without (see {@link NetScenario}). */
final class TcpScenarios {
    private TcpScenarios() {
    }

    /** One echo over a ServerSocket on an "alt" port and one on an ephemeral (default-routed) port. */
    static void echo() throws Exception {
        try (ServerSocket alt = new ServerSocket(NetScenario.altPort(), 50, InetAddress.getLoopbackAddress());
             ServerSocket dflt = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            t("server bound " + alt.isBound() + " port in range " + inAlt(alt.getLocalPort())
                    + " addr " + alt.getInetAddress() + " reuse " + alt.getReuseAddress()
                    + " timeout " + alt.getSoTimeout() + " rcvbuf>0 " + (alt.getReceiveBufferSize() > 0));
            t("server " + alt.toString().replace(Integer.toString(alt.getLocalPort()), "PORT")
                    + " " + alt.getLocalSocketAddress().toString().replace(Integer.toString(alt.getLocalPort()), "PORT"));
            attempt("bind in use", () -> new ServerSocket(alt.getLocalPort(), 50, InetAddress.getLoopbackAddress()));
            ServerSocket unbound = new ServerSocket();
            t("unbound server " + unbound + " " + unbound.isBound() + " " + unbound.getLocalPort() + " "
                    + unbound.getInetAddress() + " " + unbound.getLocalSocketAddress());
            attempt("accept unbound", unbound::accept);
            unbound.close();
            attempt("bind closed server", () -> { unbound.bind(null); return null; });
            t("server options " + names(alt.supportedOptions()));
            try (Socket fresh = new Socket()) {
                t("socket options " + names(fresh.supportedOptions()));
            }
            try (java.net.DatagramSocket ds = new java.net.DatagramSocket();
                 java.net.MulticastSocket ms = new java.net.MulticastSocket()) {
                t("datagram options " + names(ds.supportedOptions()) + " multicast " + names(ms.supportedOptions()));
            }
            alt.setOption(java.net.StandardSocketOptions.IP_TOS, 0x28);
            t("server tos " + alt.getOption(java.net.StandardSocketOptions.IP_TOS));
            attempt("server tos bad", () -> alt.setOption(java.net.StandardSocketOptions.IP_TOS, 300));
            attempt("server nodelay", () -> alt.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true));
            optionsBeforeConnect(alt);
            ephemeralBindBeforeConnect(alt);
            closedKeepTheirAddresses(alt);
            echoOnce(alt, "hello alt");
            echoOnce(dflt, "hello default");
        }
    }

    /** Options set on an unconnected Socket survive the connect (DMM replays them on the routed socket). */
    private static void optionsBeforeConnect(ServerSocket ss) throws Exception {
        try (Socket c = new Socket()) {
            c.setTcpNoDelay(true);
            c.setSoLinger(true, 3);
            c.setOOBInline(true);
            c.setKeepAlive(true);
            c.setReceiveBufferSize(65536);
            c.setSendBufferSize(65536);
            c.setTrafficClass(0x08);
            c.setSoTimeout(123);
            c.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            t("bound before connect " + c.isBound() + " local address " + c.getLocalAddress());
            c.connect(ss.getLocalSocketAddress());
            try (Socket s = ss.accept()) {
                t("after connect nodelay " + c.getTcpNoDelay() + " linger " + c.getSoLinger() + " oob " + c.getOOBInline()
                        + " keepalive " + c.getKeepAlive() + " rcvbuf " + c.getReceiveBufferSize()
                        + " sndbuf " + c.getSendBufferSize() + " tos " + c.getTrafficClass()
                        + " timeout " + c.getSoTimeout() + " local port > 0 " + (c.getLocalPort() > 0));
                attempt("bind after connect", () -> { c.bind(null); return null; });
            }
        }
    }

    /**
     * A Socket's bind before connect takes its address at once, as the JDK's does: a port another
     * socket holds, or an address not on this host, fails the bind itself.
     */
    static void clientBind() throws Exception {
        try (Socket first = new Socket(); Socket second = new Socket(); Socket third = new Socket()) {
            first.bind(new InetSocketAddress(0));
            attempt("bind to a port another socket holds",
                    () -> { second.bind(new InetSocketAddress(first.getLocalPort())); return null; });
            t("after the failed bind: bound " + second.isBound() + " port " + second.getLocalPort());
            attempt("bind to an address not on this host",
                    () -> { third.bind(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 0)); return null; });
        }
    }

    /** bind(null) before connect has a real port at once, and the socket connects from it. */
    private static void ephemeralBindBeforeConnect(ServerSocket ss) throws Exception {
        try (Socket c = new Socket()) {
            c.bind(null);
            int port = c.getLocalPort();
            t("bind(null): bound " + c.isBound() + " port > 0 " + (port > 0));
            c.connect(ss.getLocalSocketAddress());
            try (Socket s = ss.accept()) {
                t("connects from that port " + (c.getLocalPort() == port) + " " + (s.getPort() == port));
            }
        }
    }

    /** What a closed Socket and ServerSocket still report: what they had (the JDK keeps it). */
    private static void closedKeepTheirAddresses(ServerSocket ss) throws Exception {
        Socket c = new Socket();
        c.connect(ss.getLocalSocketAddress());
        ss.accept().close();
        int local = c.getLocalPort();
        c.close();
        t("closed socket: peer " + c.getInetAddress() + " port ok " + (c.getPort() == ss.getLocalPort())
                + " local port kept " + (c.getLocalPort() == local) + " connected " + c.isConnected());
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        int port = server.getLocalPort();
        server.close();
        t("closed server: bound " + server.isBound() + " port kept " + (server.getLocalPort() == port)
                + " addr " + server.getInetAddress() + " local address kept "
                + new InetSocketAddress(InetAddress.getLoopbackAddress(), port).equals(server.getLocalSocketAddress()));
    }

    private static boolean inAlt(int port) {
        return port >= NetScenario.ALT_LO && port <= NetScenario.ALT_HI;
    }

    private static void echoOnce(ServerSocket ss, String msg) throws Exception {
        Socket c = new Socket();
        t("unconnected " + c.isConnected() + " " + c.isBound() + " " + c.getPort() + " " + c.getLocalPort() + " " + c);
        c.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), ss.getLocalPort()));
        try (Socket s = ss.accept()) {
            t("connected " + c.isConnected() + " " + c.isBound() + " port ok " + (c.getPort() == ss.getLocalPort())
                    + " local>0 " + (c.getLocalPort() > 0) + " remote " + c.getInetAddress());
            t("accepted tos " + s.getTrafficClass());
            t("accepted " + s.isConnected() + " peer port ok " + (s.getPort() == c.getLocalPort())
                    + " local port ok " + (s.getLocalPort() == ss.getLocalPort()) + " channel " + s.getChannel());
            c.getOutputStream().write(msg.getBytes(StandardCharsets.UTF_8));
            byte[] buf = new byte[msg.length()];
            new java.io.DataInputStream(s.getInputStream()).readFully(buf);
            s.getOutputStream().write(buf);
            byte[] back = new byte[msg.length()];
            new java.io.DataInputStream(c.getInputStream()).readFully(back);
            t("echo " + new String(back, StandardCharsets.UTF_8));
            t("streams same " + (c.getInputStream() == c.getInputStream()));
            t("connected options " + names(c.supportedOptions()) + " accepted " + names(s.supportedOptions()));
            t("options nodelay " + setGet(() -> { c.setTcpNoDelay(true); return c.getTcpNoDelay(); })
                    + " keepalive " + setGet(() -> { c.setKeepAlive(true); return c.getKeepAlive(); })
                    + " tos " + setGet(() -> { c.setTrafficClass(0x10); return c.getTrafficClass(); })
                    + " reuse " + c.getReuseAddress()
                    + " sndbuf>0 " + (c.getSendBufferSize() > 0) + " rcvbuf>0 " + (c.getReceiveBufferSize() > 0)
                    + " supported " + c.supportedOptions().contains(java.net.StandardSocketOptions.SO_LINGER));
            attempt("bad sndbuf", () -> { c.setSendBufferSize(0); return null; });
        }
        InputStream cin = c.getInputStream();
        OutputStream cout = c.getOutputStream();
        c.close();
        c.close(); // idempotent
        attempt("read on a closed socket's stream", cin::read);
        attempt("available on a closed socket's stream", cin::available);
        attempt("write on a closed socket's stream", () -> { cout.write(1); return null; });
        attempt("urgent on a closed socket", () -> { c.sendUrgentData(1); return null; });
        attempt("shutdown on a closed socket", () -> { c.shutdownOutput(); return null; });
        t("closed " + c.isClosed() + " connected " + c.isConnected());
        attempt("stream after close", c::getInputStream);
        attempt("option after close", c::getSoTimeout);
        attempt("connect after close", () -> { c.connect(ss.getLocalSocketAddress()); return null; });
    }

    private interface Io<T> {
        T get() throws Exception;
    }

    private static Object setGet(Io<?> io) {
        try {
            return io.get();
        } catch (Exception e) {
            return Transcript.describe(e);
        }
    }

    /** SO_TIMEOUT on read (socket stays usable) and on accept; connect to a closed port. */
    static void timeouts() throws Exception {
        try (ServerSocket ss = new ServerSocket(NetScenario.altPort(), 50, InetAddress.getLoopbackAddress())) {
            ss.setSoTimeout(150);
            t("accept timeout get " + ss.getSoTimeout());
            attempt("accept", ss::accept);
            t("server still open " + !ss.isClosed());
            ss.setSoTimeout(0);
            try (Socket c = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort()); Socket s = ss.accept()) {
                c.setSoTimeout(200);
                t("read timeout get " + c.getSoTimeout());
                long t0 = System.nanoTime();
                attempt("read", () -> c.getInputStream().read());
                // a lower bound only: load makes a timed read later, never earlier
                t("waited >=150ms " + ((System.nanoTime() - t0) / 1_000_000 >= 150));
                t("usable " + !c.isClosed() + " " + c.isConnected());
                s.getOutputStream().write(42);
                attempt("read after timeout", () -> c.getInputStream().read());
                attempt("available", () -> c.getInputStream().available());
                s.getOutputStream().write(new byte[] {1, 2, 3});
                Arrival.awaitAvailable(c.getInputStream(), 3);
                attempt("available with data", () -> c.getInputStream().available());
                attempt("negative timeout", () -> { c.setSoTimeout(-1); return null; });
            }
            int closedPort;
            try (ServerSocket gone = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                closedPort = gone.getLocalPort();
            }
            Socket refused = new Socket();
            attempt("connect refused", () -> {
                refused.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort), 1000);
                return null;
            });
            t("refused socket closed " + refused.isClosed());
            connectTimeout();
            attempt("unresolved", () -> { new Socket().connect(InetSocketAddress.createUnresolved("no.such.host.invalid", 80)); return null; });
        }
    }

    /**
     * A listener with a full backlog (backlog 1, never accepting) drops further SYNs, so a connect
     * to it can only time out. Built from raw JDK channels, which no factory affects.
     */
    private static void connectTimeout() throws Exception {
        try (java.nio.channels.ServerSocketChannel full = java.nio.channels.ServerSocketChannel.open()) {
            full.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            java.util.List<java.nio.channels.SocketChannel> queued = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                java.nio.channels.SocketChannel q = java.nio.channels.SocketChannel.open();
                q.configureBlocking(false);
                q.connect(full.getLocalAddress());
                queued.add(q);
            }
            awaitAcceptQueueFull(queued);
            Socket c = new Socket();
            long t0 = System.nanoTime();
            attempt("connect timeout", () -> { c.connect(full.getLocalAddress(), 300); return null; });
            long ms = (System.nanoTime() - t0) / 1_000_000;
            // not early; and not the minutes of SYN retries that an ignored timeout would take
            t("connect waited 300ms " + (ms >= 290 && ms < 10_000) + " closed " + c.isClosed());
            for (java.nio.channels.SocketChannel q : queued) {
                q.close();
            }
        }
    }

    /**
     * Waits until the listener's accept queue is full, so that it drops every SYN from then on. How
     * many connections it holds depends on the stack: backlog + 1 on Linux, backlog on the userspace
     * stack. So: until at least one queued connect completed its handshake and then no other one
     * completed for a second (a dropped SYN is sent again only after its one-second timeout).
     */
    private static void awaitAcceptQueueFull(java.util.List<java.nio.channels.SocketChannel> queued) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        long quietFor = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
        int seen = 0;
        long changed = System.nanoTime();
        while (true) {
            int established = 0;
            for (java.nio.channels.SocketChannel q : queued) {
                established += q.isConnected() || q.finishConnect() ? 1 : 0;
            }
            long now = System.nanoTime();
            if (established != seen) {
                seen = established;
                changed = now;
            } else if (established >= 1 && now - changed >= quietFor) {
                return;
            }
            if (now - deadline > 0) {
                throw new AssertionError("the listener's accept queue did not fill within 10 s: " + established + " established");
            }
            Thread.sleep(1);
        }
    }

    /** setSoLinger values, and linger 0 making close reset the connection. */
    static void linger() throws Exception {
        try (ServerSocket ss = new ServerSocket(NetScenario.altPort(), 50, InetAddress.getLoopbackAddress());
             Socket c = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
             Socket s = ss.accept()) {
            t("default linger " + c.getSoLinger());
            c.setSoLinger(true, 5);
            t("linger 5 " + c.getSoLinger());
            c.setSoLinger(true, 70000);
            t("linger capped " + c.getSoLinger());
            c.setSoLinger(false, 0);
            t("linger off " + c.getSoLinger());
            attempt("linger negative", () -> { c.setSoLinger(true, -1); return null; });
            c.setSoLinger(true, 0);
            c.getOutputStream().write(1);
            t("read before reset " + s.getInputStream().read());
            c.close();
            attempt("peer read after reset", () -> s.getInputStream().read());
            attempt("peer read again", () -> s.getInputStream().read());
            attempt("peer write after reset", () -> { s.getOutputStream().write(1); return null; });
            attempt("peer available after reset", () -> s.getInputStream().available());
            t("peer closed " + s.isClosed() + " connected " + s.isConnected());
        }
    }

    /** shutdownOutput/shutdownInput: EOF at the peer, the other direction still works. */
    static void halfClose() throws Exception {
        try (ServerSocket ss = new ServerSocket(NetScenario.altPort(), 50, InetAddress.getLoopbackAddress());
             Socket c = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
             Socket s = ss.accept()) {
            OutputStream out = c.getOutputStream();
            out.write("request".getBytes(StandardCharsets.UTF_8));
            c.shutdownOutput();
            t("output shutdown " + c.isOutputShutdown() + " input shutdown " + c.isInputShutdown());
            t("server reads " + new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            s.getOutputStream().write("reply".getBytes(StandardCharsets.UTF_8));
            s.close();
            t("client reads " + new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            attempt("write after shutdownOutput", () -> { out.write(1); return null; });
            attempt("shutdownOutput again", () -> { c.shutdownOutput(); return null; });
            attempt("getOutputStream", c::getOutputStream);
            InputStream in = c.getInputStream();
            c.shutdownInput();
            t("input shutdown " + c.isInputShutdown());
            attempt("read after shutdownInput", in::read);
            attempt("available after shutdownInput", in::available);
            attempt("getInputStream", c::getInputStream);
        }
        Socket fresh = new Socket();
        attempt("shutdown unconnected", () -> { fresh.shutdownInput(); return null; });
        fresh.close();
    }

    /** sendUrgentData and SO_OOBINLINE. */
    static void urgent() throws Exception {
        Socket fresh = new Socket();
        attempt("urgent unconnected", () -> { fresh.sendUrgentData(1); return null; });
        attempt("oobinline unconnected", () -> { fresh.setOOBInline(true); return fresh.getOOBInline(); });
        fresh.close();
        try (ServerSocket ss = new ServerSocket(NetScenario.altPort(), 50, InetAddress.getLoopbackAddress());
             Socket c = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
             Socket s = ss.accept()) {
            t("oobinline default " + s.getOOBInline());
            s.setOOBInline(true);
            t("oobinline set " + s.getOOBInline());
            c.sendUrgentData('U');
            c.getOutputStream().write('n');
            InputStream in = s.getInputStream();
            t("inline reads " + (char) in.read() + (char) in.read());
            s.setOOBInline(false);
            c.sendUrgentData('X'); // discarded by the receiver now
            c.getOutputStream().write('m');
            t("not inline reads " + (char) in.read());
        }
    }
}
