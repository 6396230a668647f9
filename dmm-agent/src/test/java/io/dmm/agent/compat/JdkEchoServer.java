package io.dmm.agent.compat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * com.sun.net.httpserver.HttpServer (a {@code ServerSocketChannel} and its own selector) answering the
 * {@link EchoRequests} contract on the loopback address, and counting the connections it served.
 */
final class JdkEchoServer implements AutoCloseable {
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final Set<Integer> peerPorts = ConcurrentHashMap.newKeySet(); // one per connection served
    private final HttpServer server;

    JdkEchoServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(Compat.LOOPBACK, 0), 0);
        server.createContext("/", exchange -> {
            peerPorts.add(exchange.getRemoteAddress().getPort());
            String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] reply = EchoRequests.reply(exchange.getRequestMethod(), exchange.getRequestURI().getRawQuery(),
                    request).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.setExecutor(threads);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    int connectionsServed() {
        return peerPorts.size();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
