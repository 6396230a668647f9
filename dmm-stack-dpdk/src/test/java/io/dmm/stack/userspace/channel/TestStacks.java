package io.dmm.stack.userspace.channel;

import io.dmm.stack.userspace.StackCounters;
import io.dmm.stack.userspace.StackLock;
import io.dmm.stack.userspace.iface.Egress;
import io.dmm.stack.userspace.iface.InterfaceConfig;
import io.dmm.stack.userspace.iface.Ipv4Interface;
import io.dmm.stack.userspace.iface.MulticastGroups;
import io.dmm.stack.userspace.phy.LoopbackDevice;
import io.dmm.stack.userspace.tcp.TcpConfig;
import io.dmm.stack.userspace.tcp.TcpStack;
import io.dmm.stack.userspace.time.Clock;
import io.dmm.stack.userspace.udp.UdpStack;
import io.dmm.stack.userspace.wire.Ipv4Address;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Real TCP and UDP engines for the channels' behaviour tests, with one local address
 * ({@link #LOCAL}) and one address that never answers ({@link #BLACK_HOLE}, for connect timeouts).
 * Two plumbings below the transports:
 * <ul>
 *   <li>{@link #loopback()}: the stack's own IPv4 interface over a {@link LoopbackDevice}, as an
 *       instance runs it; what the unlock hook drains is the interface's local queue and the device.</li>
 *   <li>{@link #directLoop()}: an in-test IPv4 loop handing each packet straight back to its
 *       transport, answering UDP to closed ports with the interface's ICMP port unreachable; it
 *       isolates the channels from the interface layer.</li>
 * </ul>
 * Looped packets are delivered in the stack lock's unlock hook (run to completion in the sender's
 * context, as Linux's loopback); a poll thread runs the timers on the system clock.
 */
final class TestStacks {
    static final int LOCAL = Ipv4Address.of(10, 0, 0, 1);
    /** On the local subnet but nobody's: ARP (or the loop) never answers, so SYNs are lost. */
    static final int BLACK_HOLE = Ipv4Address.of(10, 0, 0, 99);

    private TestStacks() {}

    /** Over the real interface and loopback device. */
    static TestStack loopback() {
        return loopback(0L);
    }

    static TestStack loopback(long spinNanos) {
        return new InterfaceStack(spinNanos);
    }

    /** Over the in-test IPv4 loop. */
    static TestStack directLoop() {
        return new DirectLoopStack(0L);
    }

    static TestStack directLoop(long spinNanos) {
        return new DirectLoopStack(spinNanos);
    }

    /** A stack instance's StackAccess, closeable. */
    abstract static class TestStack implements StackAccess, AutoCloseable {
        final StackLock lock = new StackLock();
        final StackCounters counters = new StackCounters();
        private final long spinNanos;
        private TcpStack tcp;
        private UdpStack udp;
        private Thread poller;
        private volatile boolean closed;

        TestStack(long spinNanos) {
            this.spinNanos = spinNanos;
        }

        /** Builds the engines over {@code egress} and starts the poll thread; called by subclass constructors. */
        final void start(Egress egress) {
            tcp = new TcpStack(egress, lock, Clock.SYSTEM, counters, TcpConfig.defaults());
            udp = new UdpStack(egress, lock, counters, 256 * 1024, 49152, 65535);
            lock.setUnlockHook(this::deliverLooped);
            poller = Thread.ofPlatform().daemon().name("test-stack-poll").start(this::pollLoop);
        }

        /** Under the lock: hands looped packets back up until none are left. */
        abstract void deliverLooped();

        /** Under the lock: the plumbing's own timers. */
        abstract void pollBelow(long nowNanos);

        private void pollLoop() {
            while (!closed) {
                lock.lock();
                try {
                    if (!closed) {
                        long now = Clock.SYSTEM.nanos();
                        pollBelow(now);
                        tcp.poll(now);
                    }
                } finally {
                    lock.unlock();
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }

        StackCounters counters() {
            return counters;
        }

        @Override public String name() { return "test0"; }
        @Override public StackLock lock() { return lock; }
        @Override public TcpStack tcp() { return tcp; }
        @Override public UdpStack udp() { return udp; }
        @Override public long spinNanos() { return spinNanos; }

        @Override
        public void ensureOpen() throws IOException {
            if (closed) throw new IOException("stack test0 is closed");
        }

        @Override
        public void close() {
            closed = true;
            boolean interrupted = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            try {
                while (poller.isAlive()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) throw new IllegalStateException("the test stack's poll thread did not stop within 10 s");
                    try {
                        poller.join(Duration.ofNanos(left));
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) Thread.currentThread().interrupt();
            }
            lock.lock();
            try {
                tcp.shutdown();
                udp.shutdown();
            } finally {
                lock.unlock();
            }
        }
    }

    /** The instance's real layering: Ipv4Interface over a LoopbackDevice. */
    private static final class InterfaceStack extends TestStack {
        private final LoopbackDevice device = new LoopbackDevice("lo-test", 1500, 256, LoopbackDevice.DEFAULT_MAC);
        private final Ipv4Interface iface;

        InterfaceStack(long spinNanos) {
            super(spinNanos);
            InterfaceConfig config = InterfaceConfig.builder().address(LOCAL, 24).build();
            iface = new Ipv4Interface(device, config, Clock.SYSTEM, counters);
            start(iface);
            iface.setTransport(6, tcp());
            iface.setTransport(17, udp());
        }

        @Override
        void deliverLooped() {
            // bounded: two endpoints answering each other cannot keep the unlocking thread here forever
            for (int round = 0; round < 10_000 && (iface.localPending() > 0 || device.rxPending()); round++) {
                iface.drainLocal();
                device.receive(iface, 64);
            }
            iface.flush();
        }

        @Override
        void pollBelow(long nowNanos) {
            iface.poll(nowNanos);
        }

        @Override
        public Egress ip() {
            return iface;
        }

        @Override
        public MulticastGroups multicast() {
            return iface.multicast();
        }
    }

    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** Transports over {@link LoopIp}. */
    private static final class DirectLoopStack extends TestStack {
        private final LoopIp ip = new LoopIp();
        private final MulticastGroups groups = new MulticastGroups(new MulticastGroups.Output() {
            @Override public void sendIgmp(int dstIp, MemorySegment message, int length) {}
            @Override public void membershipChanged() {}
        }, Clock.SYSTEM, counters, 1L, 1476);

        DirectLoopStack(long spinNanos) {
            super(spinNanos);
            start(ip);
        }

        @Override
        void deliverLooped() {
            LoopIp.Packet p;
            while ((p = ip.queue.poll()) != null) {
                MemorySegment seg = MemorySegment.ofArray(p.bytes());
                if (p.protocol() == 6) {
                    tcp().ingress(seg, 0, p.bytes().length, p.src(), p.dst(), false);
                } else if (p.protocol() == 17) {
                    if (!udp().ingress(seg, 0, p.bytes().length, p.src(), p.dst(), false)) {
                        // no socket: the interface's ICMP port unreachable, quoting what was sent
                        int srcPort = Short.toUnsignedInt(seg.get(BE_SHORT, 0));
                        int dstPort = Short.toUnsignedInt(seg.get(BE_SHORT, 2));
                        udp().destinationUnreachable(3, p.src(), srcPort, p.dst(), dstPort);
                    }
                }
            }
        }

        @Override
        void pollBelow(long nowNanos) {
            // no timers below the transports
        }

        @Override
        public Egress ip() {
            return ip;
        }

        /** Groups joined over the direct loop: kept, and IGMP goes nowhere (the loop carries only TCP and UDP). */
        @Override
        public MulticastGroups multicast() {
            return groups;
        }
    }

    /** The IPv4 layer of the direct loop: builds one packet at a time in a fixed buffer, queues local ones. */
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
