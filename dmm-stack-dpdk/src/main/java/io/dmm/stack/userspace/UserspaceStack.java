package io.dmm.stack.userspace;

import io.dmm.api.Protocol;
import io.dmm.api.spi.AsynchronousGroup;
import io.dmm.api.spi.StackCapability;
import io.dmm.api.spi.StackHealth;
import io.dmm.api.spi.StackInstance;
import io.dmm.stack.userspace.channel.StackAccess;
import io.dmm.stack.userspace.channel.UserspaceAsynchronousServerSocketChannel;
import io.dmm.stack.userspace.channel.UserspaceAsynchronousSocketChannel;
import io.dmm.stack.userspace.channel.UserspaceDatagramChannel;
import io.dmm.stack.userspace.channel.UserspaceServerSocketChannel;
import io.dmm.stack.userspace.channel.UserspaceSocketChannel;
import io.dmm.stack.userspace.config.UserspaceConfig;
import io.dmm.stack.userspace.dpdk.Eal;
import io.dmm.stack.userspace.iface.Egress;
import io.dmm.stack.userspace.iface.InterfaceConfig;
import io.dmm.stack.userspace.iface.Ipv4Cidr;
import io.dmm.stack.userspace.iface.Ipv4Interface;
import io.dmm.stack.userspace.iface.MulticastGroups;
import io.dmm.stack.userspace.phy.Device;
import io.dmm.stack.userspace.phy.DeviceListener;
import io.dmm.stack.userspace.phy.FaultInjector;
import io.dmm.stack.userspace.poll.DutyCycle;
import io.dmm.stack.userspace.poll.IdleStrategy;
import io.dmm.stack.userspace.poll.PollLoop;
import io.dmm.stack.userspace.tcp.TcpStack;
import io.dmm.stack.userspace.time.Clock;
import io.dmm.stack.userspace.udp.UdpStack;
import io.dmm.stack.userspace.wire.Ipv4Address;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.nio.channels.spi.SelectorProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running userspace stack instance: a device, the IPv4 interface on it, TCP and UDP, and the
 * poll loop thread that drives them — the {@link StackInstance} DMM routes sockets to.
 *
 * <p>Who runs the protocol code: the poll loop for received frames and timers, and application
 * threads for their own socket calls (sending what a write allows at once, as Linux sends in
 * process context). On a loopback device the frames a call sends are also received by that call,
 * run to completion before the lock is released, so a ping-pong needs no thread hand-off.
 *
 * <p>When the device fails (it went away: its interface deleted, its NIC removed) the instance goes
 * DOWN for good, as docs/userspace-stack.md, "When the device fails", describes: the device tells
 * its {@link DeviceListener} (a DPDK port when the poll loop probes it, every
 * {@link #PROBE_INTERVAL_NANOS}), the poll loop then fails every socket with a SocketException
 * naming the stack and the cause, logs it once, and ends. A device whose link goes down makes the
 * instance DEGRADED until it comes back. The hot paths pay one volatile read per call for this, the
 * one they paid for "closed" before.
 */
public final class UserspaceStack implements StackInstance, StackAccess {
    private static final Logger LOG = LoggerFactory.getLogger(UserspaceStack.class);
    private static final int RX_BURST = 64;
    /** Loopback run-to-completion rounds per unlock: bounds the work one application call does. */
    private static final int MAX_INLINE_ROUNDS = 64;
    /** How often the poll loop asks the device whether it still works (a system call on a DPDK port). */
    static final long PROBE_INTERVAL_NANOS = 100_000_000L;

    /** The engine runs. */
    private static final int RUNNING = 0;
    /** The device failed; the poll loop is about to fail the sockets (health is DOWN already). */
    private static final int FAILING = 1;
    /** The device failed and every socket with it; the poll loop has ended. */
    private static final int DOWN = 2;
    private static final int CLOSED = 3;
    private static final VarHandle PHASE;
    private static final VarHandle FAILURE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PHASE = l.findVarHandle(UserspaceStack.class, "phase", int.class);
            FAILURE = l.findVarHandle(UserspaceStack.class, "failure", String.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

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
    /**
     * RUNNING, FAILING, DOWN or CLOSED. Changed under the lock, except RUNNING to FAILING, which the
     * device's report makes from any thread (compare-and-set); read once per call on the hot paths.
     */
    private volatile int phase = RUNNING;
    /** Why the device failed ("DPDK port 1 (...) went away: ..."), set once before phase leaves RUNNING; else null. */
    private volatile String failure;
    /** Why the link is down, or null while it is up. */
    private volatile String linkDown;
    /** When the poll loop probes the device next (clock nanos; the loop's own). */
    private long nextProbe;

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
        this.loop = new PollLoop(config.name(), new Cycle(), IdleStrategy.parse(config.idle(), config.busyPollNanos()), clock);
        this.nextProbe = clock.nanos() + PROBE_INTERVAL_NANOS;
        device.setRxNotifier(dpdk ? this::peerSent : loop::wakeup);
        device.setListener(new Health());
        // No local notifier: every send is under the lock and every outermost unlock drains the
        // local queue (afterCall); waking the loop per local packet only made it compete for the
        // lock and the CPUs (p90 of a ping-pong 10 -> 25 us on 2 cores, docs/benchmarks.md).
        lock.setUnlockHook(this::afterCall);
        // a polled port says nothing when frames arrive: threads spinning on a socket poll it too
        if (config.device().dpdk() != null && config.device().dpdk().port() != null) {
            lock.setDevicePoll(this::busyPoll, loop::wakeupEager);
        }
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
            lock.lockAfterWaiters();
            try {
                int p = phase;
                if (p != RUNNING) {
                    if (p == FAILING) {
                        goDown();
                        loop.close();  // from the loop's own thread: it ends after this turn (and its notifications)
                    }
                    return 0;
                }
                int work = device.receive(iface, RX_BURST);
                long deadline = Math.min(iface.poll(now), tcp.poll(now));
                device.txFlush();
                if (now - nextProbe >= 0) {
                    nextProbe = now + PROBE_INTERVAL_NANOS;
                    device.probe();  // a device that went away reports it to Health, which wakes us
                }
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
                received = phase == RUNNING ? device.receive(iface, RX_BURST) : 0;
            } finally {
                lock.unlock();  // the unlock hook drains, flushes and wakes the loop for timers it armed
            }
            if (received < RX_BURST) return;  // a full burst: more may wait, the loop goes on
        }
        loop.wakeup();
    }

    /** A spinning application thread's receive (StackLock.busyPoll), under the lock. */
    private void busyPoll() {
        if (phase == RUNNING) device.receive(iface, RX_BURST);
    }

    /** Runs at every outermost unlock, still under the lock (see {@link StackLock}). */
    private void afterCall() {
        if (phase != RUNNING) return;
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
        // a call may arm a timer earlier than the loop's: TCP's, or IGMP's after a join or leave
        long tcpDeadline = Math.min(tcp.nextDeadline(), iface.multicast().nextDeadline());
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
    @Override public MulticastGroups multicast() { return iface.multicast(); }
    @Override public long spinNanos() { return config.spinNanos(); }

    @Override
    public void ensureOpen() throws IOException {
        if (phase == RUNNING) return;
        String why = failure;
        if (why != null) throw new SocketException(downMessage(why));
        throw new IOException("userspace stack " + config.name() + " is closed");
    }

    // ------------------------------------------------------------------ device failure

    /** What the device reports about its health; any thread, quick (see {@link DeviceListener}). */
    private final class Health implements DeviceListener {
        @Override
        public void deviceFailed(String reason) {
            if (!FAILURE.compareAndSet(UserspaceStack.this, null, reason)) return;  // the first cause is the one
            PHASE.compareAndSet(UserspaceStack.this, RUNNING, FAILING);  // a closed instance stays CLOSED
            loop.wakeup();  // the loop fails the sockets, under the lock
        }

        @Override
        public void linkChanged(boolean up, String detail) {
            if (up) {
                if (linkDown == null) return;
                linkDown = null;
                LOG.info("userspace stack {}: the link is up again; the stack is UP", config.name());
            } else {
                linkDown = detail;
                LOG.warn("userspace stack {} is DEGRADED: {}; its sockets stay open and wait for the link",
                        config.name(), detail);
            }
        }
    }

    /** "userspace stack NAME is down: WHY", what every socket operation on a failed instance throws. */
    private String downMessage(String why) {
        return "userspace stack " + config.name() + " is down: " + why;
    }

    /**
     * The device failed: every socket fails with the reason (blocked calls wake and throw it,
     * readiness listeners hear it), and the instance is DOWN for good. Logged once. Run by the poll
     * loop (which then ends) or by close(), under the lock.
     */
    private void goDown() {
        SocketException cause = new SocketException(downMessage(failure));
        int connections = tcp.fail(cause);
        int datagramSockets = udp.fail(cause);
        phase = DOWN;
        LOG.warn("{}; {} TCP connection(s) and {} UDP socket(s) failed with it. It stays DOWN until the policy is "
                + "reloaded to replace it", cause.getMessage(), connections, datagramSockets);
    }

    /**
     * The device chain's fault injector when the device is configured with {@code "faults"}, else
     * null. Chaos tests use it: loss, delay, link down, and {@code fail(reason)} to make the device
     * go away.
     */
    public FaultInjector faults() {
        return faults;
    }

    /** The poll loop's thread (tests: it ends when the instance goes down or closes). */
    Thread loopThread() {
        return loop.thread();
    }

    // ------------------------------------------------------------------ StackInstance

    @Override
    public String type() {
        return UserspaceStackProvider.TYPE;
    }

    /**
     * IPv4 only. Its channels of family INET6 (and of no stated family) are dual-stack, and reach
     * IPv4 addresses as a Linux INET6 socket does through IPv4-mapped addresses: DMM routes them here
     * for IPv4 destinations (see SocketAddresses in the channel package).
     */
    @Override
    public boolean supports(Protocol protocol, ProtocolFamily family) {
        return family == StandardProtocolFamily.INET;
    }

    @Override
    public StackHealth health() {
        if (phase != RUNNING) return StackHealth.DOWN;  // FAILING too: new sockets must go elsewhere at once
        return linkDown != null ? StackHealth.DEGRADED : StackHealth.UP;
    }

    /**
     * Asynchronous channels, urgent data sent and received as Linux does (the TCP channels'
     * sendUrgentData and SO_OOBINLINE), and SO_REUSEPORT within the instance (it has its own port
     * space, not the OS's, so DMM never needs it to share a port with another instance).
     */
    @Override
    public Set<StackCapability> capabilities() {
        return Set.of(StackCapability.ASYNCHRONOUS_CHANNELS, StackCapability.URGENT_DATA, StackCapability.REUSE_PORT);
    }

    @Override
    public String healthDetail() {
        String why = failure;
        if (why != null) {
            return downMessage(why) + "; its sockets failed, and it stays down until the policy is reloaded to replace it";
        }
        if (phase == CLOSED) return "userspace stack " + config.name() + " is closed";
        String link = linkDown;
        if (link != null) return "userspace stack " + config.name() + " is degraded: " + link;
        return "";
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        checkFamily(family);
        ensureOpen();
        return UserspaceSocketChannel.open(SelectorProvider.provider(), this, family);
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        checkFamily(family);
        ensureOpen();
        return UserspaceServerSocketChannel.open(SelectorProvider.provider(), this, family);
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        checkFamily(family);
        ensureOpen();
        return UserspaceDatagramChannel.open(SelectorProvider.provider(), this, family);
    }

    /** A java.net.DatagramSocket's channel: one an interrupt does not close, as the JDK's. */
    @Override
    public DatagramChannel openDatagramSocketChannel(ProtocolFamily family) throws IOException {
        checkFamily(family);
        ensureOpen();
        return UserspaceDatagramChannel.openForDatagramSocket(SelectorProvider.provider(), this, family);
    }

    /** Its handlers run on {@code group}'s threads; readiness comes from this stack's notifications. */
    @Override
    public AsynchronousSocketChannel openAsynchronousSocketChannel(AsynchronousGroup group) throws IOException {
        ensureOpen();
        return UserspaceAsynchronousSocketChannel.open(AsynchronousChannelProvider.provider(), this, group);
    }

    @Override
    public AsynchronousServerSocketChannel openAsynchronousServerSocketChannel(AsynchronousGroup group)
            throws IOException {
        ensureOpen();
        return UserspaceAsynchronousServerSocketChannel.open(AsynchronousChannelProvider.provider(), this, group);
    }

    /** INET, or INET6 and null: a dual-stack channel that talks IPv4 (see {@link #supports}). */
    private void checkFamily(ProtocolFamily family) {
        if (family != null && family != StandardProtocolFamily.INET && family != StandardProtocolFamily.INET6) {
            throw new UnsupportedOperationException("userspace stack " + config.name() + " has no " + family + " sockets");
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
            int p = phase;
            if (p == CLOSED) return;
            if (p == FAILING) goDown();  // the loop had not got to it: the sockets still learn why
            if (p == RUNNING) {
                tcp.shutdown();
                udp.shutdown();
                device.txFlush();
            }
            phase = CLOSED;
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
