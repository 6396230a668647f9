package io.dmm.stack.userspace.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.tcp.TcpScaleAndAllocationTest.PipeEgress;
import io.dmm.stack.userspace.wire.Ipv4Address;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Nagle with the peer's delayed ACKs, at a virtual time that never moves, so no timer can help:
 * one thread writes a burst that ends in a short tail and then reads it all at the other end,
 * again and again. As on Linux the tail leaves at once when no other short segment is
 * unacknowledged (Minshall's Nagle), and the read that drains a short segment ACKs it at once
 * (tcp_cleanup_rbuf), so the next burst's tail is not held either. Before, each burst waited
 * for the 40 ms delayed-ACK timer.
 */
class TcpNagleDelayedAckTest {
    private static final int A_IP = Ipv4Address.of(10, 4, 0, 1);
    private static final int B_IP = Ipv4Address.of(10, 4, 0, 2);
    private static final int ROUNDS = 20;

    private final PipedStacks pipe = new PipedStacks(A_IP, B_IP, TcpConfig.defaults());

    /** Hands each side's packets to the other until none are left; true if any moved. */
    private boolean pump() {
        boolean moved = false;
        while (pipe.ea.head != pipe.ea.tail || pipe.eb.head != pipe.eb.tail) {
            moved = true;
            pipe.ea.deliverTo(pipe.b);
            pipe.eb.deliverTo(pipe.a);
        }
        return moved;
    }

    @ParameterizedTest(name = "{0} full segments and {1} bytes a burst")
    @CsvSource({"1, 1", "5, 1", "45, 376", "0, 100"})
    void eachBurstArrivesWholeWithoutWaitingForATimer(int fullSegments, int tail) throws IOException {
        pipe.lock.lock();
        try {
            TcpListener l = pipe.b.listen(B_IP, 7, 4, new TcpSocketOptions());
            TcpConnection writer = pipe.a.connect(0, pipe.a.bind(0, 0, false), B_IP, 7, new TcpSocketOptions());
            pump();
            TcpConnection reader = l.accept();
            int burst = fullSegments * writer.sendMss + tail;
            ByteBuffer sink = ByteBuffer.allocate(8192);
            for (int round = 0; round < ROUNDS; round++) {
                ByteBuffer out = ByteBuffer.allocate(burst);
                long got = 0;
                while (out.hasRemaining() || got < burst) {
                    int wrote = out.hasRemaining() ? writer.write(out) : 0;
                    boolean moved = pump();
                    long before = got;
                    int n;
                    while ((n = reader.read(sink.clear())) > 0) {
                        got += n;
                        pump();
                    }
                    assertTrue(wrote > 0 || moved || got > before,
                            "round " + round + ": " + got + " of " + burst + " bytes arrived, the rest waits for a timer");
                }
                assertEquals(burst, got);
            }
            assertEquals(0, pipe.a.counters.get(Counter.TCP_DELAYED_ACKS) + pipe.b.counters.get(Counter.TCP_DELAYED_ACKS));
        } finally {
            pipe.lock.unlock();
        }
    }

    /**
     * A request and its answer, over and over (HTTP keep-alive, an RPC): once each side has answered
     * within a delayed-ACK time of what it read, it is interactive ("pingpong", as Linux's
     * tcp_event_data_sent), so a read no longer ACKs at once and each message carries the ACK of the
     * one before: one segment per message each way, as on Linux, not a message and a bare ACK.
     */
    @Test
    void aRequestAndItsAnswerCarryEachOthersAcks() throws IOException {
        pipe.lock.lock();
        try {
            TcpListener l = pipe.b.listen(B_IP, 7, 4, new TcpSocketOptions());
            TcpConnection client = pipe.a.connect(0, pipe.a.bind(0, 0, false), B_IP, 7, new TcpSocketOptions());
            pump();
            TcpConnection server = l.accept();
            ByteBuffer sink = ByteBuffer.allocate(8192);
            long clientSegments = 0;
            long serverSegments = 0;
            for (int round = 0; round < ROUNDS; round++) {
                if (round == 2) {  // the first rounds teach both sides that they are interactive
                    clientSegments = pipe.a.counters.get(Counter.TCP_SEGMENTS_TX);
                    serverSegments = pipe.b.counters.get(Counter.TCP_SEGMENTS_TX);
                }
                assertEquals(100, client.write(ByteBuffer.allocate(100)));
                pump();
                assertEquals(100, server.read(sink.clear()), "round " + round + ": the request");
                pump();
                assertEquals(200, server.write(ByteBuffer.allocate(200)));
                pump();
                assertEquals(200, client.read(sink.clear()), "round " + round + ": the answer");
                pump();
            }
            assertEquals(ROUNDS - 2, pipe.a.counters.get(Counter.TCP_SEGMENTS_TX) - clientSegments, "segments the client sent");
            assertEquals(ROUNDS - 2, pipe.b.counters.get(Counter.TCP_SEGMENTS_TX) - serverSegments, "segments the server sent");
        } finally {
            pipe.lock.unlock();
        }
    }
}
