package io.dmm.agent.compat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * Embedded Tomcat with the connector protocol named by the argument (Http11NioProtocol or
 * Http11Nio2Protocol), unmodified, a servlet answering the {@link EchoRequests} contract to the JDK's
 * HttpClient; only the address is set, to the loopback address.
 */
public final class TomcatApp {
    private TomcatApp() {
    }

    public static void main(String[] args) throws Exception {
        Compat.provider();
        Path base = Files.createTempDirectory("dmm-tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector(args[0]);
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setThrowOnFailure(true); // else Tomcat logs a connector that failed to bind, and starts without it
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", base.toString());
        Tomcat.addServlet(context, "echo", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                byte[] reply = EchoRequests.reply(request.getMethod(), request.getQueryString(), body)
                        .getBytes(StandardCharsets.UTF_8);
                response.setStatus(200);
                response.setContentLength(reply.length);
                response.getOutputStream().write(reply);
            }
        });
        context.addServletMappingDecoded("/*", "echo");
        tomcat.start();
        try {
            Compat.fact("tomcat.protocol", connector.getProtocolHandler().getClass().getName());
            EchoRequests.run("http://127.0.0.1:" + connector.getLocalPort() + "/");
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
        Compat.stats();
    }
}
