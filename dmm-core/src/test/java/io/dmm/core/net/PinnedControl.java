package io.dmm.core.net;

import static io.dmm.core.net.Transcript.t;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The negative control of {@link VirtualThreadScenarios}: the same one-carrier server, but its
 * first reader blocks inside a class initializer, which pins the carrier on JDK 25 whatever the
 * socket does. Progress must stop there — showing that the 1,000-reader run would notice a read
 * that pinned.
 */
final class PinnedControl {
    static final int CONNECTIONS = 50;
    private static volatile Socket first;

    private PinnedControl() {
    }

    /** Its initializer reads from {@link #first}: a blocking read inside {@code <clinit>}. */
    private static final class ReadsInInitializer {
        static final int BYTE;

        static {
            int b;
            try {
                b = first.getInputStream().read();
            } catch (IOException e) {
                b = -2;
            }
            BYTE = b;
        }
    }

    static void run() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        AtomicInteger reading = new AtomicInteger();
        List<Socket> clients = new ArrayList<>();
        try (ServerSocket ss = new ServerSocket(NetScenario.altPort(), CONNECTIONS, lo)) {
            Thread.ofVirtual().start(() -> {
                while (true) {
                    try {
                        Socket s = ss.accept();
                        Thread.ofVirtual().start(() -> {
                            reading.incrementAndGet();
                            try {
                                if (first == null) {
                                    first = s;
                                    t("pinned reader got " + ReadsInInitializer.BYTE);
                                } else {
                                    s.getInputStream().read();
                                }
                            } catch (IOException e) {
                                // client closed
                            }
                        });
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            for (int i = 0; i < CONNECTIONS; i++) {
                clients.add(new Socket(lo, ss.getLocalPort()));
            }
            Thread.sleep(2000);
            t("blocked readers " + reading.get());
            for (Socket c : clients) {
                c.close();
            }
        }
    }
}
