package io.dmm.stack.userspace.channel;

import io.dmm.stack.userspace.StackCounters;
import io.dmm.stack.userspace.StackLock;
import io.dmm.stack.userspace.iface.Egress;
import io.dmm.stack.userspace.tcp.TcpConfig;
import io.dmm.stack.userspace.tcp.TcpStack;
import io.dmm.stack.userspace.time.Clock;
import io.dmm.stack.userspace.udp.UdpStack;
import io.dmm.stack.userspace.wire.Ipv4Address;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Real TCP and UDP engines over an in-test IPv4 loop, for the channels' behaviour tests: one local
 * address ({@link #LOCAL}); packets to it are handed back to the transports in the unlock hook
 * (run to completion in the sender's context, as Linux's loopback); packets to any other address
 * are lost (a black hole, for connect timeouts). A poll thread runs the TCP timers on the system clock.
 */
final class TestStacks {
    static final int LOCAL = Ipv4Address.of(10, 0, 0, 1);
    /** Routed nowhere: SYNs sent there are never answered. */
    static final int BLACK_HOLE = Ipv4Address.of(10, 0, 0, 99);

    private TestStacks() {}

    static TestStack loopback() {
        return new TestStack(0L);
    }

    static TestStack loopback(long spinNanos) {
        return new TestStack(spinNanos);
    }

    /** A stack instance's StackAccess, closeable. */
    static final class TestStack implements StackAccess, AutoCloseable {
        private final StackLock lock = new StackLock();
        private final StackCounters counters = new StackCounters();
        private final LoopIp ip = new LoopIp();
        private final TcpStack tcp;
        private final UdpStack udp;
        private final long spinNanos;
        private final Thread poller;
        private volatile boolean closed;

        TestStack(long spinNanos) {
            this.spinNanos = spinNanos;
            this.tcp = new TcpStack(ip, lock, Clock.SYSTEM, counters, TcpConfig.defaults());
            this.udp = new UdpStack(ip, lock, counters, 256 * 1024, 49152, 65535);
            lock.setUnlockHook(this::deliverLooped);
            this.poller = Thread.ofPlatform().daemon().name("test-stack-poll").start(this::pollLoop);
        }

        private void pollLoop() {
            while (!closed) {
                lock.lock();
                try {
                    if (!closed) tcp.poll(Clock.SYSTEM.nanos());
                } finally {
                    lock.unlock();
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }

        /** Under the lock: hands every packet sent to the local address back to its transport. */
        private void deliverLooped() {
            LoopIp.Packet p;
            while ((p = ip.queue.poll()) != null) {
                MemorySegment seg = MemorySegment.ofArray(p.bytes);
                if (p.protocol == 6) {
                    tcp.ingress(seg, 0, p.bytes.length, p.src, p.dst, false);
                } else if (p.protocol == 17) {
                    if (!udp.ingress(seg, 0, p.bytes.length, p.src, p.dst, false)) {
                        // no socket: the interface's ICMP port unreachable, quoting what was sent
                        int srcPort = Short.toUnsignedInt(seg.get(BE_SHORT, 0));
                        int dstPort = Short.toUnsignedInt(seg.get(BE_SHORT, 2));
                        udp.destinationUnreachable(3, p.src, srcPort, p.dst, dstPort);
                    }
                }
            }
        }

        StackCounters counters() {
            return counters;
        }

        @Override public String name() { return "test0"; }
        @Override public StackLock lock() { return lock; }
        @Override public TcpStack tcp() { return tcp; }
        @Override public UdpStack udp() { return udp; }
        @Override public Egress ip() { return ip; }
        @Override public long spinNanos() { return spinNanos; }

        @Override
        public void ensureOpen() throws IOException {
            if (closed) throw new IOException("stack test0 is closed");
        }

        @Override
        public void close() {
            closed = true;
            boolean interrupted = false;
            while (true) {
                try {
                    poller.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            lock.lock();
            try {
                tcp.shutdown();
                udp.shutdown();
            } finally {
                lock.unlock();
            }
        }
    }

    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** The IPv4 layer of the loop: builds one packet at a time in a fixed buffer, queues local ones. */
    private static final class LoopIp implements Egress {
        private static final int MTU = 1500;
        private static final int IP_HEADER = 20;

        record Packet(int protocol, int src, int dst, byte[] bytes) {}

        final ArrayDeque<Packet> queue = new ArrayDeque<>();
        private final MemorySegment tx = MemorySegment.ofArray(new byte[MTU]);
        private boolean open;
        private int src;
        private int dst;
        private int protocol;

        @Override
        public boolean begin(int srcIp, int dstIp, int protocol) {
            if (open) throw new IllegalStateException("a packet is already open");
            open = true;
            this.src = srcIp;
            this.dst = dstIp;
            this.protocol = protocol;
            return true;
        }

        @Override public MemorySegment memory() { return tx; }
        @Override public long l4Offset() { return IP_HEADER; }
        @Override public int l4Capacity() { return MTU - IP_HEADER; }

        @Override
        public void send(int l4Length) {
            if (!open) throw new IllegalStateException("no open packet");
            open = false;
            if (dst == LOCAL) {
                byte[] bytes = tx.asSlice(IP_HEADER, l4Length).toArray(ValueLayout.JAVA_BYTE);
                queue.add(new Packet(protocol, src, dst, bytes));
            }
        }

        @Override
        public void abort() {
            open = false;
        }

        @Override public boolean txChecksumOffload() { return false; }
        @Override public int mtu() { return MTU; }
        @Override public boolean isLocalAddress(int ip) { return ip == LOCAL; }
        @Override public int sourceAddressFor(int dstIp) { return LOCAL; }
    }
}
