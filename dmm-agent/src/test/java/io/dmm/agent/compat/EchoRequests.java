package io.dmm.agent.compat;

import static io.dmm.agent.compat.Compat.fact;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP echo contract every server of the suite implements, and the exchange that checks it through
 * an HTTP client: concurrent GETs, then sequential POSTs of growing bodies on kept-alive connections,
 * each answered 200 with exactly {@link #reply}. Prints {@code http.gets.ok} and {@code http.posts.ok}.
 */
final class EchoRequests {
    static final int GETS = 64;
    static final int POSTS = 16;

    /** An HTTP client: a GET ({@code body} null) or a POST of {@code body}, answered asynchronously. */
    interface Client {
        Future<Reply> send(URI uri, String body) throws Exception;
    }

    record Reply(int status, String body) {
    }

    private EchoRequests() {
    }

    /** The body a server answers: the method, the raw query and the request body it read. */
    static String reply(String method, String rawQuery, String requestBody) {
        return method + " " + rawQuery + " " + requestBody;
    }

    /** The body of the {@code n}th POST: from 8 bytes to 15 kB, so that the larger ones span many segments. */
    static String payload(int n) {
        return "payload-" + n + "-" + "x".repeat(1000 * n);
    }

    /** Runs the GETs and POSTs against {@code base} (ending in '/') with the JDK's HttpClient (HTTP/1.1). */
    static void run(String base) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build()) {
            run(base, (uri, body) -> {
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
                if (body != null) {
                    request.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
                }
                return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                        .thenApply(r -> new Reply(r.statusCode(), r.body()));
            });
        }
    }

    /** Runs the GETs and POSTs against {@code base} (ending in '/') with {@code client}. */
    static void run(String base, Client client) throws Exception {
        List<Future<Reply>> gets = new ArrayList<>();
        for (int i = 0; i < GETS; i++) {
            gets.add(client.send(URI.create(base + "get?n=" + i), null));
        }
        int getsOk = 0;
        for (int i = 0; i < GETS; i++) {
            Reply r = gets.get(i).get(30, TimeUnit.SECONDS);
            if (r.status() == 200 && r.body().equals(reply("GET", "n=" + i, ""))) {
                getsOk++;
            } else {
                fact("http.get.bad." + i, r.status() + " " + r.body());
            }
        }
        fact("http.gets.ok", getsOk);
        int postsOk = 0;
        for (int i = 0; i < POSTS; i++) {
            String payload = payload(i);
            Reply r = client.send(URI.create(base + "post?n=" + i), payload).get(30, TimeUnit.SECONDS);
            if (r.status() == 200 && r.body().equals(reply("POST", "n=" + i, payload))) {
                postsOk++;
            } else {
                fact("http.post.bad." + i, r.status());
            }
        }
        fact("http.posts.ok", postsOk);
    }
}
