package io.dmm.core.net;

import static io.dmm.core.net.Transcript.t;

import java.io.DataInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** TLS over DMM sockets: SSLServerSocket, SSLSocket from a factory, and TLS layered over a plain Socket. */
final class TlsScenarios {
    static final char[] PASSWORD = "changeit".toCharArray();

    private TlsScenarios() {
    }

    static void both(String keyStorePath) throws Exception {
        SSLContext ctx = context(Path.of(keyStorePath));
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory()
                .createServerSocket(NetScenario.altPort(), 50, lo)) {
            Thread echo = Thread.ofPlatform().start(() -> serve(server));
            try (SSLSocket direct = (SSLSocket) ctx.getSocketFactory().createSocket(lo, server.getLocalPort())) {
                talk("factory socket", direct);
            }
            try (Socket plain = new Socket(lo, server.getLocalPort());
                 SSLSocket layered = (SSLSocket) ctx.getSocketFactory()
                         .createSocket(plain, "localhost", server.getLocalPort(), true)) {
                talk("layered socket", layered);
                t("layered over connected plain " + plain.isConnected());
            }
            echo.join(10_000);
        }
    }

    private static void talk(String label, SSLSocket s) throws Exception {
        s.startHandshake();
        byte[] msg = ("secret via " + label).getBytes(StandardCharsets.UTF_8);
        s.getOutputStream().write(msg);
        s.getOutputStream().flush();
        byte[] back = new byte[msg.length];
        new DataInputStream(s.getInputStream()).readFully(back);
        t(label + " " + s.getSession().getProtocol() + " echo " + new String(back, StandardCharsets.UTF_8));
    }

    /** Accepts two connections and echoes each until EOF. */
    private static void serve(SSLServerSocket server) {
        for (int i = 0; i < 2; i++) {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                byte[] buf = new byte[256];
                int n;
                while ((n = in.read(buf)) > 0) {
                    s.getOutputStream().write(buf, 0, n);
                    s.getOutputStream().flush();
                }
            } catch (Exception e) {
                t("server failed " + Transcript.describe(e));
            }
        }
    }

    private static SSLContext context(Path keyStore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks); // the self-signed certificate trusts itself
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
