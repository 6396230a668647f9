package io.dmm.stack.userspace.interop;

import static io.dmm.stack.userspace.interop.DpdkKernelLink.KERNEL_IP;
import static io.dmm.stack.userspace.interop.DpdkKernelLink.STACK_IP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.systemtest.host.BackgroundProcess;
import io.dmm.systemtest.host.CommandResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
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
 * 200 connections open at the same time, each echoing a few KB checked byte for byte: from the
 * userspace stack to a python3 asyncio echo server in the namespace, and from 200 python3 asyncio
 * clients to an echo server on the userspace stack. A virtual thread per connection on our side.
 *
 * <p>64 KiB socket buffers: the stack allocates each connection's buffers up front, and a few KB per
 * connection need nothing like the 256 KiB default.
 */
class ConcurrentConnectionsInteropTest {
    static final int CONNECTIONS = 200;
    static final int ECHO_BYTES = 4 * 1024;
    static final Map<String, Object> TCP = Map.of("sendBuffer", 64L * 1024, "receiveBuffer", 64L * 1024);
    static final Duration RUN = Duration.ofSeconds(40);

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void twoHundredConcurrentConnectionsFromUsToLinux() throws Exception {
        twoHundredConnectionsFromUs(Map.of());
    }

    /**
     * The same over a port with two queue pairs, so an instance of two shards (the default: one per
     * queue), each polling its own rx queue: our clients alternate between the shards, each on a port
     * whose flow hashes to its own, and a segment the tap put on the other shard's queue is handed over.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void twoHundredConcurrentConnectionsFromUsToLinuxOverTwoShards() throws Exception {
        assertBothShardsCarried(twoHundredConnectionsFromUs(Map.of("queues", 2L)).lastCounters);
    }

    private static void assertBothShardsCarried(Map<String, Long> c) {
        assertTrue(c.getOrDefault("shard0_tcp_segments_rx", 0L) > CONNECTIONS
                        && c.getOrDefault("shard1_tcp_segments_rx", 0L) > CONNECTIONS,
                () -> "both shards received their connections' segments: " + c);
        // each shard polls its own queue: the tap's hash is not ours, so each hands the other some
        // frames (were shard 0 polling both queues, nothing would be handed to it)
        assertTrue(c.getOrDefault("shard0_handed_over", 0L) > 0 && c.getOrDefault("shard1_handed_over", 0L) > 0,
                () -> "each shard handed the other the frames of its flows: " + c);
        assertEquals(0L, c.get("shard0_inbox_drops") + c.get("shard1_inbox_drops"), () -> "no frame found an inbox full: " + c);
    }

    private DpdkKernelLink twoHundredConnectionsFromUs(Map<String, Object> device) throws Exception {
        DpdkKernelLink opened;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
             DpdkKernelLink link = DpdkKernelLink.open(PortKind.TAP, TCP, device)) {
            Path script = PeerScripts.copy(link.ns, "echo_server.py");
            BackgroundProcess server = link.ns.spawn("python3", script.toString(), KERNEL_IP, "7100");
            link.ns.awaitListening(7100, server);
            InetSocketAddress address = new InetSocketAddress(KERNEL_IP, 7100);

            CountDownLatch connected = new CountDownLatch(CONNECTIONS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> clients = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                int id = i;
                clients.add(threads.submit(() -> {
                    try (SocketChannel c = link.stack.openSocketChannel(StandardProtocolFamily.INET)) {
                        c.connect(address);
                        connected.countDown();
                        go.await();
                        echoOnce(c, id);
                    }
                    return null;
                }));
            }
            assertTrue(connected.await(RUN.toSeconds(), TimeUnit.SECONDS),
                    () -> "connected: " + (CONNECTIONS - connected.getCount()) + "\n" + server.snapshot().describe() + "\n" + link.counters());
            // All of them established at once, as both stacks count them.
            assertEquals(CONNECTIONS, link.counter("tcp_active_connections"), () -> link.stack.counters().toString());
            String established = link.ns.execOk("ss", "-Htn", "state", "established", "( sport = :7100 )").stdout();
            assertEquals(CONNECTIONS, established.lines().count(), "connections Linux has established on its server port");
            go.countDown();
            for (Future<?> f : clients) f.get(RUN.toSeconds(), TimeUnit.SECONDS);
            link.lastCounters = link.stack.counters();
            opened = link;
        }
        return opened;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void twoHundredConcurrentLinuxClientsToOurEchoServer() throws Exception {
        twoHundredLinuxClients(Map.of());
    }

    /**
     * The same over a port with two queue pairs: the tap spreads the kernel's flows over both rx
     * queues (by its flow hash); the instance's two shards (one per queue by default) each poll one,
     * take the connections their flows hash to, accepted by one listener, and hand each other the
     * segments the tap put on the other's queue.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void twoHundredConcurrentLinuxClientsOverTwoQueues() throws Exception {
        DpdkKernelLink link = twoHundredLinuxClients(Map.of("queues", 2L));
        Map<String, Long> c = link.lastCounters;
        assertTrue(c.getOrDefault("device_port_rx_packets_q0", 0L) > 0 && c.getOrDefault("device_port_rx_packets_q1", 0L) > 0,
                () -> "both rx queues received: " + c);
        assertBothShardsCarried(c);
    }

    private DpdkKernelLink twoHundredLinuxClients(Map<String, Object> device) throws Exception {
        DpdkKernelLink opened;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
             DpdkKernelLink link = DpdkKernelLink.open(PortKind.TAP, TCP, device);
             ServerSocketChannel ss = link.stack.openServerSocketChannel(StandardProtocolFamily.INET)) {
            // A backlog above the burst: 200 SYNs arrive together and none should wait for a retry.
            ss.bind(new InetSocketAddress(STACK_IP, 7101), 2 * CONNECTIONS);
            long opens = link.counter("tcp_passive_opens");
            List<Future<?>> echoes = new ArrayList<>();
            Future<?> acceptor = threads.submit(() -> {
                for (int i = 0; i < CONNECTIONS; i++) {
                    SocketChannel a = ss.accept();
                    synchronized (echoes) {
                        echoes.add(threads.submit(() -> echoUntilEof(a)));
                    }
                }
                return null;
            });
            Path script = PeerScripts.copy(link.ns, "many_clients.py");

            BackgroundProcess clients = link.ns.spawn("python3", script.toString(), STACK_IP, "7101",
                    Integer.toString(CONNECTIONS), Integer.toString(ECHO_BYTES));
            CommandResult r = clients.awaitSuccess(RUN, link::counters);

            assertEquals(CONNECTIONS + " connections echoed " + ECHO_BYTES + " bytes each\n", r.stdout(), () -> r.describe() + "\n" + link.counters());
            acceptor.get(10, TimeUnit.SECONDS);
            synchronized (echoes) {
                for (Future<?> f : echoes) f.get(10, TimeUnit.SECONDS);
            }
            assertEquals(CONNECTIONS, link.counter("tcp_passive_opens") - opens, () -> link.stack.counters().toString());
            assertEquals(0, link.counter("drop_tcp_backlog_full"), () -> link.stack.counters().toString());
            link.lastCounters = link.stack.counters();
            opened = link;
        }
        return opened;
    }

    /** Sends this connection's own bytes and checks the echo byte for byte. */
    private static void echoOnce(SocketChannel c, int id) throws IOException {
        byte[] data = new byte[ECHO_BYTES];
        new SplittableRandom(id).nextBytes(data);
        ChannelIo.writeFully(c, ByteBuffer.wrap(data));
        ByteBuffer back = ByteBuffer.allocate(ECHO_BYTES);
        ChannelIo.readFully(c, back);
        assertArrayEquals(data, back.array(), "echo of connection " + id);
    }

    private static Void echoUntilEof(SocketChannel a) throws IOException {
        try (a) {
            ByteBuffer buf = ByteBuffer.allocate(8 * 1024);
            while (a.read(buf) >= 0) {
                buf.flip();
                ChannelIo.writeFully(a, buf);
                buf.clear();
            }
        }
        return null;
    }
}
