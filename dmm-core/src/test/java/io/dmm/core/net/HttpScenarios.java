package io.dmm.core.net;

import static io.dmm.core.net.Transcript.t;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A library on top of java.net.Socket: HttpURLConnection (whose sockets come from
 * {@code new Socket(Proxy.NO_PROXY)}, i.e. the factory) against the JDK's HttpServer (NIO
 * channels: not affected by the java.net factories).
 */
final class HttpScenarios {
    private HttpScenarios() {
    }

    static void urlConnection() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                NetScenario.altPort()), 10);
        server.createContext("/", exchange -> {
            byte[] body = "hello over http".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            HttpURLConnection conn = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            try (InputStream in = conn.getInputStream()) {
                t("http " + conn.getResponseCode() + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            conn.disconnect();
        } finally {
            server.stop(0);
        }
    }
}
