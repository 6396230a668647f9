package io.dmm.agent.compat;

import static io.dmm.agent.compat.Compat.fact;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * Apache HttpAsyncClient 5 (its own I/O reactor over NIO selectors, a connection pool), unmodified, running
 * the {@link EchoRequests} exchange against com.sun.net.httpserver.HttpServer.
 */
public final class HttpAsyncClientApp {
    private HttpAsyncClientApp() {
    }

    public static void main(String[] args) throws Exception {
        Compat.provider();
        int served;
        try (JdkEchoServer server = new JdkEchoServer();
                CloseableHttpAsyncClient client = HttpAsyncClients.custom()
                        .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(2)
                                .setSoTimeout(Timeout.ofSeconds(20)).build())
                        .build()) {
            client.start();
            EchoRequests.run(server.base(), (uri, body) -> {
                SimpleRequestBuilder request = body == null ? SimpleRequestBuilder.get(uri)
                        : SimpleRequestBuilder.post(uri).setBody(body, ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8));
                CompletableFuture<EchoRequests.Reply> reply = new CompletableFuture<>();
                client.execute(request.build(), new FutureCallback<SimpleHttpResponse>() {
                    @Override
                    public void completed(SimpleHttpResponse r) {
                        reply.complete(new EchoRequests.Reply(r.getCode(), r.getBodyText()));
                    }

                    @Override
                    public void failed(Exception e) {
                        reply.completeExceptionally(e);
                    }

                    @Override
                    public void cancelled() {
                        reply.cancel(false);
                    }
                });
                return reply;
            });
            served = server.connectionsServed();
        }
        fact("http.server.connections", served);
        Compat.stats();
    }
}
