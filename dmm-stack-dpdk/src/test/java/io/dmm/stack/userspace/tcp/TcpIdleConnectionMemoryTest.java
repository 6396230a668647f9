package io.dmm.stack.userspace.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.StackLock;
import io.dmm.stack.userspace.tcp.TcpScaleAndAllocationTest.PipeEgress;
import io.dmm.stack.userspace.time.ManualClock;
import io.dmm.stack.userspace.wire.Ipv4Address;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * What an idle connection that has carried data costs: the target is at most 16 KiB (it
 * was 512 KiB: two 256 KiB rings kept for the connection's life). Two stacks joined by a pipe open
 * {@link #PAIRS} connections with the default settings, move a request and a response of
 * {@link #MESSAGE} bytes on each, and go idle; the cost per connection is the live heap they added
 * (after full GCs) plus the off-heap slabs both stacks' buffer pools allocated.
 */
class TcpIdleConnectionMemoryTest {
    private static final int PAIRS = 2_000;
    private static final int MESSAGE = 1_000;
    private static final long LIMIT = 16 * 1024;

    private static long liveHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void anIdleConnectionThatCarriedDataCostsAtMost16KiB() throws Exception {
        int bIp = Ipv4Address.of(10, 3, 0, 2);
        TcpConfig cfg = TcpConfig.defaults();
        PipedStacks pipe = new PipedStacks(Ipv4Address.of(10, 3, 0, 1), bIp, cfg);
        ManualClock clock = pipe.clock;
        StackLock lock = pipe.lock;
        PipeEgress ea = pipe.ea, eb = pipe.eb;
        TcpStack a = pipe.a, b = pipe.b;
        TcpConnection[] clients = new TcpConnection[PAIRS];
        TcpConnection[] servers = new TcpConnection[PAIRS];
        ByteBuffer message = ByteBuffer.allocate(MESSAGE);
        ByteBuffer sink = ByteBuffer.allocate(MESSAGE);
        long before;
        lock.lock();
        try {
            TcpListener l = b.listen(bIp, 80, PAIRS, new TcpSocketOptions());
            before = liveHeap();
            for (int i = 0; i < PAIRS; i++) {
                clients[i] = a.connect(0, a.bind(0, 0, false), bIp, 80, new TcpSocketOptions());
                ea.deliverTo(b);
                eb.deliverTo(a);
                ea.deliverTo(b);
                servers[i] = l.accept();
                message.clear();
                assertEquals(MESSAGE, clients[i].write(message));
                ea.deliverTo(b);
                sink.clear();
                assertEquals(MESSAGE, servers[i].read(sink));
                message.clear();
                assertEquals(MESSAGE, servers[i].write(message));
                eb.deliverTo(a);
                sink.clear();
                assertEquals(MESSAGE, clients[i].read(sink));
                // the client's delayed ACK goes out: every byte is acknowledged, nothing is queued
                clock.advanceNanos(cfg.delayedAckNanos);
                a.poll(clock.nanos());
                ea.deliverTo(b);
            }
        } finally {
            lock.unlock();
        }
        long heap = liveHeap() - before;
        long pools = a.bufferPool().bytesAllocated() + b.bufferPool().bytesAllocated();
        long perConnection = (heap + pools) / (2L * PAIRS);
        System.out.printf("idle connection after %d bytes each way: %d B heap + %d B pool slabs per connection%n",
                MESSAGE, heap / (2L * PAIRS), pools / (2L * PAIRS));
        for (int i = 0; i < PAIRS; i++) {
            assertEquals(TcpState.ESTABLISHED, clients[i].state());
            assertEquals(TcpState.ESTABLISHED, servers[i].state());
        }
        assertTrue(perConnection <= LIMIT, perConnection + " bytes per idle connection, more than " + LIMIT);
        assertEquals(0, a.bufferPool().chunksInUse() + b.bufferPool().chunksInUse(), "idle connections hold no chunks");
        Reference.reachabilityFence(clients);
        Reference.reachabilityFence(servers);
    }
}
