package io.dmm.agent.compat;

import static io.dmm.agent.compat.Compat.fact;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS with {@link SSLEngine} over non-blocking {@code SocketChannel}s, all driven by one
 * {@code Selector.open()} on one thread, as NIO TLS servers and clients do it: {@link #CONNECTIONS}
 * clients each handshake with the server and send {@link #MESSAGE} bytes, which the server echoes
 * through its own engine. The key pair is made with keytool in a temporary directory.
 */
public final class SslEngineApp {
    static final int CONNECTIONS = 16;
    static final int MESSAGE = 64 * 1024;
    private static final char[] PASSWORD = "changeit".toCharArray();

    private SslEngineApp() {
    }

    public static void main(String[] args) throws Exception {
        Compat.provider();
        SSLContext tls = context();
        byte[][] messages = new byte[CONNECTIONS][MESSAGE];
        for (int i = 0; i < CONNECTIONS; i++) {
            for (int j = 0; j < MESSAGE; j++) {
                messages[i][j] = (byte) (i * 31 + j * 7);
            }
        }
        List<TlsEnd> ends = new ArrayList<>();
        long start = System.nanoTime();
        try (Selector selector = Selector.open();
             ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(Compat.LOOPBACK, 0))) {
            fact("tls.selector", selector.getClass().getSimpleName());
            server.configureBlocking(false).register(selector, SelectionKey.OP_ACCEPT);
            List<TlsEnd> clients = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                SSLEngine engine = tls.createSSLEngine("localhost", 443);
                engine.setUseClientMode(true);
                TlsEnd client = new TlsEnd(ch, engine, false, ByteBuffer.wrap(messages[i]));
                ends.add(client);
                clients.add(client);
                ch.register(selector, SelectionKey.OP_CONNECT, client);
                ch.connect(server.getLocalAddress());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (clients.stream().anyMatch(c -> !c.done()) && System.nanoTime() < deadline) {
                selector.select(500);
                for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        SocketChannel accepted;
                        while ((accepted = server.accept()) != null) {
                            accepted.configureBlocking(false);
                            SSLEngine engine = tls.createSSLEngine();
                            engine.setUseClientMode(false);
                            TlsEnd end = new TlsEnd(accepted, engine, true, ByteBuffer.allocate(MESSAGE));
                            ends.add(end);
                            end.key = accepted.register(selector, SelectionKey.OP_READ, end);
                            end.pump();
                        }
                        continue;
                    }
                    TlsEnd end = (TlsEnd) key.attachment();
                    end.key = key;
                    if (key.isConnectable()) {
                        if (!end.ch.finishConnect()) {
                            continue;
                        }
                        key.interestOps(SelectionKey.OP_READ);
                        end.engine.beginHandshake();
                    }
                    end.pump();
                }
            }
            int handshakes = 0;
            int intact = 0;
            TreeSet<String> protocols = new TreeSet<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                TlsEnd c = clients.get(i);
                if (c.handshakeDone) {
                    handshakes++;
                    protocols.add(c.engine.getSession().getProtocol());
                }
                if (c.done() && Arrays.equals(messages[i], Arrays.copyOf(c.received.array(), c.received.position()))) {
                    intact++;
                }
            }
            long serverHandshakes = ends.stream().filter(e -> e.server && e.handshakeDone).count();
            fact("tls.ms", (System.nanoTime() - start) / 1_000_000);
            fact("tls.client.handshakes", handshakes);
            fact("tls.server.handshakes", serverHandshakes);
            fact("tls.protocols", String.join(",", protocols));
            fact("tls.echo.intact", intact);
        } finally {
            for (TlsEnd e : ends) {
                e.ch.close();
            }
        }
        Compat.stats();
    }

    /** One end of a TLS connection: its engine, its network buffers, what it received. */
    static final class TlsEnd {
        final SocketChannel ch;
        final SSLEngine engine;
        final boolean server;
        /** Application data to send (write mode: what is between 0 and position is pending). */
        final ByteBuffer appOut;
        /** Application data received. */
        final ByteBuffer received = ByteBuffer.allocate(MESSAGE);
        final ByteBuffer netIn;
        final ByteBuffer netOut;
        final ByteBuffer appIn;
        SelectionKey key;
        boolean handshakeDone;
        boolean eof;

        TlsEnd(SocketChannel ch, SSLEngine engine, boolean server, ByteBuffer toSend) {
            this.ch = ch;
            this.engine = engine;
            this.server = server;
            this.appOut = server ? toSend : ByteBuffer.allocate(MESSAGE).put(toSend);
            int packet = engine.getSession().getPacketBufferSize();
            this.netIn = ByteBuffer.allocate(packet * 2);
            this.netOut = ByteBuffer.allocate(packet * 2);
            this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        }

        boolean done() {
            return !server && received.position() == MESSAGE;
        }

        /** Reads, unwraps, runs tasks, wraps, writes: as far as it goes without blocking. */
        void pump() throws IOException {
            for (int round = 0; round < 100_000; round++) {
                boolean progress = false;
                if (!eof && netIn.hasRemaining()) {
                    int n = ch.read(netIn);
                    eof = n < 0;
                    progress = n > 0;
                }
                netIn.flip();
                while (netIn.hasRemaining()) {
                    SSLEngineResult r = engine.unwrap(netIn, appIn);
                    note(r);
                    deliver();
                    if (r.getStatus() != SSLEngineResult.Status.OK) {
                        break; // underflow: wait for more; overflow cannot happen, appIn is drained
                    }
                    progress |= r.bytesConsumed() > 0 || r.bytesProduced() > 0;
                    runTasks();
                    if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP
                            || r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                        break;
                    }
                }
                netIn.compact();
                runTasks();
                while (true) {
                    HandshakeStatus hs = engine.getHandshakeStatus();
                    boolean appData = hs == HandshakeStatus.NOT_HANDSHAKING && appOut.position() > 0;
                    if (hs != HandshakeStatus.NEED_WRAP && !appData) {
                        break;
                    }
                    appOut.flip();
                    SSLEngineResult r = engine.wrap(appOut, netOut);
                    appOut.compact();
                    note(r);
                    if (r.getStatus() != SSLEngineResult.Status.OK) {
                        break; // overflow: write netOut out first
                    }
                    progress = true;
                    runTasks();
                }
                netOut.flip();
                progress |= ch.write(netOut) > 0;
                netOut.compact();
                if (!progress) {
                    break;
                }
            }
            if (eof && server) {
                ch.close();
                return;
            }
            if (key != null && key.isValid()) {
                key.interestOps(SelectionKey.OP_READ | (netOut.position() > 0 ? SelectionKey.OP_WRITE : 0));
            }
        }

        private void note(SSLEngineResult r) {
            if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                handshakeDone = true;
            }
        }

        private void deliver() {
            appIn.flip();
            if (server) {
                appOut.put(appIn); // the echo
            } else {
                received.put(appIn);
            }
            appIn.clear();
        }

        private void runTasks() {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
                task.run();
            }
        }
    }

    /** A throw-away EC key pair and self-signed certificate, trusted by the clients. */
    static SSLContext context() throws Exception {
        Path dir = Files.createTempDirectory("dmm-tls");
        Path store = dir.resolve("tls.p12");
        try {
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "dmm", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit",
                    "-keypass", "changeit").redirectErrorStream(true).start();
            String out = new String(keytool.getInputStream().readAllBytes());
            if (!keytool.waitFor(30, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, PASSWORD);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } finally {
            Files.deleteIfExists(store);
            Files.delete(dir);
        }
    }
}
