package io.dmm.stack.userspace.tcp;

import static io.dmm.stack.userspace.tcp.Seg.seg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.StackLock;
import io.dmm.stack.userspace.iface.Egress;
import io.dmm.stack.userspace.time.ManualClock;
import io.dmm.stack.userspace.wire.Ipv4Address;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** 10,000 idle connections cost no timer work; a steady request/response allocates nothing per segment. */
class TcpScaleAndAllocationTest {
    @Test
    void tenThousandIdleConnectionsArmNoTimersAndHoldNoBuffers() {
        TcpHarness t = new TcpHarness();
        TcpListener l = t.locked(() -> t.stack.listen(TcpHarness.LOCAL, 80, 20_000, new TcpSocketOptions()));
        for (int i = 0; i < 10_000; i++) {
            t.remotePort = 10_000 + i;
            t.send(seg().syn().seq(TcpHarness.PEER_ISS).mss(1460));
            Seg sa = t.recv();
            t.send(seg().ackOnly().seq(TcpHarness.PEER_ISS + 1).ack(sa.seq + 1));
        }
        int accepted = 0;
        while (t.locked(l::accept) != null) accepted++;
        assertEquals(10_000, accepted);
        assertEquals(10_000, t.locked(t.stack::activeConnections));
        assertEquals(0, t.stack.timerCount(), "idle connections must not sit in the timer heap");
        assertEquals(Long.MAX_VALUE, t.locked(() -> t.stack.poll(t.now())));
    }

    /** Moves packets between two stacks through preallocated slots (no allocation). */
    static final class PipeEgress implements Egress {
        static final int SLOT = 2048;
        final MemorySegment tx = Arena.ofAuto().allocate(SLOT);
        final MemorySegment queue = Arena.ofAuto().allocate(SLOT * 64L);
        final int[] lengths = new int[64];
        final int[] srcs = new int[64];
        final int[] dsts = new int[64];
        int head, tail;
        final int local;
        int src, dst;

        PipeEgress(int local) {
            this.local = local;
        }

        @Override public boolean begin(int srcIp, int dstIp, int protocol) { src = srcIp; dst = dstIp; return true; }
        @Override public MemorySegment memory() { return tx; }
        @Override public long l4Offset() { return 0; }
        @Override public int l4Capacity() { return 1480; }
        @Override public void send(int len) {
            int slot = tail++ & 63;
            MemorySegment.copy(tx, 0, queue, (long) slot * SLOT, len);
            lengths[slot] = len;
            srcs[slot] = src;
            dsts[slot] = dst;
        }
        @Override public void abort() { }
        @Override public boolean txChecksumOffload() { return false; }
        @Override public int mtu() { return 1500; }
        @Override public boolean isLocalAddress(int ip) { return ip == local; }
        @Override public int sourceAddressFor(int dstIp) { return local; }

        void deliverTo(TcpStack other) {
            while (head != tail) {
                int slot = head++ & 63;
                other.ingress(queue, (long) slot * SLOT, lengths[slot], srcs[slot], dsts[slot], false);
            }
        }
    }

    @Test
    void steadyRequestResponseAllocatesNothing() throws Exception {
        int bIp = Ipv4Address.of(10, 2, 0, 2);
        PipedStacks pipe = new PipedStacks(Ipv4Address.of(10, 2, 0, 1), bIp, TcpConfig.defaults());
        ManualClock clock = pipe.clock;
        StackLock lock = pipe.lock;
        PipeEgress ea = pipe.ea, eb = pipe.eb;
        TcpStack a = pipe.a, b = pipe.b;
        lock.lock();
        try {
            TcpListener l = b.listen(bIp, 7, 4, new TcpSocketOptions());
            TcpConnection ca = a.connect(0, a.bind(0, 0, false), bIp, 7, new TcpSocketOptions());
            for (int i = 0; i < 4; i++) {
                ea.deliverTo(b);
                eb.deliverTo(a);
            }
            TcpConnection cb = l.accept();
            ByteBuffer req = ByteBuffer.allocateDirect(3000);
            ByteBuffer resp = ByteBuffer.allocateDirect(3000);
            ByteBuffer sink = ByteBuffer.allocateDirect(8192);
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().threadId();
            long before = 0;
            int rounds = 20_000;
            long gotB = 0, gotA = 0;
            int n;
            for (int r = 0; r < rounds; r++) {
                if (r == rounds / 2) before = mx.getThreadAllocatedBytes(tid);
                req.clear();
                ca.write(req);
                ea.deliverTo(b);
                sink.clear();
                while ((n = cb.read(sink)) > 0) {
                    gotB += n;
                    sink.clear();
                }
                resp.clear();
                cb.write(resp);
                eb.deliverTo(a);
                sink.clear();
                while ((n = ca.read(sink)) > 0) {
                    gotA += n;
                    sink.clear();
                }
                clock.advanceNanos(50_000);
                a.poll(clock.nanos());
                b.poll(clock.nanos());
                ea.deliverTo(b);
                eb.deliverTo(a);
            }
            long allocated = mx.getThreadAllocatedBytes(tid) - before;
            for (int r = 0; r < 10; r++) { // Nagle's held tails go out on the delayed ACKs
                clock.advanceNanos(50_000_000);
                a.poll(clock.nanos());
                b.poll(clock.nanos());
                ea.deliverTo(b);
                eb.deliverTo(a);
                sink.clear();
                while ((n = cb.read(sink)) > 0) {
                    gotB += n;
                    sink.clear();
                }
                while ((n = ca.read(sink)) > 0) {
                    gotA += n;
                    sink.clear();
                }
            }
            assertEquals(TcpState.ESTABLISHED, ca.state());
            assertEquals(3000L * rounds, gotB);
            assertEquals(3000L * rounds, gotA);
            assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes over " + rounds / 2 + " round trips");
        } finally {
            lock.unlock();
        }
    }
}
