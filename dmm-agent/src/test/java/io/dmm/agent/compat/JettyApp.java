package io.dmm.agent.compat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty 12 (core API, no servlets) with its default {@link ServerConnector}, unmodified, answering the
 * {@link EchoRequests} contract to the JDK's HttpClient; only the host is set, to the loopback address.
 */
public final class JettyApp {
    private JettyApp() {
    }

    public static void main(String[] args) throws Exception {
        Compat.provider();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                byte[] reply = EchoRequests.reply(request.getMethod(), request.getHttpURI().getQuery(), body)
                        .getBytes(StandardCharsets.UTF_8);
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.length);
                response.write(true, ByteBuffer.wrap(reply), callback);
                return true;
            }
        });
        server.start();
        try {
            EchoRequests.run("http://127.0.0.1:" + connector.getLocalPort() + "/");
        } finally {
            server.stop();
        }
        Compat.stats();
    }
}
