package io.dmm.core.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal HTTP CONNECT proxy on raw JDK channels (no java.net factory affects it): reads
 * "CONNECT host:port HTTP/1.1" and its headers, connects, answers 200 and relays.
 */
final class HttpConnectProxy implements AutoCloseable {
    private final ServerSocketChannel server;
    final AtomicInteger tunnels = new AtomicInteger();

    HttpConnectProxy(InetSocketAddress bindTo) throws IOException {
        server = ServerSocketChannel.open().bind(bindTo);
        Thread.ofPlatform().daemon().start(this::acceptLoop);
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) server.getLocalAddress();
    }

    private void acceptLoop() {
        try {
            while (true) {
                SocketChannel client = server.accept();
                Thread.ofPlatform().daemon().start(() -> handle(client));
            }
        } catch (IOException closed) {
            // server closed: done
        }
    }

    private void handle(SocketChannel client) {
        try (client) {
            InputStream in = Channels.newInputStream(client);
            OutputStream out = Channels.newOutputStream(client);
            String head = readHead(in);
            String[] requestLine = head.split("\r\n", 2)[0].split(" ");
            if (!requestLine[0].equals("CONNECT")) {
                out.write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            String target = requestLine[1];
            int colon = target.lastIndexOf(':');
            String host = target.substring(0, colon).replace("[", "").replace("]", "");
            int port = Integer.parseInt(target.substring(colon + 1));
            try (SocketChannel upstream = SocketChannel.open(new InetSocketAddress(host, port))) {
                tunnels.incrementAndGet();
                out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                Thread up = Thread.ofPlatform().daemon().start(
                        () -> Socks5Server.pump(in, Channels.newOutputStream(upstream)));
                Socks5Server.pump(Channels.newInputStream(upstream), out);
                up.join();
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // a client that went away or a request this proxy does not understand
        }
    }

    /** The request line and headers, up to the empty line (byte by byte: nothing after it is consumed). */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("EOF in request head");
            }
            buf.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return buf.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
