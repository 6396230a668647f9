package io.dmm.stack.userspace;

import io.dmm.api.Protocol;
import io.dmm.api.spi.AsynchronousGroup;
import io.dmm.api.spi.BusyPoller;
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
import io.dmm.stack.userspace.iface.MulticastGroups;
import io.dmm.stack.userspace.phy.Device;
import io.dmm.stack.userspace.phy.DeviceListener;
import io.dmm.stack.userspace.phy.FaultInjector;
import io.dmm.stack.userspace.phy.SharedDevice;
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
import java.security.SecureRandom;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running userspace stack instance: a device, and the {@linkplain Shard shards} that share it,
 * each an IPv4 interface, TCP, a lock and a poll loop thread — the {@link StackInstance} DMM routes
 * sockets to. Configured with {@code "shards": N} (default: the DPDK port's queues, else 1), the
 * instance spreads its TCP flows over N shards by a keyed symmetric hash of the flow
 * ({@link FlowSteering}): an unbound connect takes the next shard in turn and an ephemeral port whose
 * flow lands there, an accepted connection lives where its SYN landed, a listener is on every shard.
 * UDP and multicast live on shard 0. With one shard the instance is what it always was: the shard
 * drives the device directly; with more, the shards share it through a {@link SharedDevice}.
 *
 * <p>When the device fails (it went away: its interface deleted, its NIC removed) the instance goes
 * DOWN for good, as docs/userspace-stack.md, "When the device fails", describes: the device tells
 * its {@link DeviceListener} (a DPDK port when the poll loop probes it, every
 * {@link #PROBE_INTERVAL_NANOS}), shard 0's poll loop then fails every socket of every shard with a
 * SocketException naming the stack and the cause, logs it once, and the loops end. A device whose
 * link goes down makes the instance DEGRADED until it comes back. The hot paths pay one volatile read
 * per call for this, the one they paid for "closed" before.
 */
public final class UserspaceStack implements StackInstance, StackAccess {
    private static final Logger LOG = LoggerFactory.getLogger(UserspaceStack.class);
    /** How often the poll loop asks the device whether it still works (a system call on a DPDK port). */
    static final long PROBE_INTERVAL_NANOS = 100_000_000L;
    /** Frames one shard may hold for another (copies of the device's largest frame each)... */
    private static final int INBOX_SLOTS = 256;
    /** ...in at most this many bytes a shard: a loopback device's 64 KiB frames get 64 slots. */
    private static final int INBOX_BYTES = 4 << 20;

    /** The engine runs. */
    private static final int RUNNING = 0;
    /** The device failed; shard 0's poll loop is about to fail the sockets (health is DOWN already). */
    private static final int FAILING = 1;
    /** The device failed and every socket with it; the poll loops have ended. */
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
    private final Device device;
    /** On a DPDK port: the EAL closes this instance at JVM shutdown before it cleans up. */
    private final boolean dpdk;
    private final FaultInjector faults;
    private final Shard[] shards;
    /** For selectors' busy poll: null unless the device must be polled (a DPDK port, a tap). */
    private final BusyPoller busyPoller;
    /** The device as the shards share it; null with one shard. */
    private final SharedDevice shared;
    /** Which shard the next unbound client socket starts on. */
    private final AtomicInteger nextShard = new AtomicInteger();
    /**
     * RUNNING, FAILING, DOWN or CLOSED. Changed under the instance's monitor, except RUNNING to
     * FAILING, which the device's report makes from any thread (compare-and-set); read once per call
     * on the hot paths.
     */
    private volatile int phase = RUNNING;
    /** Why the device failed ("DPDK port 1 (...) went away: ..."), set once before phase leaves RUNNING; else null. */
    private volatile String failure;
    /** Why the link is down, or null while it is up. */
    private volatile String linkDown;

    private UserspaceStack(UserspaceConfig config, Clock clock, Devices.Opened opened) {
        this.config = config;
        this.device = opened.device();
        this.faults = opened.faults();
        this.dpdk = opened.dpdk();
        InterfaceConfig.Builder ic = InterfaceConfig.builder();
        for (Ipv4Cidr a : config.addresses()) {
            ic.address(a);
            // owning an address of 127/8 makes the whole loopback net local, as on Linux's lo
            if ((a.address() >>> 24) == 127) ic.loopbackNet(true);
        }
        if (config.gateway() != 0) ic.gateway(config.gateway());
        InterfaceConfig interfaceConfig = ic.build();
        int n = config.shards();
        FlowSteering steering = new FlowSteering(new SecureRandom().nextLong(), n);
        this.shards = new Shard[n];
        this.busyPoller = config.device().polled() ? new InstancePoller() : null;
        int inboxSlots = Math.max(16, Math.min(INBOX_SLOTS, INBOX_BYTES / device.txCapacity()));
        this.shared = n == 1 ? null : new SharedDevice(device, n, steering::ownerOf, inboxSlots, i -> shards[i].loop.wakeup());
        for (int i = 0; i < n; i++) {
            Device d = n == 1 ? device : shared.view(i);
            shards[i] = new Shard(this, i, n, d, opened.inlineRx(), faults, interfaceConfig, clock,
                    i == 0 ? null : shards[0], steering);
        }
        Shard first = shards[0];
        // a DPDK ring peer's sending thread receives for us, run to completion, when one shard has the device
        first.device.setRxNotifier(dpdk && n == 1 ? first::peerSent : first.loop::wakeup);
        first.device.setListener(new Health());
    }

    /** Builds the device chain and starts the instance. */
    public static UserspaceStack start(UserspaceConfig config, Clock clock) {
        Devices.Opened d = Devices.open(config.name(), config.device(), clock);
        try {
            UserspaceStack s = new UserspaceStack(config, clock, d);
            if (s.dpdk) Eal.register(s);
            for (Shard shard : s.shards) shard.loop.start();
            return s;
        } catch (RuntimeException | Error e) {
            d.device().close();
            throw e;
        }
    }

    UserspaceConfig config() {
        return config;
    }

    /** Whether the engine runs (not failing, down or closed): one volatile read. */
    boolean running() {
        return phase == RUNNING;
    }

    /** Whether the device failed and the sockets are yet to fail with it. */
    boolean failing() {
        return phase == FAILING;
    }

    /** Shard {@code i}. */
    @Override
    public StackAccess shard(int i) {
        return shards[i];
    }

    @Override
    public int shardCount() {
        return shards.length;
    }

    /** The shard a new client socket starts on: each in turn. */
    private Shard nextShard() {
        if (shards.length == 1) return shards[0];
        return shards[Math.floorMod(nextShard.getAndIncrement(), shards.length)];
    }

    // ------------------------------------------------------------------ StackAccess

    @Override public String name() { return config.name(); }
    @Override public StackLock lock() { return shards[0].lock; }
    @Override public TcpStack tcp() { return shards[0].tcp; }
    @Override public UdpStack udp() { return shards[0].udp; }
    @Override public Egress ip() { return shards[0].iface; }
    @Override public MulticastGroups multicast() { return shards[0].iface.multicast(); }
    @Override public long spinNanos() { return config.spinNanos(); }
    @Override public BusyPoller busyPoller() { return busyPoller; }

    /**
     * The instance's {@link BusyPoller}: a selecting thread about to sleep receives from every
     * shard's device whose lock is free (StackLock.busyPoll), for the instance's {@code spin}, as a
     * socket call about to block does.
     */
    private final class InstancePoller implements BusyPoller {
        @Override
        public boolean poll() {
            if (phase != RUNNING) return false;  // closed or down: it never runs again
            for (Shard s : shards) s.lock.busyPoll();
            return true;
        }

        @Override
        public long spinNanos() {
            return config.spinNanos();
        }

        @Override
        public void ended() {
            for (Shard s : shards) s.lock.busyPollEnded();
        }
    }

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
            shards[0].loop.wakeup();  // its loop fails the sockets, each shard's under that shard's lock
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
     * readiness listeners hear it), and the instance is DOWN for good; the poll loops end. Logged
     * once. Run by shard 0's poll loop or by close(); takes each shard's lock in turn.
     */
    void goDown() {
        synchronized (this) {
            if (phase != FAILING) return;
            failSockets();
        }
        for (Shard s : shards) s.loop.close();  // from shard 0's loop thread its own ends after this turn
    }

    /** Under the monitor, while FAILING: fails every shard's sockets, then DOWN. */
    private void failSockets() {
        SocketException cause = new SocketException(downMessage(failure));
        int connections = 0;
        int datagramSockets = 0;
        for (Shard s : shards) {
            s.lock.lock();
            try {
                connections += s.tcp.fail(cause);
                if (s.udp != null) datagramSockets += s.udp.fail(cause);
            } finally {
                s.lock.unlock();
            }
        }
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

    /** Shard 0's poll loop thread (tests: it ends when the instance goes down or closes). */
    Thread loopThread() {
        return shards[0].loop.thread();
    }

    /** Shard {@code i}'s poll loop thread. */
    Thread loopThread(int i) {
        return shards[i].loop.thread();
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
        return UserspaceSocketChannel.open(SelectorProvider.provider(), nextShard(), family);
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        checkFamily(family);
        ensureOpen();
        return UserspaceServerSocketChannel.open(SelectorProvider.provider(), shards[0], family);
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        checkFamily(family);
        ensureOpen();
        return UserspaceDatagramChannel.open(SelectorProvider.provider(), shards[0], family);
    }

    /** A java.net.DatagramSocket's channel: one an interrupt does not close, as the JDK's. */
    @Override
    public DatagramChannel openDatagramSocketChannel(ProtocolFamily family) throws IOException {
        checkFamily(family);
        ensureOpen();
        return UserspaceDatagramChannel.openForDatagramSocket(SelectorProvider.provider(), shards[0], family);
    }

    /** Its handlers run on {@code group}'s threads; readiness comes from this stack's notifications. */
    @Override
    public AsynchronousSocketChannel openAsynchronousSocketChannel(AsynchronousGroup group) throws IOException {
        ensureOpen();
        return UserspaceAsynchronousSocketChannel.open(AsynchronousChannelProvider.provider(), nextShard(), group);
    }

    @Override
    public AsynchronousServerSocketChannel openAsynchronousServerSocketChannel(AsynchronousGroup group)
            throws IOException {
        ensureOpen();
        return UserspaceAsynchronousServerSocketChannel.open(AsynchronousChannelProvider.provider(), shards[0], group);
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

    /**
     * The instance's counters: every shard's summed, then the device's. With several shards each
     * also has its own {@code shard<i>_tcp_active_connections}, {@code shard<i>_tcp_segments_rx},
     * {@code shard<i>_handed_over} and {@code shard<i>_inbox_drops} (frames other shards received
     * for it, and those its inbox had no room for).
     */
    @Override
    public Map<String, Long> counters() {
        Counter[] all = Counter.values();
        long[] totals = new long[all.length];
        long active = 0;
        Map<String, Long> perShard = new LinkedHashMap<>();
        for (Shard s : shards) {
            long shardActive;
            s.lock.lock();
            try {
                shardActive = s.tcp.activeConnections();
                for (Counter c : all) totals[c.ordinal()] += s.counters.get(c);
            } finally {
                s.lock.unlock();
            }
            active += shardActive;
            if (shards.length > 1) {
                String p = "shard" + s.shardIndex() + "_";
                perShard.put(p + "tcp_active_connections", shardActive);
                perShard.put(p + "tcp_segments_rx", s.counters.get(Counter.TCP_SEGMENTS_RX));
                perShard.put(p + "handed_over", shared.handedOver(s.shardIndex()));
                perShard.put(p + "inbox_drops", shared.inboxDrops(s.shardIndex()));
            }
        }
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("tcp_active_connections", active);
        for (Counter c : all) m.put(c.key(), totals[c.ordinal()]);
        m.putAll(perShard);
        for (Map.Entry<String, Long> e : shards[0].device.counters().entrySet()) m.put("device_" + e.getKey(), e.getValue());
        return m;
    }

    @Override
    public void close() {
        synchronized (this) {
            int p = phase;
            if (p == CLOSED) return;
            if (p == FAILING) failSockets();  // the loop had not got to it: the sockets still learn why
            phase = CLOSED;  // new calls fail at once while the shards shut down one by one
            if (p == RUNNING) {
                for (Shard s : shards) {
                    s.lock.lock();
                    try {
                        s.tcp.shutdown();
                        if (s.udp != null) s.udp.shutdown();
                        s.device.txFlush();
                    } finally {
                        s.lock.unlock();
                    }
                }
            }
        }
        for (Shard s : shards) s.loop.close();
        device.close();
        if (dpdk) Eal.unregister(this);
    }

    @Override
    public String toString() {
        return "userspace stack " + config.name() + " " + config.addresses() + " on " + device.name();
    }
}
