package io.dmm.stack.userspace.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dmm.api.testing.ServerTasks;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 100,000 short connections (connect, send a request, read the reply, close) from a client whose
 * ephemeral range holds 1,000 ports: the ports must be reused a hundred times over, so a connection
 * that leaks its port (or its table entry, or its TIME_WAIT) exhausts the range and fails the test.
 *
 * <p>TCP settings: {@code ephemeralPorts "40000-40999"} to force that reuse; {@code timeWait 100ms}
 * (default 60 s) so a port the client closed first comes back quickly; the range then allows
 * 1,000 ports per 100 ms, 10,000 connections a second, and a client that outruns that gets
 * "Address already in use" and backs off a millisecond, as a real client would — for at most two
 * seconds, so a range that never frees up fails. {@code minRto 5ms}/{@code initialRto 50ms} as in
 * the other end-to-end tests, 4 KiB socket buffers (each connection allocates its buffers off-heap).
 *
 * <p>Leaks are measured, not guessed: TCP's connection table (TIME_WAIT included) must empty,
 * NMT's committed "Other" native memory (where FFM arenas are accounted) and the heap after GC must
 * not grow past a bound between connection 10,000 and the end.
 */
class ConnectionChurnE2eTest {
    static final int CONNECTIONS = 100_000;
    static final int WARM_UP = 10_000;
    static final int WORKERS = 16;
    static final int PORT = 8008;
    static final int LOW_PORT = 40_000;
    static final int HIGH_PORT = 40_999;
    static final Map<String, Object> TCP = Map.of("minRto", "5ms", "initialRto", "50ms", "timeWait", "100ms",
            "ephemeralPorts", LOW_PORT + "-" + HIGH_PORT, "backlog", 256L,
            "sendBuffer", 4L * 1024, "receiveBuffer", 4L * 1024);
    /** Native memory the churn may add after warm-up: far below a leak of even one buffer per connection (90,000 × 4 KiB). */
    static final long NATIVE_GROWTH_LIMIT_KIB = 32 * 1024;
    static final long HEAP_GROWTH_LIMIT = 64L << 20;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void hundredThousandShortConnectionsReusePortsAndLeakNothing() throws Exception {
        // The executor closes last: closing the server channel first ends the acceptor it waits for.
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
             LinkedStacks s = LinkedStacks.open("churn", Map.of(), null, null, TCP);
             ServerSocketChannel ss = s.server.openServerSocketChannel(null)) {
            InetSocketAddress address = new InetSocketAddress(LinkedStacks.SERVER_IP, PORT);
            ss.bind(address, 256);
            ServerTasks server = new ServerTasks(threads);
            Future<?> acceptor = threads.submit(() -> {
                try {
                    while (true) {
                        SocketChannel a = ss.accept();
                        server.submit(() -> answer(a));
                    }
                } catch (ClosedChannelException end) {
                    return null;
                }
            });
            AtomicLong backoffs = new AtomicLong();
            run(s, address, threads, 0, WARM_UP, backoffs);
            long nativeBase = StackProbe.nativeOtherCommittedKiB();
            long heapBase = StackProbe.heapAfterGc();
            long t0 = System.nanoTime();
            run(s, address, threads, WARM_UP, CONNECTIONS, backoffs);
            long churnMillis = (System.nanoTime() - t0) / 1_000_000;
            // every client has its reply and has closed: the server's side must have ended too, without failing
            ss.close();
            acceptor.get(5, TimeUnit.SECONDS);
            server.awaitAll(5, TimeUnit.SECONDS);

            awaitZero(s, "tcp_active_connections");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((StackProbe.tcpTableSize(s.client) > 0 || StackProbe.tcpTableSize(s.server) > 0)
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, StackProbe.tcpTableSize(s.client), "client TCBs left (TIME_WAIT is 100 ms)");
            assertEquals(0, StackProbe.tcpTableSize(s.server), "server TCBs left");
            long nativeGrowth = StackProbe.nativeOtherCommittedKiB() - nativeBase;
            long heapGrowth = StackProbe.heapAfterGc() - heapBase;
            System.out.printf("churn: %d connections in %d ms after warm-up, %d port back-offs, native %+d KiB, heap %+d KiB,"
                    + " client rto %d rst_rx %d, server rst_sent %d%n", CONNECTIONS - WARM_UP, churnMillis, backoffs.get(),
                    nativeGrowth, heapGrowth >> 10, s.client.counters().get("tcp_rto_timeouts"),
                    s.client.counters().get("tcp_rst_rx"), s.server.counters().get("tcp_rst_sent"));
            assertTrue(nativeGrowth < NATIVE_GROWTH_LIMIT_KIB, "native memory grew by " + nativeGrowth + " KiB");
            assertTrue(heapGrowth < HEAP_GROWTH_LIMIT, "heap grew by " + (heapGrowth >> 10) + " KiB");
            assertEquals(CONNECTIONS, s.server.counters().get("tcp_passive_opens"));
            assertEquals(CONNECTIONS, s.client.counters().get("tcp_active_opens"));
        }
    }

    /** Connections {@code from} (inclusive) to {@code to}, spread over the workers. */
    private static void run(LinkedStacks s, InetSocketAddress address, ExecutorService threads, int from, int to,
                            AtomicLong backoffs) throws Exception {
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            int first = from + w;
            workers.add(threads.submit(() -> {
                ByteBuffer request = ByteBuffer.allocate(8);
                ByteBuffer reply = ByteBuffer.allocate(8);
                for (int n = first; n < to; n += WORKERS) {
                    oneConnection(s, address, n, request, reply, backoffs);
                }
                return null;
            }));
        }
        for (Future<?> f : workers) f.get(100, TimeUnit.SECONDS);
    }

    private static void oneConnection(LinkedStacks s, InetSocketAddress address, int n, ByteBuffer request,
                                      ByteBuffer reply, AtomicLong backoffs) throws Exception {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (true) {
            try (SocketChannel c = s.client.openSocketChannel(null)) {
                try {
                    c.connect(address);
                } catch (BindException exhausted) {
                    if (System.nanoTime() > giveUp) {
                        fail("no ephemeral port free for 2 s at connection " + n + ": " + s.client.counters());
                    }
                    backoffs.incrementAndGet();
                    Thread.sleep(1);
                    continue;
                }
                int port = ((InetSocketAddress) c.getLocalAddress()).getPort();
                assertTrue(port >= LOW_PORT && port <= HIGH_PORT, "ephemeral port " + port);
                request.clear();
                request.putLong(0, n);
                while (request.hasRemaining()) c.write(request);
                reply.clear();
                while (reply.hasRemaining()) {
                    if (c.read(reply) < 0) throw new IOException("EOF before the reply on connection " + n);
                }
                assertEquals(~(long) n, reply.getLong(0), "reply of connection " + n);
                return;
            }
        }
    }

    /** Reads one 8-byte request, answers its complement, waits for the client's close, closes. */
    private static Void answer(SocketChannel a) throws IOException {
        try (a) {
            ByteBuffer b = ByteBuffer.allocate(8);
            while (b.hasRemaining()) {
                if (a.read(b) < 0) throw new IOException("EOF before the request");
            }
            b.putLong(0, ~b.getLong(0)).flip();
            while (b.hasRemaining()) a.write(b);
            b.clear();
            if (a.read(b) != -1) throw new IOException("more than one request");
        }
        return null;
    }

    private static void awaitZero(LinkedStacks s, String counter) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((s.client.counters().get(counter) > 0 || s.server.counters().get(counter) > 0)
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, s.client.counters().get(counter), s.client.counters()::toString);
        assertEquals(0, s.server.counters().get(counter), s.server.counters()::toString);
    }
}
