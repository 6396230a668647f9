package io.dmm.core.selector;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.api.RouteHints;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.core.testsupport.TestPolicy;
import io.dmm.core.testsupport.TestStacks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One DMM Selector over channels of two kinds of stack at once: kernel channels (file descriptors,
 * in DMM's inner JDK selector) and userspace channels (no file descriptors, readiness through the
 * ReadinessSource hook). An event loop serves echo connections on both and must see every one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MixedStackSelectorTest {
    static final InetAddress USER = addr("198.51.100.1");
    static final InetAddress KERNEL = InetAddress.getLoopbackAddress();

    DmmRuntime runtime;

    static InetAddress addr(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @BeforeEach
    void start() {
        TestPolicy policy = new TestPolicy()
                .kernel("k1")
                .stack("u1", "userspace", Map.of("address", "198.51.100.1/24", "device", Map.of("driver", "loopback", "slots", 256L)))
                .rule(k -> USER.equals(k.service()) || USER.equals(k.source()), "u1")
                .defaults("k1");
        runtime = new DmmRuntime(policy, TestStacks.providers());
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    @Test
    void oneEventLoopServesKernelAndUserspaceConnections() throws Exception {
        int perStack = 20;
        int rounds = 50;
        try (Selector sel = runtime.provider().openSelector();
             ServerSocketChannel kServer = runtime.openServerSocketChannel(null, RouteHints.none());
             ServerSocketChannel uServer = runtime.openServerSocketChannel(null, RouteHints.none())) {
            kServer.bind(new InetSocketAddress(KERNEL, 0));
            uServer.bind(new InetSocketAddress(USER, 0));
            assertEquals(java.util.List.of("k1"), runtime.routeOf(kServer).orElseThrow().stacks());
            assertEquals(java.util.List.of("u1"), runtime.routeOf(uServer).orElseThrow().stacks());
            for (ServerSocketChannel s : new ServerSocketChannel[] {kServer, uServer}) {
                s.configureBlocking(false);
                s.register(sel, SelectionKey.OP_ACCEPT);
            }
            // clients: blocking, on virtual threads, each doing rounds of write-then-read-echo
            Map<Thread, String> failures = new HashMap<>();
            Thread[] clients = new Thread[2 * perStack];
            for (int i = 0; i < clients.length; i++) {
                InetSocketAddress target = (InetSocketAddress) (i % 2 == 0 ? kServer : uServer).getLocalAddress();
                int id = i;
                clients[i] = Thread.ofVirtual().start(() -> {
                    try (SocketChannel c = runtime.openSocketChannel(null, RouteHints.none())) {
                        c.connect(target);
                        for (int r = 0; r < rounds; r++) {
                            byte[] msg = ("client " + id + " round " + r).getBytes(StandardCharsets.UTF_8);
                            c.write(ByteBuffer.wrap(msg));
                            ByteBuffer back = ByteBuffer.allocate(msg.length);
                            while (back.hasRemaining()) {
                                if (c.read(back) < 0) throw new IOException("EOF");
                            }
                            if (!new String(back.array(), StandardCharsets.UTF_8).equals(new String(msg, StandardCharsets.UTF_8))) {
                                throw new IOException("echo mismatch");
                            }
                        }
                    } catch (Throwable t) {
                        synchronized (failures) {
                            failures.put(Thread.currentThread(), t.toString());
                        }
                    }
                });
            }
            int accepted = 0;
            int closed = 0;
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (closed < clients.length) {
                assertTrue(sel.select(10_000) > 0 || !sel.selectedKeys().isEmpty(), "selector stalled: "
                        + accepted + " accepted, " + closed + " closed");
                for (var it = sel.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (k.isAcceptable()) {
                        SocketChannel a = ((ServerSocketChannel) k.channel()).accept();
                        if (a != null) {
                            accepted++;
                            a.configureBlocking(false);
                            a.register(sel, SelectionKey.OP_READ);
                        }
                    } else if (k.isReadable()) {
                        SocketChannel a = (SocketChannel) k.channel();
                        buf.clear();
                        int n = a.read(buf);
                        if (n < 0) {
                            k.cancel();
                            a.close();
                            closed++;
                        } else {
                            buf.flip();
                            while (buf.hasRemaining()) a.write(buf);  // small echoes always fit the send buffer
                        }
                    }
                }
            }
            for (Thread t : clients) {
                assertTrue(t.join(Duration.ofSeconds(10)), "a client did not end after its socket closed");
            }
            assertEquals(Map.of(), failures);
            assertEquals(2 * perStack, accepted);
        }
        Map<String, Long> user = runtime.stats().stacks().stream().filter(s -> s.name().equals("u1")).findFirst()
                .orElseThrow().stackCounters();
        assertTrue(user.get("tcp_passive_opens") >= perStack, user.toString());
    }
}
