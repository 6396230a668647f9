package io.dmm.agent.it;

import io.dmm.api.DmmSockets;
import io.dmm.api.RouteExplanation;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * The application the integration tests run under DMM, with plain JDK calls only (no DMM API
 * except to ask afterwards how its channels were routed). It prints {@code key=value} facts on
 * stdout for the test to check; any failure is an uncaught exception and a non-zero exit.
 */
public final class ProbeApp {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private ProbeApp() {
    }

    public static void main(String[] args) throws Exception {
        fact("main", "ran");
        SelectorProvider system = SelectorProvider.provider();
        fact("provider", system.getClass().getName());
        // the agent opens java.net to DMM (the unnamed module, this class's too) for DatagramPacket's lengths
        fact("javaNetOpen", Object.class.getModule().isOpen("java.net", ProbeApp.class.getModule()));
        openFacts();
        tcpEcho(system);
        selectorEcho();
        javaNetEcho();
        udpEcho();
        pipe();
        unixDomain();
        fact("stats", DmmSockets.stats().toTable().replace('\n', '|'));
    }

    private static void openFacts() throws Exception {
        try (SocketChannel a = SocketChannel.open(); SocketChannel b = SocketChannel.open(StandardProtocolFamily.INET);
             SocketChannel c = SocketChannel.open(StandardProtocolFamily.INET6);
             ServerSocketChannel d = ServerSocketChannel.open();
             ServerSocketChannel e = ServerSocketChannel.open(StandardProtocolFamily.INET6);
             DatagramChannel f = DatagramChannel.open();
             DatagramChannel g = DatagramChannel.open(StandardProtocolFamily.INET)) {
            fact("open.socket", names(a, b, c));
            fact("open.server", names(d, e));
            fact("open.datagram", names(f, g));
            fact("open.sameProvider", a.provider() == SelectorProvider.provider() && d.provider() == a.provider()
                    && f.provider() == a.provider());
        }
    }

