package io.dmm.stack.userspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dmm.api.spi.ReadinessSource;
import io.dmm.api.spi.StackHealth;
import io.dmm.api.spi.StackInstance;
import io.dmm.api.testing.Waits;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An instance whose device goes away (the fault injector's {@code fail}, as a deleted interface):
 * it is DOWN with the reason, every socket operation throws that reason (blocked ones wake
 * promptly), readiness listeners hear it, new channels are refused, it is logged once, its poll
 * loop ends, and closing still works. A link that goes down and back makes it DEGRADED meanwhile.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeviceFailureTest {
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Duration PROMPTLY = Duration.ofSeconds(5);
    private static final String SERVER_IP = "10.66.0.2";
    private static final String CLIENT_IP = "10.66.0.1";

    /** Two instances on a pair link; only the server end has a fault injector (an empty plan). */
    private record Linked(UserspaceStack server, StackInstance client) implements AutoCloseable {
        static Linked open() {
            String id = ProcessHandle.current().pid() + "x" + IDS.incrementAndGet();
            String link = "fail-" + id;
            Map<String, Object> serverDevice = new LinkedHashMap<>(Map.of("driver", "pair", "link", link));
            serverDevice.put("faults", Map.of());
            UserspaceStack server = (UserspaceStack) UserspaceStackTest.create("fs" + id,
                    Map.of("address", SERVER_IP + "/24", "device", serverDevice));
            try {
                return new Linked(server, UserspaceStackTest.create("fc" + id,
                        Map.of("address", CLIENT_IP + "/24", "device", Map.of("driver", "pair", "link", link))));
            } catch (RuntimeException | Error e) {
                server.close();
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } finally {
                client.close();
            }
        }
    }

    /** The exception is an IOException whose message says the stack is down and why. */
    private static void assertSaysDown(Throwable t, String stack, String reason) {
        assertInstanceOf(IOException.class, t, () -> "expected an IOException, got " + t);
        String m = t.getMessage();
        assertTrue(m != null && m.startsWith("userspace stack " + stack + " is down: ") && m.contains(reason),
                () -> "message does not say the stack is down and why: " + t);
    }

    private static SocketChannel connect(StackInstance from, int port) throws IOException {
        SocketChannel c = from.openSocketChannel(null);
        c.connect(new InetSocketAddress(SERVER_IP, port));
        return c;
    }

    @Test
    void aDeviceThatGoesAwayTakesTheStackDownAndFailsEverySocketWithTheReason() throws Exception {
        try (StderrCapture log = new StderrCapture(); Linked l = Linked.open()) {
            UserspaceStack server = l.server();
            String name = server.name();
            ServerSocketChannel listener = server.openServerSocketChannel(null);
            listener.bind(new InetSocketAddress(SERVER_IP, 7000));
            SocketChannel c1 = connect(l.client(), 7000);
            SocketChannel blockingSide = listener.accept();
            SocketChannel c2 = connect(l.client(), 7000);
            SocketChannel nonBlockingSide = listener.accept();
            assertEquals("before", UserspaceStackTest.echo(c1, blockingSide, "before"));
            nonBlockingSide.configureBlocking(false);
            ReadinessSource readiness = (ReadinessSource) nonBlockingSide;
            AtomicInteger heard = new AtomicInteger();
            readiness.setReadinessListener(src -> heard.incrementAndGet());
            assertEquals(0, readiness.readyOps() & SelectionKey.OP_READ, "nothing to read yet");
            DatagramChannel udp = server.openDatagramChannel(null);
            udp.bind(new InetSocketAddress(SERVER_IP, 7001));
            SocketChannel unanswered = server.openSocketChannel(null);
            SocketChannel unbound = server.openSocketChannel(null);

            BlockedCall read = BlockedCall.start("read", () -> blockingSide.read(ByteBuffer.allocate(16)));
            BlockedCall accept = BlockedCall.start("accept", listener::accept);
            BlockedCall receive = BlockedCall.start("receive", () -> udp.receive(ByteBuffer.allocate(16)));
            // nobody has this address: the SYN waits for ARP, and the connect stays pending
            BlockedCall connectCall = BlockedCall.start("connect",
                    () -> unanswered.connect(new InetSocketAddress("10.66.0.99", 80)));
            String reason = "the test deleted its link";

            server.faults().fail(reason);

            Throwable readFailure = read.thrown(PROMPTLY);
            assertInstanceOf(SocketException.class, readFailure);
            assertSaysDown(readFailure, name, "went away: " + reason);
            assertSaysDown(accept.thrown(PROMPTLY), name, reason);
            assertSaysDown(receive.thrown(PROMPTLY), name, reason);
            Throwable connectFailure = connectCall.thrown(PROMPTLY);
            assertInstanceOf(ConnectException.class, connectFailure);
            assertSaysDown(connectFailure, name, reason);

            assertEquals(StackHealth.DOWN, server.health());
            String detail = server.healthDetail();
            assertTrue(detail.startsWith("userspace stack " + name + " is down: device pair")
                    && detail.contains(" went away: " + reason) && detail.contains("reloaded"), detail);
            assertFalse(detail.contains("\n"), "one line: " + detail);

            // nothing else makes this idle connection readable: a listener call with OP_READ is the failure's
            Waits.until("the readiness listener to hear of the failure", PROMPTLY,
                    () -> heard.get() > 0 && (readiness.readyOps() & SelectionKey.OP_READ) != 0);
            int ready = readiness.readyOps();
            assertEquals(SelectionKey.OP_READ | SelectionKey.OP_WRITE, ready & (SelectionKey.OP_READ | SelectionKey.OP_WRITE),
                    "a failed connection is ready, so that a selecting program calls and gets the exception");
            assertSaysDown(assertThrows(IOException.class, () -> nonBlockingSide.read(ByteBuffer.allocate(1))), name, reason);
            assertSaysDown(assertThrows(IOException.class, () -> nonBlockingSide.write(ByteBuffer.allocate(1))), name, reason);
            assertSaysDown(assertThrows(IOException.class, () -> blockingSide.write(ByteBuffer.allocate(1))), name, reason);
            assertSaysDown(assertThrows(IOException.class, () -> blockingSide.read(ByteBuffer.allocate(1))), name, reason);
            assertSaysDown(assertThrows(IOException.class, listener::accept), name, reason);
            assertSaysDown(assertThrows(IOException.class,
                    () -> udp.send(ByteBuffer.allocate(1), new InetSocketAddress(CLIENT_IP, 9))), name, reason);
            assertSaysDown(assertThrows(IOException.class,
                    () -> unbound.connect(new InetSocketAddress(CLIENT_IP, 9))), name, reason);
            assertSaysDown(assertThrows(IOException.class, () -> server.openSocketChannel(null)), name, reason);
            assertSaysDown(assertThrows(IOException.class, () -> server.openServerSocketChannel(null)), name, reason);
            assertSaysDown(assertThrows(IOException.class, () -> server.openDatagramChannel(null)), name, reason);

            Thread loop = server.loopThread();
            loop.join(PROMPTLY.toMillis());
            assertFalse(loop.isAlive(), "the poll loop of a stack that went down ends");
            assertEquals(1, log.linesContaining("WARN " + UserspaceStack.class.getName() + " - userspace stack " + name
                    + " is down: device pair"), "logged once, at WARN");

            // the peer heard nothing (a device that is gone sends no RST): it is UP, its connection open
            assertEquals(StackHealth.UP, l.client().health());
            assertTrue(c1.isConnected());

            for (AutoCloseable ch : new AutoCloseable[] {blockingSide, nonBlockingSide, listener, udp, unanswered, unbound}) {
                ch.close();
            }
            server.close();
            server.close();
            assertEquals(StackHealth.DOWN, server.health());
            assertTrue(server.healthDetail().contains(reason), "the reason stays after close: " + server.healthDetail());
            assertEquals(0, server.counters().get("tcp_active_connections"));
            c1.close();
            c2.close();
        }
    }

    @Test
    void closingAnInstanceRightAfterItsDeviceFailedStillFailsItsSocketsWithTheReason() throws Exception {
        try (Linked l = Linked.open()) {
            ServerSocketChannel listener = l.server().openServerSocketChannel(null);
            listener.bind(new InetSocketAddress(SERVER_IP, 7002));
            SocketChannel c = connect(l.client(), 7002);
            SocketChannel a = listener.accept();
            l.server().faults().fail("gone");
            l.server().close();  // at once: the poll loop may not have failed the sockets yet
            assertEquals(StackHealth.DOWN, l.server().health());
            assertFalse(l.server().loopThread().isAlive(), "close waits for the poll loop to end");
            IOException e = assertThrows(IOException.class, () -> a.read(ByteBuffer.allocate(1)));
            assertTrue(e.getMessage().contains("went away: gone"), e.toString());
            a.close();
            listener.close();
            c.close();
        }
    }

    @Test
    void aLinkThatGoesDownMakesTheStackDegradedUntilItComesBackAndConnectionsSurvive() throws Exception {
        try (Linked l = Linked.open()) {
            UserspaceStack server = l.server();
            ServerSocketChannel listener = server.openServerSocketChannel(null);
            listener.bind(new InetSocketAddress(SERVER_IP, 7003));
            SocketChannel c = connect(l.client(), 7003);
            SocketChannel a = listener.accept();
            assertEquals("up", UserspaceStackTest.echo(c, a, "up"));

            server.faults().setLinkUp(false);

            assertEquals(StackHealth.DEGRADED, server.health());
            String detail = server.healthDetail();
            assertTrue(detail.startsWith("userspace stack " + server.name() + " is degraded: the link of device pair")
                    && detail.contains("is down"), detail);
            // sent while the link is down: lost on the way, then retransmitted once it is back
            c.write(ByteBuffer.wrap("while down".getBytes()));
            Waits.until("a frame lost to the link", PROMPTLY, () -> server.counters().get("device_link_down_drops") > 0);
            assertNotEquals(StackHealth.DOWN, server.health());

            server.faults().setLinkUp(true);

            assertEquals(StackHealth.UP, server.health());
            assertEquals("", server.healthDetail());
            ByteBuffer got = ByteBuffer.allocate("while down".length());
            while (got.hasRemaining()) assertTrue(a.read(got) >= 0);
            assertEquals("while down", new String(got.array()));
            assertEquals("after", UserspaceStackTest.echo(c, a, "after"));
            a.close();
            c.close();
            listener.close();
        }
    }
}
