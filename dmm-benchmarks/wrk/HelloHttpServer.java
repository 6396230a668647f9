import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.Executors;

/**
 * The server of wrk-http.sh: the JDK's com.sun.net.httpserver.HttpServer and nothing else, run as a
 * single-file program ({@code java HelloHttpServer.java ADDRESS PORT}) by the plain JDK on the
 * kernel and under DMM's agent on the userspace stack, so both runs serve with the same code.
 * {@code GET /N} answers N bytes (at most 1 MiB). Prints "listening" once it serves; runs until killed.
 * The one setting it makes is the JDK's {@code sun.net.httpserver.maxIdleConnections}, so that it
 * keeps every connection wrk opens.
 */
public final class HelloHttpServer {
    /** Handler threads: HttpServer's dispatcher thread parses, these write the responses. */
    private static final int THREADS = 4;
    /** The accept backlog: wrk opens up to 400 connections at once. */
    private static final int BACKLOG = 1024;
    private static final int MAX_BODY = 1 << 20;
    /**
     * Idle keep-alive connections the server keeps. The JDK's default, 200, makes it close some of
     * wrk's 400 connections between requests (wrk counts them as read errors and opens new ones):
     * the run then measured the servers' connection churn, which cost the kernel's run far more
     * (279,389 errors against 24,544 in 20 s; requests/s 0.95 of the kernel's with the default, 0.74
     * to 0.77 without the churn, docs/benchmarks.md). A property of the JDK's module, set for both.
     */
    private static final String MAX_IDLE_CONNECTIONS = "1024";

    public static void main(String[] args) throws Exception {
        System.setProperty("sun.net.httpserver.maxIdleConnections", MAX_IDLE_CONNECTIONS);
        byte[] bytes = new byte[MAX_BODY];
        Arrays.fill(bytes, (byte) 'x');
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1])), BACKLOG);
        server.createContext("/", exchange -> {
            int length;
            try {
                length = Math.min(MAX_BODY, Integer.parseInt(exchange.getRequestURI().getPath().substring(1)));
            } catch (NumberFormatException e) {
                length = 0;
            }
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, length == 0 ? -1 : length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(bytes, 0, length);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(THREADS));
        server.start();
        System.out.println("listening on " + args[0] + ":" + args[1]);
    }
}
