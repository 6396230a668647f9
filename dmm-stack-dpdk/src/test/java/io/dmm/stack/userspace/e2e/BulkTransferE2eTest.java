package io.dmm.stack.userspace.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.spi.StackInstance;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A gibibyte through two userspace stacks on a pair link whose both directions are unreliable,
 * through the NIO channels an application gets, checked with SHA-256 end to end.
 *
 * <p>TCP settings, and why: {@code minRto 5ms} (default 10 ms) and {@code initialRto 50ms} (default
 * 1 s): the link's RTT is microseconds, so at 5% loss the retransmission timer, not the link, sets
 * the pace whenever fast retransmit cannot repair a loss (a lost retransmission, a lost tail); a
 * 1 s initial RTO would stall the handshake for a second on every lost SYN. {@code sendBuffer} and
 * {@code receiveBuffer} of 4 MiB keep enough data in flight for SACK recovery to overlap repair
 * and new data. The link MTU is 9000 (jumbo frames): the stack's cost is per segment, and at 1500
 * a gibibyte is ~730,000 segments each way, measured at ~2 minutes on the 2-core CI machine.
 */
class BulkTransferE2eTest {
    static final long GIB = 1L << 30;
    static final Map<String, Object> DEVICE = Map.of("mtu", 9000L);
    static final Map<String, Object> TCP = Map.of("minRto", "5ms", "initialRto", "50ms",
            "sendBuffer", 4L << 20, "receiveBuffer", 4L << 20);
    static final int PORT = 9000;

    /** Loss 5%, reordering 2% and duplication 1%, each end's transmissions with its own seed. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void gibibyteServerToClientThroughLossReorderingAndDuplication() throws Exception {
        try (LinkedStacks s = LinkedStacks.open("lossy", DEVICE, lossy(11), lossy(12), TCP)) {
            moveAndCheck(s, GIB, 0);
            for (StackInstance end : new StackInstance[] {s.client, s.server}) {
                Map<String, Long> c = end.counters();
                assertTrue(c.get("device_dropped") > 0, c::toString);
                assertTrue(c.get("device_reordered") > 0, c::toString);
                assertTrue(c.get("device_duplicated") > 0, c::toString);
            }
            Map<String, Long> server = s.server.counters();
            assertTrue(server.get("tcp_retransmits") >= server.get("device_dropped") / 2,
                    "a lost data segment must be retransmitted: " + server);
            assertTrue(s.client.counters().get("tcp_duplicate_segments") > 0);
        }
    }

    /**
     * 0.1% of frames get one bit flipped (both directions, half a gibibyte each way at once). A flip
     * anywhere past the Ethernet header lands in the IPv4 header (the header checksum covers every
     * bit) or in the TCP segment (the TCP checksum covers header, payload and the addresses), so
     * every corrupted frame must end as exactly one drop at the receiver, and the streams must be
     * exact. The plan corrupts nothing else: no loss, so a drop has no other cause.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void gibibyteBothWaysThroughCorruptionEveryFlipCaught() throws Exception {
        try (LinkedStacks s = LinkedStacks.open("corrupt", DEVICE, corrupting(21), corrupting(22), TCP)) {
            moveAndCheck(s, GIB / 2, GIB / 2);
            Map<String, Long> client = s.client.counters();
            Map<String, Long> server = s.server.counters();
            assertCorruptionCaught(client, server);
            assertCorruptionCaught(server, client);
        }
    }

    /** Drops by TCP's rules (RFC 9293 acceptability, PAWS, backlog, no listener), which a flipped bit cannot cause. */
    private static final java.util.Set<String> TCP_PROTOCOL_DROPS = java.util.Set.of(
            "drop_tcp_out_of_window", "drop_tcp_paws", "drop_tcp_backlog_full", "drop_tcp_no_listener");

    private static void assertCorruptionCaught(Map<String, Long> sender, Map<String, Long> receiver) {
        long corrupted = sender.get("device_corrupted");
        assertTrue(corrupted > 20, "the injector must have corrupted frames: " + sender);
        long checksumDrops = receiver.get("drop_ipv4_checksum") + receiver.get("drop_tcp_checksum");
        assertTrue(receiver.get("drop_tcp_checksum") > 0, receiver::toString);
        assertTrue(receiver.get("drop_ipv4_checksum") > 0, receiver::toString);
        long allDrops = 0;
        for (Map.Entry<String, Long> e : receiver.entrySet()) {
            if (e.getKey().startsWith("drop_") && !TCP_PROTOCOL_DROPS.contains(e.getKey())) allDrops += e.getValue();
        }
        // A flipped bit in the IPv4 header may be caught as malformed (version, length) before the
        // checksum is looked at; any of those is a catch, and nothing else may have dropped. TCP's
        // own protocol drops are not corruption: a retransmission of data the receiver already
        // has, met by a window that closed meanwhile, is dropped as out of window (the loss the
        // corruption caused brings retransmissions, so a few of those are expected).
        assertEquals(corrupted, allDrops, "every corrupted frame is exactly one drop at the receiver: "
                + checksumDrops + " checksum drops; receiver " + receiver + "; sender " + sender);
        assertEquals(0, sender.get("device_dropped"));
    }

    static Map<String, Object> lossy(long seed) {
        return Map.of("seed", seed, "loss", 0.05, "reorder", 0.02, "duplicate", 0.01);
    }

    static Map<String, Object> corrupting(long seed) {
        return Map.of("seed", seed, "corrupt", 0.001);
    }

    /** Moves {@code toClient} bytes server→client and {@code toServer} bytes client→server at once. */
    static void moveAndCheck(LinkedStacks s, long toClient, long toServer) throws Exception {
        try (ServerSocketChannel ss = s.server.openServerSocketChannel(null);
             SocketChannel c = s.client.openSocketChannel(null)) {
            ss.bind(new InetSocketAddress(LinkedStacks.SERVER_IP, PORT));
            c.connect(new InetSocketAddress(LinkedStacks.SERVER_IP, PORT));
            try (SocketChannel a = ss.accept()) {
                FutureTask<Streams.Digest> serverSends = start("server-sends", () -> Streams.send(a, new StreamPattern(1), toClient));
                FutureTask<Streams.Digest> clientSends = start("client-sends", () -> Streams.send(c, new StreamPattern(2), toServer));
                FutureTask<Streams.Digest> serverReceives = start("server-receives", () -> Streams.receive(a));
                Streams.Digest clientReceived = Streams.receive(c);
                assertEquals(serverSends.get(), clientReceived, "server → client");
                assertEquals(toClient, clientReceived.bytes());
                assertEquals(clientSends.get(), serverReceives.get(), "client → server");
                assertEquals(toServer, serverReceives.get().bytes());
            }
        }
    }

    static <T> FutureTask<T> start(String name, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread.ofPlatform().name(name).daemon(true).start(task);
        return task;
    }
}
