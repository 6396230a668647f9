package io.dmm.agent.compat;

import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Undertow (XNIO's NIO transport), unmodified, a non-blocking handler answering the {@link EchoRequests}
 * contract to the JDK's HttpClient.
 */
public final class UndertowApp {
    private UndertowApp() {
    }

    public static void main(String[] args) throws Exception {
        Compat.provider();
        Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setIoThreads(2).setWorkerThreads(4)
                .setHandler(exchange -> exchange.getRequestReceiver().receiveFullString((ex, body) -> {
                    String reply = EchoRequests.reply(ex.getRequestMethod().toString(), ex.getQueryString(), body);
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=UTF-8");
                    ex.getResponseSender().send(reply, StandardCharsets.UTF_8);
                }, StandardCharsets.UTF_8))
                .build();
        server.start();
        try {
            InetSocketAddress address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
            EchoRequests.run("http://127.0.0.1:" + address.getPort() + "/");
        } finally {
            server.stop();
        }
        Compat.stats();
    }
}
