package io.dmm.core.channel;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.api.Role;
import io.dmm.api.RouteHints;
import io.dmm.api.StackStats;
import io.dmm.api.testing.ServerTasks;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.core.testsupport.TestPolicy;
import io.dmm.core.testsupport.TestStacks;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many threads opening, routing and echoing at once: every echo intact, counters consistent. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConcurrencyTest {
    static final int THREADS = 16;
    static final int SOCKETS = 50;
    static final int PAYLOAD = 64;

    @Test
    void sixteenThreadsTimesFiftySockets() throws Exception {
        TestPolicy policy = new TestPolicy().kernel("even").kernel("odd").kernel("srv")
                .rule(k -> k.role() == Role.SERVER, "srv")
                .rule(k -> "even".equals(k.tag()), "even")
                .defaults("odd");
        try (DmmRuntime runtime = new DmmRuntime(policy, TestStacks.providers());
             ServerSocketChannel server = runtime.openServerSocketChannel(null, RouteHints.none());
             ExecutorService echoers = Executors.newVirtualThreadPerTaskExecutor();
             ExecutorService clients = Executors.newFixedThreadPool(THREADS)) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            InetSocketAddress target = (InetSocketAddress) server.getLocalAddress();
            ServerTasks echoes = new ServerTasks(echoers);
            Future<?> acceptor = echoers.submit(() -> {
                for (int i = 0; i < THREADS * SOCKETS; i++) {
                    SocketChannel a = server.accept();
                    echoes.submit(() -> {
                        try (a) {
                            ByteBuffer buf = ByteBuffer.allocate(PAYLOAD);
                            while (buf.hasRemaining() && a.read(buf) >= 0) {
                                // fill
                            }
                            buf.flip();
                            while (buf.hasRemaining()) {
                                a.write(buf);
                            }
                        }
                        return null;
                    });
                }
                return null;
            });
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                results.add(clients.submit(() -> {
                    int ok = 0;
                    RouteHints hints = thread % 2 == 0 ? RouteHints.tag("even") : RouteHints.none();
                    for (int i = 0; i < SOCKETS; i++) {
                        try (SocketChannel c = runtime.openSocketChannel(null, hints)) {
                            assertTrue(c.connect(target));
                            byte[] data = new byte[PAYLOAD];
                            data[0] = (byte) thread;
                            data[PAYLOAD - 1] = (byte) i;
                            c.write(ByteBuffer.wrap(data));
                            ByteBuffer back = ByteBuffer.allocate(PAYLOAD);
                            while (back.hasRemaining() && c.read(back) >= 0) {
                                // fill
                            }
                            assertArrayEquals(data, back.array());
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(50, TimeUnit.SECONDS);
            }
            acceptor.get(20, TimeUnit.SECONDS);
            echoes.awaitAll(20, TimeUnit.SECONDS);
            assertEquals(THREADS * SOCKETS, total);

            int perParity = THREADS / 2 * SOCKETS;
            StackStats even = runtime.stats().stack("even").orElseThrow();
            StackStats odd = runtime.stats().stack("odd").orElseThrow();
            StackStats srv = runtime.stats().stack("srv").orElseThrow();
            for (StackStats s : List.of(even, odd)) {
                assertEquals(perParity, s.decisions(), s.toString());
                assertEquals(perParity, s.socketsOpened(), s.toString());
                assertEquals(0, s.socketsActive(), s.toString());
                assertEquals(perParity, s.connectsOk(), s.toString());
                assertEquals(0, s.connectsFailed(), s.toString());
                assertEquals((long) perParity * PAYLOAD, s.bytesOut(), s.toString());
                assertEquals((long) perParity * PAYLOAD, s.bytesIn(), s.toString());
            }
            assertEquals(1 + THREADS * SOCKETS, srv.socketsOpened());
            assertEquals(1, srv.socketsActive(), "only the listener is left open");
            assertEquals((long) THREADS * SOCKETS * PAYLOAD, srv.bytesIn());
            assertEquals(perParity, runtime.stats().rules().get(1).decisions());
            assertEquals(perParity, runtime.stats().rules().get(2).decisions(), "the default");
        }
    }
}
