package io.dmm.stack.userspace;

import io.dmm.api.Protocol;
import io.dmm.api.spi.StackHealth;
import io.dmm.api.spi.StackInstance;
import io.dmm.stack.userspace.channel.StackAccess;
import io.dmm.stack.userspace.channel.UserspaceDatagramChannel;
import io.dmm.stack.userspace.channel.UserspaceServerSocketChannel;
import io.dmm.stack.userspace.channel.UserspaceSocketChannel;
import io.dmm.stack.userspace.config.UserspaceConfig;
import io.dmm.stack.userspace.dpdk.Eal;
import io.dmm.stack.userspace.iface.Egress;
import io.dmm.stack.userspace.iface.InterfaceConfig;
import io.dmm.stack.userspace.iface.Ipv4Cidr;
import io.dmm.stack.userspace.iface.Ipv4Interface;
import io.dmm.stack.userspace.phy.Device;
import io.dmm.stack.userspace.phy.FaultInjector;
import io.dmm.stack.userspace.poll.DutyCycle;
import io.dmm.stack.userspace.poll.IdleStrategy;
import io.dmm.stack.userspace.poll.PollLoop;
import io.dmm.stack.userspace.tcp.TcpStack;
import io.dmm.stack.userspace.time.Clock;
import io.dmm.stack.userspace.udp.UdpStack;
import io.dmm.stack.userspace.wire.Ipv4Address;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One running userspace stack instance: a device, the IPv4 interface on it, TCP and UDP, and the
 * poll loop thread that drives them — the {@link StackInstance} DMM routes sockets to.
 *
 * <p>Who runs the protocol code: the poll loop for received frames and timers, and application
 * threads for their own socket calls (sending what a write allows at once, as Linux sends in
 * process context). On a loopback device the frames a call sends are also received by that call,
 * run to completion before the lock is released, so a ping-pong needs no thread hand-off.
 */
public final class UserspaceStack implements StackInstance, StackAccess {
    private static final int RX_BURST = 64;
    /** Loopback run-to-completion rounds per unlock: bounds the work one application call does. */
    private static final int MAX_INLINE_ROUNDS = 64;

    private final UserspaceConfig config;
    private final StackLock lock = new StackLock();
    private final StackCounters counters = new StackCounters();
    private final Device device;
    private final boolean inlineRx;
    /** The fault injector in the device chain, or null: frames it holds are due at times the loop must honour. */
    private final FaultInjector faults;
    /** On a DPDK port: the EAL closes this instance at JVM shutdown before it cleans up. */
    private final boolean dpdk;
    private final Ipv4Interface iface;
    private final TcpStack tcp;
    private final UdpStack udp;
    private final PollLoop loop;
    /** When the poll loop means to wake next (clock nanos); application calls that arm an earlier timer wake it. */
    private volatile long loopDeadline = Long.MAX_VALUE;
    private volatile boolean closed;

    private UserspaceStack(UserspaceConfig config, Clock clock, Devices.Opened opened) {
        this.config = config;
        this.device = opened.device();
        this.inlineRx = opened.inlineRx();
        this.faults = opened.faults();
        this.dpdk = opened.dpdk();
        InterfaceConfig.Builder ic = InterfaceConfig.builder();
        for (Ipv4Cidr a : config.addresses()) {
            ic.address(a);
            // owning an address of 127/8 makes the whole loopback net local, as on Linux's lo
            if ((a.address() >>> 24) == 127) ic.loopbackNet(true);
        }
        if (config.gateway() != 0) ic.gateway(config.gateway());
        this.iface = new Ipv4Interface(device, ic.build(), clock, counters);
        this.tcp = new TcpStack(iface, lock, clock, counters, config.tcp());
        this.udp = new UdpStack(iface, lock, counters, config.udpReceiveBuffer(),
                config.tcp().ephemeralPortLow, config.tcp().ephemeralPortHigh);
        iface.setTransport(6, tcp);
        iface.setTransport(17, udp);
        this.loop = new PollLoop(config.name(), new Cycle(), IdleStrategy.parse(config.idle()), clock);
        device.setRxNotifier(dpdk ? this::peerSent : loop::wakeup);
        // No local notifier: every send is under the lock and every outermost unlock drains the
        // local queue (afterCall); waking the loop per local packet only made it compete for the
        // lock and the CPUs (p90 of a ping-pong 10 -> 25 us on 2 cores, docs/benchmarks.md).
        lock.setUnlockHook(this::afterCall);
    }

    /** Builds the device chain and starts the instance. */
    public static UserspaceStack start(UserspaceConfig config, Clock clock) {
        Devices.Opened d = Devices.open(config.name(), config.device(), clock);
        try {
            UserspaceStack s = new UserspaceStack(config, clock, d);
            if (s.dpdk) Eal.register(s);
            s.loop.start();
            return s;
        } catch (RuntimeException | Error e) {
            d.device().close();
            throw e;
        }
    }

