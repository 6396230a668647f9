package io.dmm.stack.userspace;

import static io.dmm.stack.userspace.UserspaceStackTest.create;
import static io.dmm.stack.userspace.UserspaceStackTest.echo;
import static org.junit.jupiter.api.Assertions.*;

import io.dmm.api.spi.ReadinessSource;
import io.dmm.api.spi.StackInstance;
import io.dmm.api.testing.BackgroundCall;
import io.dmm.api.testing.Waits;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An instance spread over shards: flows land on different shards, each shard makes progress while
 * another's lock is held, a listener accepts the connections of every shard, frames a device brings
 * reach the shard that owns their flow, and one shard (the default) is what the instance always was.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShardedStackTest {
    private static final Duration WITHIN = Duration.ofSeconds(10);

    private static Map<String, Object> loopback(String address, int shards) {
        return Map.of("address", address, "device", Map.of("driver", "loopback"), "shards", (long) shards);
    }

    /** The accepted end of each client, found by the client's address. */
    private static Map<SocketAddress, SocketChannel> acceptAll(ServerSocketChannel ss, int n) throws Exception {
        Map<SocketAddress, SocketChannel> accepted = new HashMap<>();
        for (int i = 0; i < n; i++) {
            SocketChannel a = ss.accept();
            accepted.put(a.getRemoteAddress(), a);
        }
        return accepted;
    }

    @Test
    void clientsTakeTheShardsInTurnAndAcceptedConnectionsStayWithThem() throws Exception {
        try (StackInstance s = create("sh0", loopback("198.51.100.1/24", 2))) {
            assertEquals(2, ((UserspaceStack) s).shardCount());
            assertEquals("dmm-userspace-sh0-0", ((UserspaceStack) s).loopThread(0).getName());
            assertEquals("dmm-userspace-sh0-1", ((UserspaceStack) s).loopThread(1).getName());
            assertTrue(((UserspaceStack) s).loopThread(1).isAlive());
            List<SocketChannel> clients = new ArrayList<>();
            try (ServerSocketChannel ss = s.openServerSocketChannel(null)) {
                ss.bind(new InetSocketAddress("198.51.100.1", 0));
                for (int i = 0; i < 8; i++) {
                    SocketChannel c = s.openSocketChannel(null);
                    clients.add(c);
                    c.connect(ss.getLocalAddress());
                }
                Map<SocketAddress, SocketChannel> accepted = acceptAll(ss, 8);
                for (SocketChannel c : clients) {
                    assertEquals("to " + c.getLocalAddress(), echo(c, accepted.get(c.getLocalAddress()), "to " + c.getLocalAddress()));
                }
                Map<String, Long> counters = s.counters();
                // four clients a shard, each with its accepted end beside it
                assertEquals(8L, counters.get("shard0_tcp_active_connections"), counters.toString());
                assertEquals(8L, counters.get("shard1_tcp_active_connections"), counters.toString());
                assertEquals(16L, counters.get("tcp_active_connections"), counters.toString());
                assertTrue(counters.get("shard1_tcp_segments_rx") > 0, counters.toString());
                for (SocketChannel a : accepted.values()) a.close();
            } finally {
                for (SocketChannel c : clients) c.close();
            }
        }
    }

    @Test
    void clientsBoundToPortZeroFirstStillTakeTheShardsInTurn() throws Exception {
        // as DMM's routed channels do: bind to the instance's address, port 0, then connect; the port
        // is one of the client's own shard, so no connect moves (were the ports random, the flows
        // would land where their hash says: all eight in turn is a 1 in 256 chance)
        List<SocketChannel> channels = new ArrayList<>();
        try (StackInstance s = create("sh6", loopback("198.51.100.1/24", 2));
             ServerSocketChannel ss = s.openServerSocketChannel(null)) {
            ss.bind(new InetSocketAddress("198.51.100.1", 0));
            for (int i = 0; i < 8; i++) {
                SocketChannel c = s.openSocketChannel(null);
                channels.add(c);
                c.bind(new InetSocketAddress("198.51.100.1", 0));
                c.connect(ss.getLocalAddress());
                channels.add(ss.accept());
                Map<String, Long> counters = s.counters();
                assertEquals(2L * ((i + 2) / 2), counters.get("shard0_tcp_active_connections"), "after " + (i + 1) + ": " + counters);
                assertEquals(2L * ((i + 1) / 2), counters.get("shard1_tcp_active_connections"), "after " + (i + 1) + ": " + counters);
            }
        } finally {
            for (SocketChannel c : channels) c.close();
        }
    }

    @Test
    void aConnectionMakesProgressWhileAnotherShardsLockIsHeld() throws Exception {
        try (StackInstance s = create("sh1", loopback("198.51.100.1/24", 2));
             ServerSocketChannel ss = s.openServerSocketChannel(null);
             SocketChannel onShard0 = s.openSocketChannel(null);
             SocketChannel onShard1 = s.openSocketChannel(null)) {
            UserspaceStack stack = (UserspaceStack) s;
            ss.bind(new InetSocketAddress("198.51.100.1", 0));
            onShard0.connect(ss.getLocalAddress());
            onShard1.connect(ss.getLocalAddress());
            Map<SocketAddress, SocketChannel> accepted = acceptAll(ss, 2);
            assertEquals(2L, s.counters().get("shard1_tcp_active_connections"), s.counters().toString());
            SocketChannel peer1 = accepted.get(onShard1.getLocalAddress());
            StackLock shard0 = stack.shard(0).lock();
            shard0.lock();
            try {
                // another thread: this one holds shard 0's lock, reentrantly usable by itself
                BackgroundCall<String> call = BackgroundCall.start("echo on shard 1",
                        () -> echo(onShard1, peer1, "while shard 0 is held"));
                assertEquals("while shard 0 is held", call.result(WITHIN));
            } finally {
                shard0.unlock();
            }
            SocketChannel peer0 = accepted.get(onShard0.getLocalAddress());
            assertEquals("shard 0 again", echo(onShard0, peer0, "shard 0 again"));
            for (SocketChannel a : accepted.values()) a.close();
        }
    }

    @Test
    void aListenerIsReadyForConnectionsOfEveryShard() throws Exception {
        try (StackInstance s = create("sh2", loopback("198.51.100.1/24", 2));
             ServerSocketChannel ss = s.openServerSocketChannel(null);
             SocketChannel first = s.openSocketChannel(null);
             SocketChannel second = s.openSocketChannel(null)) {
            ss.bind(new InetSocketAddress("198.51.100.1", 0));
            ss.configureBlocking(false);
            ReadinessSource ready = (ReadinessSource) ss;
            AtomicInteger heard = new AtomicInteger();
            ready.setReadinessListener(src -> heard.incrementAndGet());
            assertNull(ss.accept());
            assertEquals(0, ready.readyOps());
            for (SocketChannel c : List.of(first, second)) {
                int before = heard.get();
                c.connect(ss.getLocalAddress());
                Waits.until("OP_ACCEPT for " + c, WITHIN, () -> (ready.readyOps() & SelectionKey.OP_ACCEPT) != 0);
                assertTrue(heard.get() > before, "the readiness listener heard of the connection");
                SocketChannel a = ss.accept();
                assertNotNull(a);
                assertEquals(c.getLocalAddress(), a.getRemoteAddress());
                assertEquals(0, ready.readyOps());
                a.close();
            }
            Map<String, Long> counters = s.counters();
            assertTrue(counters.get("shard0_tcp_segments_rx") > 0 && counters.get("shard1_tcp_segments_rx") > 0,
                    counters.toString());
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)  // a flow on the wrong shard hangs its connect or its reads
    void framesFromADeviceReachTheShardThatOwnsTheirFlow() throws Exception {
        try (StackInstance a = create("sha", Map.of("address", "10.7.0.1/24", "shards", 2L,
                "device", Map.of("driver", "pair", "link", "sharded")));
             StackInstance b = create("shb", Map.of("address", "10.7.0.2/24", "shards", 2L,
                     "device", Map.of("driver", "pair", "link", "sharded")));
             ServerSocketChannel ss = b.openServerSocketChannel(null)) {
            ss.bind(new InetSocketAddress("10.7.0.2", 0));
            List<SocketChannel> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 12; i++) {
                    SocketChannel c = a.openSocketChannel(null);
                    clients.add(c);
                    // two thirds bound first to a port of their choosing: the connect moves those whose flow
                    // hashes to the other shard there (about half; all eight staying put is a 1 in 256 chance)
                    if (i % 3 != 2) c.bind(new InetSocketAddress("10.7.0.1", 20_000 + i));
                    c.connect(ss.getLocalAddress());
                }
                Map<SocketAddress, SocketChannel> accepted = acceptAll(ss, clients.size());
                for (SocketChannel c : clients) {
                    SocketChannel peer = accepted.get(c.getLocalAddress());
                    byte[] big = new byte[200_000];  // many segments each way, every one steered
                    for (int k = 0; k < big.length; k++) big[k] = (byte) (k * 31 + c.hashCode());
                    c.write(ByteBuffer.wrap(big));
                    ByteBuffer got = ByteBuffer.allocate(big.length);
                    while (got.hasRemaining()) assertTrue(peer.read(got) >= 0);
                    assertArrayEquals(big, got.array());
                    assertEquals("back", echo(peer, c, "back"));
                }
                for (StackInstance s : List.of(a, b)) {
                    Map<String, Long> counters = s.counters();
                    assertEquals(12L, counters.get("tcp_active_connections"), counters.toString());
                    assertTrue(counters.get("shard0_tcp_active_connections") > 0, counters.toString());
                    assertTrue(counters.get("shard1_tcp_active_connections") > 0, counters.toString());
                    // shard 0 polls the device: what it received for shard 1's flows went through its inbox
                    assertTrue(counters.get("shard1_handed_over") > 0, counters.toString());
                    assertEquals(0L, counters.get("tcp_rst_sent"), counters.toString());
                }
                for (SocketChannel p : accepted.values()) p.close();
            } finally {
                for (SocketChannel c : clients) c.close();
            }
        }
    }

    @Test
    void udpLivesOnShardZeroOfAShardedInstance() throws Exception {
        try (StackInstance s = create("sh3", loopback("198.51.100.1/24", 2));
             DatagramChannel d1 = s.openDatagramChannel(null);
             DatagramChannel d2 = s.openDatagramChannel(null)) {
            d1.bind(new InetSocketAddress("198.51.100.1", 0));
            d2.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), d1.getLocalAddress());
            ByteBuffer b = ByteBuffer.allocate(10);
            assertNotNull(d1.receive(b));
            assertEquals(3, b.position());
        }
    }

    @Test
    void oneShardIsTheDefaultAndKeepsTheInstanceAsItWas() throws Exception {
        try (StackInstance s = create("sh4", Map.of("address", "198.51.100.1/24", "device", Map.of("driver", "loopback")))) {
            UserspaceStack stack = (UserspaceStack) s;
            assertEquals(1, stack.shardCount());
            assertEquals("dmm-userspace-sh4", stack.loopThread().getName());
            assertSame(stack.lock(), stack.shard(0).lock());
            try (ServerSocketChannel ss = s.openServerSocketChannel(null); SocketChannel c = s.openSocketChannel(null)) {
                ss.bind(new InetSocketAddress("198.51.100.1", 0));
                c.connect(ss.getLocalAddress());
                try (SocketChannel a = ss.accept()) {
                    assertEquals("one shard", echo(c, a, "one shard"));
                }
            }
            assertFalse(s.counters().keySet().stream().anyMatch(k -> k.startsWith("shard")), s.counters().toString());
        }
    }

    @Test
    void closingAShardedInstanceStopsEveryLoop() throws Exception {
        UserspaceStack s = (UserspaceStack) create("sh5", loopback("198.51.100.1/24", 3));
        Thread[] loops = {s.loopThread(0), s.loopThread(1), s.loopThread(2)};
        s.close();
        for (Thread t : loops) assertFalse(t.isAlive(), t.getName());
    }
}