    /** An echo over loopback: the policy routes servers and clients to different stacks. */
    private static void tcpEcho(SelectorProvider system) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()
                .bind(new InetSocketAddress(LOOPBACK, 0));
             SocketChannel client = SocketChannel.open(server.getLocalAddress());
             SocketChannel accepted = server.accept()) {
            client.write(ByteBuffer.wrap("ping".getBytes()));
            ByteBuffer in = ByteBuffer.allocate(4);
            while (in.hasRemaining()) {
                accepted.read(in);
            }
            accepted.write(in.flip());
            ByteBuffer back = ByteBuffer.allocate(4);
            while (back.hasRemaining()) {
                client.read(back);
            }
            fact("tcp.echo", new String(back.array()));
            fact("tcp.server.stacks", route(server));
            fact("tcp.client.stacks", route(client));
        }
    }

    /** A non-blocking echo driven by Selector.open(), as selector-based frameworks do it. */
    private static void selectorEcho() throws Exception {
        try (Selector selector = Selector.open();
             ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
             SocketChannel client = SocketChannel.open()) {
            fact("selector.class", selector.getClass().getSimpleName());
            fact("selector.sameProvider", selector.provider() == SelectorProvider.provider());
            server.configureBlocking(false).register(selector, SelectionKey.OP_ACCEPT);
            client.configureBlocking(false);
            client.register(selector, SelectionKey.OP_CONNECT, "client");
            client.connect(server.getLocalAddress());
            ByteBuffer reply = ByteBuffer.allocate(5);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (reply.hasRemaining() && System.nanoTime() < deadline) {
                selector.select(1000);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (key.isAcceptable()) {
                        SocketChannel accepted = server.accept();
                        accepted.configureBlocking(false).register(selector, SelectionKey.OP_READ, "accepted");
                    } else if (key.isConnectable() && client.finishConnect()) {
                        client.write(ByteBuffer.wrap("hello".getBytes()));
                        key.interestOps(SelectionKey.OP_READ);
                    } else if (key.isReadable() && "accepted".equals(key.attachment())) {
                        SocketChannel accepted = (SocketChannel) key.channel();
                        ByteBuffer in = ByteBuffer.allocate(16);
                        int n = accepted.read(in);
                        if (n < 0) {
                            accepted.close();
                        } else {
                            accepted.write(in.flip());
                        }
                    } else if (key.isReadable()) {
                        client.read(reply);
                    }
                }
            }
            fact("selector.echo", new String(reply.array(), 0, reply.position()));
            for (SelectionKey key : selector.keys()) {
                if ("accepted".equals(key.attachment())) {
                    key.channel().close();
                }
            }
        }
    }

    /** java.net sockets, as pre-NIO libraries use them: routed through DMM's SocketImpl factories. */
    private static void javaNetEcho() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
             Socket client = new Socket(LOOPBACK, server.getLocalPort());
             Socket accepted = server.accept()) {
            client.getOutputStream().write("net".getBytes());
            byte[] in = accepted.getInputStream().readNBytes(3);
            accepted.getOutputStream().write(in);
            fact("net.echo", new String(client.getInputStream().readNBytes(3)));
            fact("net.impl", client.getClass().getName() + " " + (client.getChannel() == null));
        }
        try (DatagramSocket receiver = new DatagramSocket(0, LOOPBACK); DatagramSocket sender = new DatagramSocket()) {
            byte[] msg = "dgram".getBytes();
            sender.send(new DatagramPacket(msg, msg.length, LOOPBACK, receiver.getLocalPort()));
            DatagramPacket p = new DatagramPacket(new byte[16], 16);
            receiver.receive(p);
            fact("net.udp", new String(p.getData(), 0, p.getLength()));
        }
    }

    private static void udpEcho() throws Exception {
        try (DatagramChannel receiver = DatagramChannel.open(StandardProtocolFamily.INET)
                .bind(new InetSocketAddress(LOOPBACK, 0));
             DatagramChannel sender = DatagramChannel.open()) {
            sender.send(ByteBuffer.wrap("udp".getBytes()), receiver.getLocalAddress());
            ByteBuffer in = ByteBuffer.allocate(8);
            receiver.receive(in);
            fact("udp.echo", new String(in.array(), 0, in.position()));
            fact("udp.sender.stacks", route(sender));
        }
    }

    private static void pipe() throws Exception {
        Pipe p = Pipe.open();
        try (var sink = p.sink(); var source = p.source()) {
            sink.write(ByteBuffer.wrap(new byte[] {1}));
            ByteBuffer in = ByteBuffer.allocate(1);
            fact("pipe", source.read(in) + " " + sink.getClass().getPackageName());
        }
    }

    private static void unixDomain() throws Exception {
        Path dir = Files.createTempDirectory("dmm-probe");
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("sock"));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(address);
             SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            client.connect(address);
            try (SocketChannel accepted = server.accept()) {
                client.write(ByteBuffer.wrap(new byte[] {2, 3}));
                ByteBuffer in = ByteBuffer.allocate(2);
                while (in.hasRemaining()) {
                    accepted.read(in);
                }
                fact("unix", in.position() + " " + server.getClass().getPackageName() + " "
                        + client.getClass().getPackageName());
            }
        } finally {
            Files.deleteIfExists(address.getPath());
            Files.delete(dir);
        }
    }

    private static String route(Channel ch) {
        return DmmSockets.routeOf(ch).map(RouteExplanation::stacks).map(s -> String.join("+", s)).orElse("unrouted");
    }

    private static String names(Channel... channels) {
        StringBuilder sb = new StringBuilder();
        for (Channel ch : channels) {
            sb.append(sb.isEmpty() ? "" : ",").append(ch.getClass().getSimpleName());
        }
        return sb.toString();
    }

    static void fact(String key, Object value) {
        System.out.println(key + "=" + value);
    }

}
