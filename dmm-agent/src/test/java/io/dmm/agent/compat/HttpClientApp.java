package io.dmm.agent.compat;

import static io.dmm.agent.compat.Compat.fact;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's HttpClient (HTTP/1.1, a selector manager thread over {@code Selector.open()}) against
 * com.sun.net.httpserver.HttpServer (a {@code ServerSocketChannel} and its own selector), unmodified,
 * under the agent: concurrent GETs, then sequential POSTs on kept-alive connections.
 */
public final class HttpClientApp {
    static final int GETS = 64;
    static final int POSTS = 16;

    private HttpClientApp() {
    }

    public static void main(String[] args) throws Exception {
        Compat.provider();
        ExecutorService serverThreads = Executors.newFixedThreadPool(4);
        Set<Integer> peerPorts = ConcurrentHashMap.newKeySet(); // one per connection the server served
        HttpServer server = HttpServer.create(new InetSocketAddress(Compat.LOOPBACK, 0), 0);
        server.createContext("/", exchange -> {
            peerPorts.add(exchange.getRemoteAddress().getPort());
            byte[] request = exchange.getRequestBody().readAllBytes();
            String body = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawQuery() + " "
                    + new String(request, StandardCharsets.UTF_8);
            byte[] reply = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.setExecutor(serverThreads);
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build()) {
            List<CompletableFuture<HttpResponse<String>>> gets = new ArrayList<>();
            for (int i = 0; i < GETS; i++) {
                gets.add(client.sendAsync(HttpRequest.newBuilder(URI.create(base + "get?n=" + i))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            int getsOk = 0;
            for (int i = 0; i < GETS; i++) {
                HttpResponse<String> r = gets.get(i).get(30, TimeUnit.SECONDS);
                if (r.statusCode() == 200 && r.body().equals("GET n=" + i + " ")) {
                    getsOk++;
                } else {
                    fact("http.get.bad." + i, r.statusCode() + " " + r.body());
                }
            }
            fact("http.gets.ok", getsOk);
            int postsOk = 0;
            for (int i = 0; i < POSTS; i++) {
                String payload = "payload-" + i + "-" + "x".repeat(1000 * i);
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "post?n=" + i))
                        .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(payload)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().equals("POST n=" + i + " " + payload)) {
                    postsOk++;
                } else {
                    fact("http.post.bad." + i, r.statusCode());
                }
            }
            fact("http.posts.ok", postsOk);
        } finally {
            server.stop(0);
            serverThreads.shutdownNow();
        }
        fact("http.server.connections", peerPorts.size());
        Compat.stats();
    }
}
