package io.dmm.agent.compat;

import static io.dmm.agent.compat.Compat.fact;

/**
 * The JDK's HttpClient (HTTP/1.1, a selector manager thread over {@code Selector.open()}) against
 * com.sun.net.httpserver.HttpServer (a {@code ServerSocketChannel} and its own selector), unmodified,
 * under the agent: concurrent GETs, then sequential POSTs on kept-alive connections.
 */
public final class HttpClientApp {
    private HttpClientApp() {
    }

    public static void main(String[] args) throws Exception {
        Compat.provider();
        int served;
        try (JdkEchoServer server = new JdkEchoServer()) {
            EchoRequests.run(server.base());
            served = server.connectionsServed();
        }
        fact("http.server.connections", served);
        Compat.stats();
    }
}
