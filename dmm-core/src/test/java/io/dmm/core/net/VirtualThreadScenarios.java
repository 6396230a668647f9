package io.dmm.core.net;

import static io.dmm.core.net.Transcript.t;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread-per-connection server on virtual threads with 1,000 of them blocked in reads (fewer
 * where the open-files limit says so: the test passes the number in {@link #CONNECTIONS_PROPERTY}),
 * run with one carrier thread (-Djdk.virtualThreadScheduler.parallelism=1): had any blocked read
 * pinned its carrier, nothing else could run — the accept loop, the next connection, a fresh
 * virtual thread.
 */
final class VirtualThreadScenarios {
    static final int CONNECTIONS = 1000;
    static final String CONNECTIONS_PROPERTY = "dmm.test.connections";

    private VirtualThreadScenarios() {
    }

    static void thousandBlockedReaders() throws Exception {
        int connections = Integer.getInteger(CONNECTIONS_PROPERTY, CONNECTIONS);
        InetAddress lo = InetAddress.getLoopbackAddress();
        AtomicInteger reading = new AtomicInteger();
        AtomicInteger echoed = new AtomicInteger();
        List<Socket> clients = new ArrayList<>();
        try (ServerSocket ss = new ServerSocket(NetScenario.altPort(), connections, lo)) {
            Thread.ofVirtual().start(() -> {
                while (true) {
                    try {
                        Socket s = ss.accept();
                        Thread.ofVirtual().start(() -> {
                            try (s) {
                                InputStream in = s.getInputStream();
                                reading.incrementAndGet();
                                int b = in.read(); // blocks until the client writes
                                s.getOutputStream().write(b + 1);
                                echoed.incrementAndGet();
                                in.read(); // until the client closes
                            } catch (Exception e) {
                                // client closed
                            }
                        });
                    } catch (Exception closed) {
                        return;
                    }
                }
            });
            for (int i = 0; i < connections; i++) {
                clients.add(new Socket(lo, ss.getLocalPort()));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (reading.get() < connections && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            t("blocked readers " + reading.get());
            CountDownLatch ran = new CountDownLatch(1);
            long t0 = System.nanoTime();
            Thread.ofVirtual().start(ran::countDown);
            t("fresh virtual thread ran " + ran.await(5, TimeUnit.SECONDS));
            System.out.println("J fresh virtual thread after ms " + (System.nanoTime() - t0) / 1_000_000);
            int ok = 0;
            for (Socket c : clients) {
                c.getOutputStream().write(7);
            }
            for (Socket c : clients) {
                ok += c.getInputStream().read() == 8 ? 1 : 0;
            }
            while (echoed.get() < connections && System.nanoTime() < deadline) {
                Thread.sleep(10); // the server counts after its write: the client may read first
            }
            t("echoed " + ok + " server " + echoed.get());
            for (Socket c : clients) {
                c.close();
            }
        }
    }
}
