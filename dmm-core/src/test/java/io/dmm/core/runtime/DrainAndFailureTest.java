package io.dmm.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.RouteHints;
import io.dmm.api.StackStats;
import io.dmm.core.config.PolicyLoader;
import io.dmm.stack.userspace.UserspaceStack;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Draining a stack instance and a stack instance failing, each with connections open on it and new
 * ones made afterwards: open ones keep working (drain) or fail clearly (failure), new ones move on
 * to the next stack of their rule, and rules without one get an error naming the reason.
 */
class DrainAndFailureTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    @Test
    void drainMovesNewSocketsOnAndKeepsOpenOnesWorking() throws Exception {
        int fallbackPort = echoServer(null, null);
        int onlyPort = echoServer(null, null);
        DmmRuntime rt = keep(new DmmRuntime(PolicyLoader.parse("""
                {"stacks": [{"name": "k1", "type": "kernel"}, {"name": "k2", "type": "kernel"}],
                 "default": "k1",
                 "rules": [{"port": %d, "stacks": ["k1", "k2"]}, {"port": %d, "stack": "k1"}]}
                """.formatted(fallbackPort, onlyPort), "drain.json")));
        SocketChannel before = keep(connect(rt, fallbackPort));
        assertEquals(List.of("k1"), stacksOf(before));

        rt.control().drain("k1");
        assertEquals("draining", stats(rt, "k1").admin());
        echo(before, "still works while draining");
        SocketChannel moved = keep(connect(rt, fallbackPort));
        assertEquals(List.of("k2"), stacksOf(moved), "a rule with a fallback moves on to its next stack");
        echo(moved, "on k2");
        NoRouteToHostException refused = assertThrows(NoRouteToHostException.class, () -> connect(rt, onlyPort));
        assertTrue(refused.getMessage().contains("k1 is draining"), refused.getMessage());

        rt.control().undrain("k1");
        assertEquals("active", stats(rt, "k1").admin());
        assertEquals(List.of("k1"), stacksOf(keep(connect(rt, fallbackPort))));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> rt.control().drain("k9"));
        assertTrue(unknown.getMessage().contains("k1, k2"), unknown.getMessage());
    }

    @Test
    void failedStackFailsItsSocketsClearlyAndNewOnesFallBack() throws Exception {
        int port = freeKernelPort();
        int onlyPort = port == 65535 ? port - 1 : port + 1; // served only by the userspace stack
        DmmRuntime rt = keep(new DmmRuntime(PolicyLoader.parse("""
                {"stacks": [{"name": "us", "type": "userspace", "address": "127.0.0.1/8",
                             "device": {"driver": "loopback", "faults": {}}},
                            {"name": "k", "type": "kernel"}],
                 "default": "k",
                 "rules": [{"proto": "tcp", "role": "client", "port": %d, "stacks": ["us", "k"]},
                           {"proto": "tcp", "role": "client", "port": %d, "stack": "us"}]}
                """.formatted(port, onlyPort), "failure.json")));
        echoServer(rt, "us", port);
        echoServer(rt, "us", onlyPort);
        echoServer(null, null, port);
        SocketChannel onUs = keep(connect(rt, port));
        assertEquals(List.of("us"), stacksOf(onUs));
        echo(onUs, "before the failure");

        UserspaceStack us = (UserspaceStack) rt.registry().get("us").instance();
        us.faults().fail("test: the NIC was unplugged");

        SocketException e = assertThrows(SocketException.class, () -> echo(onUs, "after the failure"));
        assertTrue(e.getMessage().contains("us is down") && e.getMessage().contains("the NIC was unplugged"),
                e.getMessage());
        StackStats s = stats(rt, "us");
        assertEquals("DOWN", s.health());
        assertTrue(s.healthDetail().contains("the NIC was unplugged"), s.healthDetail());

        SocketChannel fallback = keep(connect(rt, port));
        assertEquals(List.of("k"), stacksOf(fallback), "new sockets fall back to the kernel");
        echo(fallback, "on the kernel");
        NoRouteToHostException noFallback = assertThrows(NoRouteToHostException.class, () -> connect(rt, onlyPort));
        assertTrue(noFallback.getMessage().contains("us is DOWN") && noFallback.getMessage().contains("unplugged"),
                noFallback.getMessage());
    }

    private static StackStats stats(DmmRuntime rt, String name) {
        return rt.stats().stack(name).orElseThrow();
    }

    private static List<String> stacksOf(SocketChannel ch) {
        return Router.explainChannel(ch).orElseThrow().stacks();
    }

    private static SocketChannel connect(DmmRuntime rt, int port) throws IOException {
        SocketChannel ch = rt.openSocketChannel(null, RouteHints.none());
        try {
            ch.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static void echo(SocketChannel ch, String text) throws IOException {
        byte[] out = text.getBytes();
        ch.write(ByteBuffer.wrap(out));
        ByteBuffer in = ByteBuffer.allocate(out.length);
        while (in.hasRemaining()) {
            if (ch.read(in) < 0) {
                throw new IOException("closed by the peer");
            }
        }
        assertEquals(text, new String(in.array()));
    }

    private static int freeKernelPort() throws IOException {
        try (ServerSocketChannel s = ServerSocketChannel.open()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return ((InetSocketAddress) s.getLocalAddress()).getPort();
        }
    }

    /** A kernel echo server on any port. */
    private int echoServer(DmmRuntime rt, String stack) throws IOException {
        return echoServer(rt, stack, 0);
    }

    /** An echo server: the JDK's own (rt null) or one on {@code stack} of {@code rt}. */
    private int echoServer(DmmRuntime rt, String stack, int port) throws IOException {
        ServerSocketChannel server = keep(rt == null ? ServerSocketChannel.open()
                : rt.openServerSocketChannel(null, RouteHints.stack(stack)));
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        Thread.ofPlatform().daemon().start(() -> {
            while (server.isOpen()) {
                try {
                    SocketChannel c = server.accept();
                    Thread.ofPlatform().daemon().start(() -> {
                        try (c) {
                            ByteBuffer b = ByteBuffer.allocate(1024);
                            while (c.read(b) >= 0) {
                                b.flip();
                                c.write(b);
                                b.clear();
                            }
                        } catch (IOException ignored) {
                            // the client went away or the stack failed
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }
}
