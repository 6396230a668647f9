package io.dmm.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A connected client/server pair, both ends opened by the same transport: the server bound to the
 * transport's {@link Transport#bindAddress() bind address} (loopback, or a userspace instance's
 * address), the client connected to it.
 */
final class LoopbackPair implements AutoCloseable {
    final SocketChannel client;
    final SocketChannel server;

    private LoopbackPair(SocketChannel client, SocketChannel server) {
        this.client = client;
        this.server = server;
    }

    static LoopbackPair open(Transport transport) throws IOException {
        try (ServerSocketChannel listener = transport.openServer()) {
            listener.bind(new InetSocketAddress(transport.bindAddress(), 0));
            SocketChannel client = transport.openClient();
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            client.connect(listener.getLocalAddress());
            SocketChannel server = listener.accept();
            server.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return new LoopbackPair(client, server);
        }
    }

    @Override
    public void close() throws IOException {
        try (client; server) {
            // closes both
        }
    }
}
