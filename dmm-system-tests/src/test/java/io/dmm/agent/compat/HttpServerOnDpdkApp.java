package io.dmm.agent.compat;

import static io.dmm.agent.compat.Compat.fact;

import com.sun.net.httpserver.HttpServer;
import io.dmm.api.DmmSockets;
import io.dmm.api.StackStats;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * com.sun.net.httpserver.HttpServer, unmodified, whose sockets DMM routes to a userspace stack on a
 * DPDK tap port (the policy of {@link HttpServerOnDpdkTest}). Prints {@code listening=...} once it
 * serves, answers every GET with its own path, and stops at the end of its standard input (the test
 * closes it when Linux's curl is done); then prints its facts.
 *
 * <p>Arguments: the address and port to listen on (the userspace stack's).
 */
public final class HttpServerOnDpdkApp {
    private HttpServerOnDpdkApp() {
    }

    public static void main(String[] args) throws Exception {
        Compat.provider();
        for (StackStats s : DmmSockets.stats().stacks()) fact("health." + s.name(), s.health());
        AtomicInteger requests = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1])), 0);
        server.createContext("/", exchange -> {
            byte[] reply = ("path " + exchange.getRequestURI().getPath() + "\n").getBytes(StandardCharsets.US_ASCII);
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
            requests.incrementAndGet();
        });
        server.setExecutor(threads);
        server.start();
        fact("listening", args[0] + ":" + args[1]);
        System.out.flush();

        System.in.readAllBytes(); // until the test closes our stdin
        server.stop(0);
        threads.shutdown();
        fact("http.requests", requests.get());
        Compat.stats();
        for (StackStats s : DmmSockets.stats().stacks()) {
            s.stackCounters().forEach((k, v) -> fact("counter." + s.name() + "." + k, v));
        }
    }
}