    /** The poll loop's work: one burst of received frames, due timers, then a flush. */
    private final class Cycle implements DutyCycle {
        @Override
        public int doWork(long now) {
            lock.lock();
            try {
                if (closed) return 0;
                int work = device.receive(iface, RX_BURST);
                long deadline = Math.min(iface.poll(now), tcp.poll(now));
                device.txFlush();
                if (faults != null) deadline = Math.min(deadline, faults.nextReleaseNanos());
                loopDeadline = deadline;
                return work;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public long nextDeadline() {
            return loopDeadline;
        }
    }

    /**
     * A DPDK ring link's other end, in this JVM, has just sent us frames (its sending thread calls
     * this). Receive them in that thread when our lock is free — run to completion, as loopback
     * does — rather than hand them to our poll loop: a ping-pong across a link then costs two
     * thread hand-offs per round trip, as on the kernel's loopback, not four (docs/benchmarks.md).
     * {@code tryLock} never waits, so two instances sending to each other cannot deadlock; a thread
     * already inside this instance (its own send reached the peer, whose answer comes back) leaves
     * the frames to the poll loop instead of re-entering the engine mid-call.
     */
    private void peerSent() {
        if (!lock.isHeldByCurrentThread() && lock.tryLock()) {
            int received;
            try {
                received = closed ? 0 : device.receive(iface, RX_BURST);
            } finally {
                lock.unlock();  // the unlock hook drains, flushes and wakes the loop for timers it armed
            }
            if (received < RX_BURST) return;  // a full burst: more may wait, the loop goes on
        }
        loop.wakeup();
    }

    /** Runs at every outermost unlock, still under the lock (see {@link StackLock}). */
    private void afterCall() {
        if (closed) return;
        // packets to our own addresses wait in the interface's local queue: deliver them now, run to
        // completion, rather than leave them to the poll loop (a thread hand-off per packet)
        iface.drainLocal();
        device.txFlush();
        if (inlineRx) {
            for (int round = 0; round < MAX_INLINE_ROUNDS && device.rxPending(); round++) {
                device.receive(iface, RX_BURST);
                iface.drainLocal();
                device.txFlush();
            }
        }
        // the bounded drains left packets behind (two endpoints answering each other): the loop goes on
        if (iface.localPending() > 0 || inlineRx && device.rxPending()) loop.wakeup();
        long tcpDeadline = tcp.nextDeadline();
        if (tcpDeadline < loopDeadline) {
            loopDeadline = tcpDeadline;
            loop.wakeup();
        }
    }

    // ------------------------------------------------------------------ StackAccess

    @Override public String name() { return config.name(); }
    @Override public StackLock lock() { return lock; }
    @Override public TcpStack tcp() { return tcp; }
    @Override public UdpStack udp() { return udp; }
    @Override public Egress ip() { return iface; }
    @Override public long spinNanos() { return config.spinNanos(); }

    @Override
    public void ensureOpen() throws IOException {
        if (closed) throw new IOException("userspace stack " + config.name() + " is closed");
    }

    // ------------------------------------------------------------------ StackInstance

    @Override
    public String type() {
        return UserspaceStackProvider.TYPE;
    }

    @Override
    public boolean supports(Protocol protocol, ProtocolFamily family) {
        return family == StandardProtocolFamily.INET;
    }

    @Override
    public StackHealth health() {
        return closed ? StackHealth.DOWN : StackHealth.UP;
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        checkFamily(family);
        ensureOpen();
        return UserspaceSocketChannel.open(SelectorProvider.provider(), this);
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        checkFamily(family);
        ensureOpen();
        return UserspaceServerSocketChannel.open(SelectorProvider.provider(), this);
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        checkFamily(family);
        ensureOpen();
        return UserspaceDatagramChannel.open(SelectorProvider.provider(), this);
    }

    private void checkFamily(ProtocolFamily family) {
        if (family != null && family != StandardProtocolFamily.INET) {
            throw new UnsupportedOperationException("userspace stack " + config.name() + " is IPv4 only, not " + family);
        }
    }

    @Override
    public InetAddress sourceAddress() {
        return Ipv4Address.toInet(config.addresses().getFirst().address());
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        lock.lock();
        try {
            m.put("tcp_active_connections", (long) tcp.activeConnections());
            m.putAll(counters.snapshot());
            for (Map.Entry<String, Long> e : device.counters().entrySet()) m.put("device_" + e.getKey(), e.getValue());
        } finally {
            lock.unlock();
        }
        return m;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            tcp.shutdown();
            udp.shutdown();
            device.txFlush();
            closed = true;
        } finally {
            lock.unlock();
        }
        loop.close();
        device.close();
        if (dpdk) Eal.unregister(this);
    }

    @Override
    public String toString() {
        return "userspace stack " + config.name() + " " + config.addresses() + " on " + device.name();
    }
}
