package io.dmm.core.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal HTTP CONNECT proxy: reads "CONNECT host:port HTTP/1.1" and its headers, connects,
 * answers 200 and relays.
 *
 * <p>Built on java.net sockets, routed by the policy like the program's others once DMM's factories
 * are installed: the tunnel the JDK opens to an HTTP proxy is a {@code new Socket(Proxy.NO_PROXY)},
 * routed by the proxy's address, so the proxy must listen on the stack the policy gives that
 * address (the userspace stack's sockets are out of a kernel socket's reach, and back).
 */
final class HttpConnectProxy implements AutoCloseable {
    private final ServerSocket server;
    final AtomicInteger tunnels = new AtomicInteger();

    HttpConnectProxy(InetSocketAddress bindTo) throws IOException {
        server = new ServerSocket();
        server.bind(bindTo);
        Thread.ofPlatform().daemon().start(this::acceptLoop);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket client = server.accept();
                Thread.ofPlatform().daemon().start(() -> handle(client));
            }
        } catch (IOException closed) {
            // server closed: done
        }
    }

    private void handle(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
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
            try (Socket upstream = new Socket(Proxy.NO_PROXY)) {
                upstream.connect(new InetSocketAddress(host, port));
                tunnels.incrementAndGet();
                out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                OutputStream toUpstream = upstream.getOutputStream();
                Thread up = Thread.ofPlatform().daemon().start(() -> Socks5Server.pump(in, toUpstream));
                Socks5Server.pump(upstream.getInputStream(), out);
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
