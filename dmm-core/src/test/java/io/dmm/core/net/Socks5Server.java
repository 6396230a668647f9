package io.dmm.core.net;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal SOCKS5 server (no authentication, CONNECT to IPv4 only) on loopback, built on raw JDK
 * channels so that no java.net factory affects it. Counts the connections it relayed.
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
            try (SocketChannel target = SocketChannel.open(new InetSocketAddress(InetAddress.getByAddress(addr), port))) {
                relayed.incrementAndGet();
                out.write(new byte[] {5, 0, 0, 1, 0, 0, 0, 0, 0, 0});
                Thread up = Thread.ofPlatform().daemon().start(() -> pump(in, Channels.newOutputStream(target)));
                pump(Channels.newInputStream(target), out);
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
