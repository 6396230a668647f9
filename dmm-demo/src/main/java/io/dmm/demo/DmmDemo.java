package io.dmm.demo;

import io.dmm.api.DmmSockets;
import io.dmm.api.RouteExplanation;
import io.dmm.api.RouteHints;
import io.dmm.api.RouteScope;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo behind {@code ./dmm demo}: echo servers and clients in one JVM, every socket opened
 * through {@link DmmSockets} and routed by the policy in {@code -Ddmm.config} (the launcher passes
 * {@code config/demo.json}). For each connection it prints the rule that matched and the stack
 * chosen, and what the server saw (the bulk stack's source address shows up as the peer); then
 * DMM's per-stack and per-rule counters. With {@code --stay} its servers stay up afterwards, until
 * Ctrl-C, so that {@code ./dmm ps}, {@code status} and {@code sockets} have a JVM to show.
 *
 * <p>On a host without IPv6 the IPv6 server and client are left out, with a line that says so.
 */
public final class DmmDemo {
    private static final int BULK_PORT_FIRST = 9000;
    private static final int BULK_PORT_LAST = 9099;
    private static final String USERSPACE_STACK = "user0";
    private static final String USERSPACE_ADDRESS = "198.51.100.1";

    private final PrintStream out;
    private final List<AutoCloseable> servers = new ArrayList<>();
    private final List<Thread> serverThreads = new ArrayList<>();
    private int connections;
    private int failures;

    DmmDemo(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        boolean stay = false;
        for (String a : args) {
            if (a.equals("--stay")) {
                stay = true;
            } else {
                System.err.println("dmm demo: unknown option '" + a + "' (usage: dmm demo [--config FILE] [--stay])");
                System.exit(2);
            }
        }
        DmmDemo demo = new DmmDemo(System.out);
        int failures = demo.run(stay);
        if (stay) {
            demo.stayUntilInterrupted();
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    /** Runs the demo; returns the number of connections whose echo did not come back intact. */
    int run() throws Exception {
        return run(false);
    }

    /** As {@link #run()}; with {@code keepServers} the servers are left running for {@link #stayUntilInterrupted}. */
    int run(boolean keepServers) throws Exception {
        InetAddress v4 = InetAddress.getByName("127.0.0.1");
        InetAddress user = InetAddress.getByName(USERSPACE_ADDRESS);
        out.println("DMM for the JVM demo — policy: " + System.getProperty("dmm.config", "<built-in default>"));
        out.println();
        InetAddress v6 = ipv6Loopback();
        try {
            out.println("servers:");
            InetSocketAddress plain = startTcpEcho(new InetSocketAddress(v4, 0));
            InetSocketAddress bulk = startTcpEchoInRange(v4, BULK_PORT_FIRST, BULK_PORT_LAST);
            InetSocketAddress six = v6 == null ? null : startTcpEcho(new InetSocketAddress(v6, 0));
            InetSocketAddress udp = startUdpEcho(new InetSocketAddress(v4, 0));
            InetSocketAddress userTcp = startTcpEcho(new InetSocketAddress(user, 0));
            InetSocketAddress userUdp = startUdpEcho(new InetSocketAddress(user, 0));
            out.println();
            out.println("connections:");
            tcpClient("plain client", plain, RouteHints.none());
            tcpClient("client with qos=low-latency", plain, RouteHints.qos("low-latency"));
            tcpClient("client of a 9000-9099 service", bulk, RouteHints.none());
            try (RouteScope scope = DmmSockets.scope(RouteHints.qos("low-latency"))) {
                // A scope reaches sockets opened by code that knows nothing of DMM hints.
                tcpClient("same service, inside a low-latency scope", bulk, RouteHints.none());
            }
            if (six != null) {
                tcpClient("IPv6 client", six, RouteHints.none());
            }
            udpSender("UDP sender", udp);
            // the userspace instance user0 owns 198.51.100.1: these connections never touch the kernel
            tcpClient("client of the userspace network", userTcp, RouteHints.none());
            tcpClient("second client of the userspace network", userTcp, RouteHints.none());
            udpSender("UDP sender on the userspace network", userUdp);
        } finally {
            if (!keepServers) {
                stopServers();
            }
        }
        out.println();
        out.println("counters (DmmSockets.stats()):");
        out.print(DmmSockets.stats().toTable());
        printStackCounters(USERSPACE_STACK);
        out.println();
        out.printf("%d connections, %d failed%n", connections, failures);
        return failures;
    }

    /**
     * [::1], or null when this host cannot bind it (IPv6 disabled, or a JVM told
     * {@code -Djava.net.preferIPv4Stack=true}): then the demo leaves IPv6 out and says so in one line.
     */
    private InetAddress ipv6Loopback() throws IOException {
        InetAddress v6 = InetAddress.getByName("::1");
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress(v6, 0));
            return v6;
        } catch (IOException | IllegalArgumentException e) { // UnsupportedAddressTypeException is one
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            out.println("note: no IPv6 on this host (binding [::1]: " + why + "); the IPv6 server and client are left out");
            out.println();
            return null;
        }
    }

    /** Keeps the JVM, its servers and DMM's management running until Ctrl-C (or another signal). */
    void stayUntilInterrupted() throws InterruptedException {
        long pid = ProcessHandle.current().pid();
        out.println();
        out.println("staying up as pid " + pid + " until Ctrl-C; meanwhile, in another terminal:");
        out.println("  ./dmm ps    ./dmm status " + pid + "    ./dmm stacks " + pid + "    ./dmm sockets " + pid);
        out.flush();
        Thread.currentThread().join();
    }

    /** The counters a stack keeps itself (the userspace stack's TCP, UDP, IPv4 and drop counters), non-zero ones. */
    private void printStackCounters(String stack) {
        DmmSockets.stats().stack(stack).ifPresent(s -> {
            out.println();
            out.println("stack " + stack + " (" + s.type() + ") counters it keeps itself:");
            StringBuilder line = new StringBuilder("  ");
            new java.util.TreeMap<>(s.stackCounters()).forEach((name, value) -> {
                if (value == 0) {
                    return;
                }
                String item = name + "=" + value + "  ";
                if (line.length() + item.length() > 100) {
                    out.println(line.toString().stripTrailing());
                    line.setLength(2);
                }
                line.append(item);
            });
            out.println(line.toString().stripTrailing());
        });
    }

    private InetSocketAddress startTcpEcho(InetSocketAddress at) throws IOException {
        ServerSocketChannel server = DmmSockets.openServer();
        server.bind(at);
        return serve(server);
    }

    /** Binds a server to the first free port of a range, so the range rule applies to its clients. */
    private InetSocketAddress startTcpEchoInRange(InetAddress address, int first, int last) throws IOException {
        for (int port = first; port <= last; port++) {
            ServerSocketChannel server = DmmSockets.openServer();
            try {
                server.bind(new InetSocketAddress(address, port));
                return serve(server);
            } catch (BindException inUse) {
                server.close();
            }
        }
        throw new BindException("no free port in " + first + "-" + last + " on " + address.getHostAddress());
    }

    private InetSocketAddress serve(ServerSocketChannel server) throws IOException {
        InetSocketAddress local = (InetSocketAddress) server.getLocalAddress();
        servers.add(server);
        out.printf("  tcp echo on %-22s %s%n", format(local), describe(server));
        Thread t = Thread.ofPlatform().daemon().name("echo-" + local.getPort()).start(() -> acceptLoop(server));
        serverThreads.add(t);
        return local;
    }

    private void acceptLoop(ServerSocketChannel server) {
        while (server.isOpen()) {
            try {
                SocketChannel conn = server.accept();
                Thread.ofVirtual().start(() -> echo(conn));
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                out.println("  server error: " + e);
                return;
            }
        }
    }

    /** Echoes one line back, prefixed with the peer address the server saw. */
    private static void echo(SocketChannel conn) {
        try (conn) {
            ByteBuffer in = ByteBuffer.allocate(1024);
            while (in.position() == 0 || in.get(in.position() - 1) != '\n') {
                if (conn.read(in) < 0) {
                    return;
                }
            }
            String line = new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
            String reply = "peer=" + format((InetSocketAddress) conn.getRemoteAddress()) + " " + line;
            ByteBuffer outBuf = ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8));
            while (outBuf.hasRemaining()) {
                conn.write(outBuf);
            }
        } catch (IOException ignored) {
            // the client went away; nothing to echo to
        }
    }

    private InetSocketAddress startUdpEcho(InetSocketAddress at) throws IOException {
        DatagramChannel server = DmmSockets.openDatagram();
        server.bind(at);
        InetSocketAddress local = (InetSocketAddress) server.getLocalAddress();
        servers.add(server);
        out.printf("  udp echo on %-22s %s%n", format(local), describe(server));
        Thread t = Thread.ofPlatform().daemon().name("udp-echo-" + local.getPort()).start(() -> {
            ByteBuffer buf = ByteBuffer.allocate(2048);
            while (server.isOpen()) {
                try {
                    buf.clear();
                    SocketAddress from = server.receive(buf);
                    String msg = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
                    server.send(ByteBuffer.wrap(("peer=" + format((InetSocketAddress) from) + " " + msg)
                            .getBytes(StandardCharsets.UTF_8)), from);
                } catch (IOException closed) {
                    return;
                }
            }
        });
        serverThreads.add(t);
        return local;
    }

    private void tcpClient(String label, InetSocketAddress server, RouteHints hints) throws IOException {
        connections++;
        try (SocketChannel ch = DmmSockets.open(hints)) {
            ch.connect(server);
            String msg = "hello from " + label + "\n";
            ByteBuffer buf = ByteBuffer.wrap(msg.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ByteBuffer reply = ByteBuffer.allocate(1024);
            while (reply.position() == 0 || reply.get(reply.position() - 1) != '\n') {
                if (ch.read(reply) < 0) {
                    break;
                }
            }
            String text = new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8);
            report(label, "tcp", server, ch, text, msg);
        } catch (IOException e) {
            failures++;
            out.printf("  %-42s FAILED: %s%n", label, e);
        }
    }

    private void udpSender(String label, InetSocketAddress server) throws IOException {
        connections++;
        try (DatagramChannel ch = DmmSockets.openDatagram()) {
            String msg = "hello from " + label + "\n";
            ch.send(ByteBuffer.wrap(msg.getBytes(StandardCharsets.UTF_8)), server);
            ByteBuffer reply = ByteBuffer.allocate(2048);
            ch.receive(reply);
            String text = new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8);
            report(label, "udp", server, ch, text, msg);
        }
    }

    private void report(String label, String proto, InetSocketAddress server, Channel ch, String reply, String sent) {
        boolean ok = reply.endsWith(" " + sent);
        if (!ok) {
            failures++;
        }
        String peer = reply.startsWith("peer=") ? reply.substring(5, reply.indexOf(' ')) : "?";
        out.printf("  %-42s %s -> %-22s %s%n", label, proto, format(server), describe(ch));
        out.printf("  %-42s echo %s, server saw peer %s%n", "", ok ? "ok" : "WRONG: " + reply.strip(), peer);
    }

    private static String describe(Channel ch) {
        return DmmSockets.routeOf(ch)
                .map(DmmDemo::describe)
                .orElse("(not routed)");
    }

    private static String describe(RouteExplanation e) {
        String source = e.source().substring(e.source().lastIndexOf('/') + 1); // file name and line
        String rule = e.matchedRule() ? "rule #" + e.ruleIndex() + " (" + source + ")" : source;
        return "stack " + String.join("+", e.stacks()) + "  <- " + rule;
    }

    private static String format(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private void stopServers() {
        for (AutoCloseable s : servers) {
            try {
                s.close();
            } catch (Exception ignored) {
                // closing during shutdown: nothing useful to do
            }
        }
        for (Thread t : serverThreads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
