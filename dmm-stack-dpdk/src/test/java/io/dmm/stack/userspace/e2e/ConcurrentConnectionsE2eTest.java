package io.dmm.stack.userspace.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.testing.ServerTasks;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thousand connections open at once to one server, each echoing a few KB, over a pair link. No
 * Selector (DMM's lives in dmm-core): a virtual thread per connection on blocking channels, which
 * park without pinning a carrier (the userspace channels wait on their own signal, not on an fd).
 *
 * <p>TCP settings: {@code backlog} 1024 so the thousand SYNs arriving together are all queued
 * (with the default 50 most would be dropped and wait for their SYN retransmission), and
 * {@code initialRto 50ms} so any that is dropped retries quickly. 32 KiB socket buffers: each
 * connection's buffers are off-heap and allocated up front, 2,000 ends at the 256 KiB default
 * would take a gigabyte for a few KB each.
 */
class ConcurrentConnectionsE2eTest {
    static final int CONNECTIONS = 1_000;
    static final int ECHO_BYTES = 4 * 1024;
    static final int PORT = 7007;
    static final Map<String, Object> TCP = Map.of("minRto", "5ms", "initialRto", "50ms", "backlog", 1024L,
            "sendBuffer", 32L * 1024, "receiveBuffer", 32L * 1024);

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void thousandConcurrentConnectionsEachEchoAFewKilobytes() throws Exception {
        // The executor closes last: closing the channels first ends any task still waiting on one.
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
             LinkedStacks s = LinkedStacks.open("many", Map.of(), null, null, TCP);
             ServerSocketChannel ss = s.server.openServerSocketChannel(null)) {
            InetSocketAddress address = new InetSocketAddress(LinkedStacks.SERVER_IP, PORT);
            ss.bind(address, CONNECTIONS);
            ServerTasks server = new ServerTasks(threads);
            Future<?> acceptor = threads.submit(() -> {
                for (int i = 0; i < CONNECTIONS; i++) {
                    SocketChannel a = ss.accept();
                    server.submit(() -> echoUntilEof(a));
                }
                return null;
            });
            CountDownLatch allConnected = new CountDownLatch(CONNECTIONS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> clients = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                int id = i;
                clients.add(threads.submit(() -> {
                    try (SocketChannel c = s.client.openSocketChannel(null)) {
                        c.connect(address);
                        allConnected.countDown();
                        go.await();
                        byte[] data = new byte[ECHO_BYTES];
                        new SplittableRandom(id).nextBytes(data);
                        writeFully(c, ByteBuffer.wrap(data));
                        ByteBuffer back = ByteBuffer.allocate(ECHO_BYTES);
                        while (back.hasRemaining()) {
                            if (c.read(back) < 0) throw new IOException("EOF after " + back.position() + " bytes on " + id);
                        }
                        assertArrayEquals(data, back.array(), "echo of connection " + id);
                    }
                    return null;
                }));
            }
            assertTrue(allConnected.await(30, TimeUnit.SECONDS), "connected: " + (CONNECTIONS - allConnected.getCount()));
            // All of them open at the same time: no client has written, none has closed.
            assertEquals(CONNECTIONS, s.client.counters().get("tcp_active_connections"));
            acceptor.get(30, TimeUnit.SECONDS);
            assertEquals(CONNECTIONS, s.server.counters().get("tcp_active_connections"));
            go.countDown();
            for (Future<?> f : clients) f.get(30, TimeUnit.SECONDS);
            server.awaitAll(10, TimeUnit.SECONDS); // each echo ends at its client's close, without failing
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (s.server.counters().get("tcp_active_connections") > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, s.server.counters().get("tcp_active_connections"), s.server.counters()::toString);
            assertEquals(0, s.client.counters().get("tcp_active_connections"));
            assertEquals(CONNECTIONS, s.server.counters().get("tcp_passive_opens"));
            assertEquals(0, s.server.counters().get("drop_tcp_backlog_full"));
        }
    }

    static Void echoUntilEof(SocketChannel a) throws IOException {
        try (a) {
            ByteBuffer buf = ByteBuffer.allocate(8 * 1024);
            while (a.read(buf) >= 0) {
                buf.flip();
                writeFully(a, buf);
                buf.clear();
            }
        }
        return null;
    }

    static void writeFully(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) c.write(b);
    }
}
