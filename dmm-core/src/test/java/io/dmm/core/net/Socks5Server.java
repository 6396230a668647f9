package io.dmm.core.net;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal SOCKS5 server (no authentication, CONNECT to IPv4 only) on loopback. Counts the
 * connections it relayed.
 *
 * <p>It listens on a raw JDK channel, which no java.net factory affects: the JDK's SOCKS sockets
 * are platform sockets that reach a proxy over the kernel whatever DMM does, so the proxy must be
 * there. Its connections to the targets are java.net sockets ({@code Proxy.NO_PROXY}: not back
 * through itself when it is the ProxySelector's choice), routed by the policy like any of the
 * program's sockets once DMM's factories are installed, so it reaches a target on whichever stack
 * serves it (the userspace stack's targets are out of a kernel socket's reach).
 */
final class Socks5Server implements AutoCloseable {
    private final ServerSocketChannel server;
    final AtomicInteger relayed = new AtomicInteger();

    Socks5Server() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
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
            DataInputStream in = new DataInputStream(Channels.newInputStream(client));
            OutputStream out = Channels.newOutputStream(client);
            int version = in.readUnsignedByte();
            int methods = in.readUnsignedByte();
            in.readFully(new byte[methods]);
            if (version != 5) {
                return;
            }
            out.write(new byte[] {5, 0}); // no authentication
            byte[] req = new byte[4];
            in.readFully(req);                       // VER CMD RSV ATYP
            if (req[1] != 1 || req[3] != 1) {
                out.write(new byte[] {5, 7, 0, 1, 0, 0, 0, 0, 0, 0}); // command/address type not supported
                return;
            }
            byte[] addr = new byte[4];
            in.readFully(addr);
            int port = in.readUnsignedShort();
            try (Socket target = new Socket(Proxy.NO_PROXY)) {
                target.connect(new InetSocketAddress(InetAddress.getByAddress(addr), port));
                relayed.incrementAndGet();
                out.write(new byte[] {5, 0, 0, 1, 0, 0, 0, 0, 0, 0});
                OutputStream toTarget = target.getOutputStream();
                Thread up = Thread.ofPlatform().daemon().start(() -> pump(in, toTarget));
                pump(target.getInputStream(), out);
                up.join();
            }
        } catch (IOException | InterruptedException e) {
            // a client that went away: nothing to relay
        }
    }

    static void pump(InputStream from, OutputStream to) {
        try {
            from.transferTo(to);
        } catch (IOException ignored) {
            // either side closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
