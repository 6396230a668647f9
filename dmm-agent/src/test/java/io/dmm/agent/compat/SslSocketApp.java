package io.dmm.agent.compat;

import static io.dmm.agent.compat.Compat.LOOPBACK;
import static io.dmm.agent.compat.Compat.fact;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * java.net TLS under the agent, as pre-NIO clients use it: an SSLServerSocket echoes; half the
 * clients are SSLSockets from the socket factory, half are TLS layered over a plain Socket
 * ({@code createSocket(socket, host, port, true)}). All of them come from DMM's SocketImpl
 * factories, so the counters show them on the stacks the policy names.
 */
public final class SslSocketApp {
    static final int CONNECTIONS = 8;
    static final int MESSAGE = 4096;

    private SslSocketApp() {
    }

    public static void main(String[] args) throws Exception {
        Compat.provider();
        SSLContext tls = SslEngineApp.context();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try (SSLServerSocket server = (SSLServerSocket) tls.getServerSocketFactory()
                .createServerSocket(0, 50, LOOPBACK)) {
            Future<List<Future<Void>>> acceptor = pool.submit(() -> {
                List<Future<Void>> echoes = new ArrayList<>();
                for (int i = 0; i < CONNECTIONS; i++) {
                    Socket s = server.accept();
                    echoes.add(pool.submit(() -> echo(s)));
                }
                return echoes;
            });
            int intact = 0;
            String protocol = null;
            for (int i = 0; i < CONNECTIONS; i++) {
                boolean layered = i % 2 == 1;
                try (SSLSocket client = layered
                        ? (SSLSocket) tls.getSocketFactory().createSocket(new Socket(LOOPBACK, server.getLocalPort()),
                                "localhost", server.getLocalPort(), true)
                        : (SSLSocket) tls.getSocketFactory().createSocket(LOOPBACK, server.getLocalPort())) {
                    client.startHandshake();
                    protocol = client.getSession().getProtocol();
                    byte[] msg = new byte[MESSAGE];
                    Arrays.fill(msg, (byte) i);
                    OutputStream out = client.getOutputStream();
                    out.write(msg);
                    out.flush();
                    InputStream in = client.getInputStream();
                    if (Arrays.equals(msg, in.readNBytes(MESSAGE))) {
                        intact++;
                    }
                }
            }
            for (Future<Void> echo : acceptor.get(30, TimeUnit.SECONDS)) {
                echo.get(30, TimeUnit.SECONDS); // a server side that failed fails the app
            }
            fact("tls.socket.protocol", protocol);
            fact("tls.socket.echo.intact", intact);
        } finally {
            pool.shutdown();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
        Compat.stats();
    }

    private static Void echo(Socket s) throws Exception {
        try (s) {
            byte[] in = s.getInputStream().readNBytes(MESSAGE);
            s.getOutputStream().write(in);
            s.getOutputStream().flush();
        }
        return null;
    }
}
