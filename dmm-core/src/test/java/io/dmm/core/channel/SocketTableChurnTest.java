package io.dmm.core.channel;

import io.dmm.core.routing.RoutedChannel;
import static org.junit.jupiter.api.Assertions.*;

import io.dmm.api.RouteHints;
import io.dmm.api.SocketInfo;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.core.testsupport.TestStacks;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sockets opened and closed from several threads while another lists the table without pause:
 * every socket is listed at most while it is open, every listing succeeds, and the table ends
 * empty.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketTableChurnTest {
    static final int THREADS = 8;
    static final int PER_THREAD = 125; // 1,000 clients, as many accepted channels, and the datagrams

    private static final Set<String> STATES = Set.of(SocketRows.UNROUTED, SocketRows.CONNECTING,
            SocketRows.ESTABLISHED, SocketRows.LISTENING, SocketRows.BOUND, SocketRows.CONNECTED, SocketRows.CLOSED,
            SocketRows.FAILED, SocketRows.INPUT_SHUTDOWN, SocketRows.OUTPUT_SHUTDOWN, SocketRows.SHUTDOWN);

    @Test
    void aThousandSocketsOpenedAndClosedFromSeveralThreadsLeaveTheTableEmpty() throws Exception {
        try (DmmRuntime runtime = new DmmRuntime(SocketTableRowsTest.policy(), TestStacks.providers());
             ExecutorService clients = Executors.newFixedThreadPool(THREADS)) {
            ServerSocketChannel server = runtime.openServerSocketChannel(null, RouteHints.none());
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            InetSocketAddress target = (InetSocketAddress) server.getLocalAddress();
            AtomicLong acceptedBytes = new AtomicLong();
            // a task, not a bare thread: its failure must reach the test
            FutureTask<Void> acceptor = new FutureTask<>(() -> {
                for (int i = 0; i < THREADS * PER_THREAD; i++) {
                    try (SocketChannel a = server.accept()) {
                        ByteBuffer one = ByteBuffer.allocate(1);
                        while (one.hasRemaining() && a.read(one) >= 0) {
                            // the client's byte
                        }
                        acceptedBytes.addAndGet(((RoutedChannel) a).socketInfo().bytesIn());
                    }
                }
                return null;
            });
            Thread.ofPlatform().start(acceptor);

            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> listerFailure = new AtomicReference<>();
            AtomicLong listings = new AtomicLong();
            Set<Long> idsSeen = ConcurrentHashMap.newKeySet();
            Thread lister = Thread.ofPlatform().start(() -> {
                try {
                    while (!done.get()) {
                        for (SocketInfo r : runtime.sockets().list()) {
                            assertTrue(STATES.contains(r.state()), r.toString());
                            assertNotNull(r.stack(), r.toString());
                            assertNotNull(r.rule(), r.toString());
                            idsSeen.add(r.id());
                        }
                        listings.incrementAndGet();
                        Thread.sleep(1); // list often, without starving the threads that open sockets
                    }
                } catch (Throwable e) {
                    listerFailure.set(e);
                }
            });

            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                work.add(clients.submit(() -> {
                    for (int i = 0; i < PER_THREAD; i++) {
                        try (SocketChannel c = runtime.openSocketChannel(null, RouteHints.none())) {
                            c.connect(target);
                            c.write(ByteBuffer.allocate(1));
                            assertEquals(1, ((RoutedChannel) c).socketInfo().bytesOut());
                        }
                        if (i % 5 == 0) {
                            try (DatagramChannel d = runtime.openDatagramChannel(null, RouteHints.none())) {
                                d.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                            }
                            runtime.openSocketChannel(null, RouteHints.none()).close(); // never routed
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(50, TimeUnit.SECONDS);
            }
            acceptor.get(20, TimeUnit.SECONDS);
            server.close();
            done.set(true);
            assertTrue(lister.join(Duration.ofSeconds(10)), "the lister did not stop");
            assertNull(listerFailure.get(), () -> "listing failed: " + listerFailure.get());
            assertTrue(listings.get() > 0);
            assertTrue(idsSeen.size() > 1, "the lister saw sockets come and go");
            assertEquals(THREADS * PER_THREAD, acceptedBytes.get(), "each accepted socket counted its byte");
            assertEquals(List.of(), runtime.sockets().list());
            assertEquals(0, runtime.sockets().size());
        }
    }
}
