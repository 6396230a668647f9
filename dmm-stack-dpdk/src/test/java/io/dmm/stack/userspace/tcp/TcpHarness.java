package io.dmm.stack.userspace.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.Notification;
import io.dmm.stack.userspace.StackCounters;
import io.dmm.stack.userspace.StackLock;
import io.dmm.stack.userspace.time.ManualClock;
import io.dmm.stack.userspace.wire.Checksum;
import io.dmm.stack.userspace.wire.Ipv4Address;
import io.dmm.stack.userspace.wire.TcpHeader;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.concurrent.Callable;

/**
 * smoltcp-style scenario driver at virtual time: the test plays the remote peer, {@link #send}s
 * segments into the stack and {@link #expect}s what it emits. The stack's lock is taken around
 * every step, as the poll loop and the channels do.
 */
final class TcpHarness {
    static final int LOCAL = Ipv4Address.of(10, 0, 0, 1);
    static final int REMOTE = Ipv4Address.of(10, 0, 0, 2);
    static final int LOCAL_PORT = 80;
    static final int REMOTE_PORT = 49152;

    final ManualClock clock = new ManualClock();
    final StackLock lock = new StackLock();
    final StackCounters counters = new StackCounters();
    final FakeEgress egress = new FakeEgress(LOCAL);
    final TcpConfig config;
    final TcpStack stack;
    int localPort = LOCAL_PORT;
    int remotePort = REMOTE_PORT;

    /** A notification that counts its deliveries. */
    static final class Counting extends Notification {
        int count;

        @Override
        protected void deliver() {
            count++;
        }
    }

    TcpHarness(TcpConfig config) {
        this.config = config;
        this.stack = new TcpStack(egress, lock, clock, counters, config, new IsnGenerator(1, 2), 42);
    }

    /** The scenarios' stack: defaults, but a 10 ms RTO floor, the round timings they were written with. */
    TcpHarness() {
        this(TcpConfig.defaults().toBuilder().minRto(java.time.Duration.ofMillis(10)).build());
    }

    <T> T locked(Callable<T> c) {
        lock.lock();
        try {
            return c.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new RuntimeException(e);
        } finally {
            lock.unlock();
        }
    }

    void run(Runnable r) {
        locked(() -> {
            r.run();
            return null;
        });
    }

    void send(Seg s) {
        byte[] b = s.encode(REMOTE, LOCAL, remotePort, localPort);
        ingress(b, REMOTE, LOCAL, false);
    }

    void ingress(byte[] b, int src, int dst, boolean verified) {
        MemorySegment m = MemorySegment.ofArray(new byte[b.length + 8]);
        MemorySegment.copy(MemorySegment.ofArray(b), 0, m, 8, b.length);
        locked(() -> stack.ingress(m, 8, b.length, src, dst, verified));
    }

    /** The next segment the stack sent (checks its addresses and checksum). */
    Seg recv() {
        FakeEgress.Packet p = egress.sent.pollFirst();
        if (p == null) fail("expected a segment, none was sent");
        if (!egress.offload && p.segmentSize() == 0) {  // a TSO packet's checksums are the device's
            assertTrue(Checksum.transportVerifies(MemorySegment.ofArray(p.l4()), 0, p.l4().length, p.srcIp(), p.dstIp(), 6),
                    "bad checksum on emitted segment");
        }
        Seg s = Seg.decode(p.l4());
        s.tos = p.tos();
        s.segmentSize = p.segmentSize();
        return s;
    }

    Seg expect(Seg pattern) {
        Seg actual = recv();
        pattern.check(actual);
        return actual;
    }

    void expectNothing() {
        if (!egress.sent.isEmpty()) fail("expected nothing, got " + Seg.decode(egress.sent.peekFirst().l4()));
    }

    void drain() {
        egress.sent.clear();
    }

    long now() {
        return clock.nanos();
    }

    /** Moves virtual time forward, running each timer at its deadline. */
    void advance(long millis) {
        long target = clock.nanos() + millis * 1_000_000L;
        while (true) {
            long d = locked(stack::nextDeadline);
            if (d > target) break;
            clock.advanceTo(d);
            locked(() -> stack.poll(clock.nanos()));
        }
        clock.advanceTo(target);
        locked(() -> stack.poll(clock.nanos()));
    }

    long count(Counter c) {
        return counters.get(c);
    }

    // ---- common openings

    TcpListener listen() {
        return locked(() -> stack.listen(LOCAL, localPort, 8, new TcpSocketOptions()));
    }

    static final int PEER_ISS = 1000;

    /**
     * Passive open against a listener: the peer sends SYN (ISS 1000, MSS 1460, with the given
     * options), we check the SYN-ACK, the peer ACKs; returns the accepted connection.
     */
    TcpConnection acceptWith(TcpListener l, Seg syn) {
        send(syn.seq(PEER_ISS));
        Seg synAck = expect(Seg.seg().synAck().ack(PEER_ISS + 1));
        Seg ack = Seg.seg().ackOnly().seq(PEER_ISS + 1).ack(synAck.seq + 1);
        if (Boolean.TRUE.equals(syn.hasTs)) ack.ts(syn.tsVal + 1, synAck.tsVal);
        if (syn.window != null) ack.window(syn.window);
        send(ack);
        expectNothing();
        TcpConnection c = locked(l::accept);
        assertNotNull(c, "handshake did not complete");
        assertEquals(TcpState.ESTABLISHED, c.state());
        return c;
    }

    /** Plain passive open: MSS 1460, no window scaling, SACK or timestamps. */
    TcpConnection accept(TcpListener l) {
        return acceptWith(l, Seg.seg().syn().mss(1460).window(65535));
    }

    TcpConnection connect(TcpSocketOptions o) {
        return locked(() -> {
            int port = stack.bind(0, 0, false);
            localPort = port;
            return stack.connect(0, port, REMOTE, remotePort, o);
        });
    }

    int write(TcpConnection c, String s) {
        return write(c, s.getBytes());
    }

    int write(TcpConnection c, byte[] b) {
        return locked(() -> {
            try {
                return c.write(ByteBuffer.wrap(b));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    String read(TcpConnection c, int max) {
        return locked(() -> {
            ByteBuffer bb = ByteBuffer.allocate(max);
            int n = c.read(bb);
            if (n < 0) return null;
            return new String(bb.array(), 0, bb.position());
        });
    }

    int readCount(TcpConnection c, int max) {
        return locked(() -> c.read(ByteBuffer.allocate(max)));
    }

    IOException readError(TcpConnection c) {
        return locked(() -> {
            try {
                c.read(ByteBuffer.allocate(10));
                return null;
            } catch (IOException e) {
                return e;
            }
        });
    }

    IOException writeError(TcpConnection c) {
        return locked(() -> {
            try {
                c.write(ByteBuffer.wrap(new byte[] {1}));
                return null;
            } catch (IOException e) {
                return e;
            }
        });
    }

    static void assertNoError(IOException e) {
        assertNull(e);
    }

    static int flags(int... f) {
        int r = 0;
        for (int x : f) r |= x;
        return r;
    }

    static final int SYN = TcpHeader.SYN, ACK = TcpHeader.ACK, FIN = TcpHeader.FIN, RST = TcpHeader.RST, PSH = TcpHeader.PSH;
}
