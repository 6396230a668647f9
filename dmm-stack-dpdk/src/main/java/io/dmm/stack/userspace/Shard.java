package io.dmm.stack.userspace;

import io.dmm.api.spi.BusyPoller;
import io.dmm.stack.userspace.channel.StackAccess;
import io.dmm.stack.userspace.iface.Egress;
import io.dmm.stack.userspace.iface.InterfaceConfig;
import io.dmm.stack.userspace.iface.Ipv4Interface;
import io.dmm.stack.userspace.iface.MulticastGroups;
import io.dmm.stack.userspace.phy.Device;
import io.dmm.stack.userspace.phy.FaultInjector;
import io.dmm.stack.userspace.poll.BackoffIdle;
import io.dmm.stack.userspace.poll.DutyCycle;
import io.dmm.stack.userspace.poll.IdleStrategy;
import io.dmm.stack.userspace.poll.PollLoop;
import io.dmm.stack.userspace.tcp.TcpStack;
import io.dmm.stack.userspace.time.Clock;
import io.dmm.stack.userspace.udp.UdpStack;
import java.io.IOException;

/**
 * One shard of a userspace stack instance: its own {@link StackLock}, IPv4 interface (with its own
 * ARP cache and local delivery queue), TCP (connections, listeners, timers) and poll loop thread,
 * {@code dmm-userspace-<instance>} for the only shard, {@code dmm-userspace-<instance>-<i>} when
 * there are more. Application threads working on connections of different shards take different
 * locks. The port space, the device and the instance's health are shared (see {@link UserspaceStack}).
 * Shard 0 also has UDP and multicast, polls the device and probes it.
 *
 * <p>Who runs the protocol code: the poll loop for received frames and timers, and application
 * threads for their own socket calls (sending what a write allows at once, as Linux sends in
 * process context). On a loopback device the frames a call sends are also received by that call,
 * run to completion before the lock is released, so a ping-pong needs no thread hand-off.
 */
final class Shard implements StackAccess {
    private static final int RX_BURST = 64;
    /** Loopback run-to-completion rounds per unlock: bounds the work one application call does. */
    private static final int MAX_INLINE_ROUNDS = 64;

    private final UserspaceStack instance;
    private final int index;
    final StackLock lock = new StackLock();
    final StackCounters counters = new StackCounters();
    final Device device;
    private final boolean inlineRx;
    /**
     * Whether the device must be polled (a DPDK port, a tap): threads spinning on a socket poll it
     * too, and an application call that arms a timer may leave it to the poll loop's next turn,
     * since there the loop never parks longer than {@link BackoffIdle#DEFAULT_MAX_PARK_NANOS} (the
     * strategies a polled device allows) and finds a timer due later than {@link #LAZY_TIMER_NANOS}
     * by itself.
     */
    private final boolean polled;
    static final long LAZY_TIMER_NANOS = 2 * BackoffIdle.DEFAULT_MAX_PARK_NANOS;
    private final Clock clock;
    /** The fault injector in the device chain (shard 0's only), or null: frames it holds are due at times the loop must honour. */
    private final FaultInjector faults;
    final Ipv4Interface iface;
    final TcpStack tcp;
    /** Shard 0's; null on the others. */
    final UdpStack udp;
    final PollLoop loop;
    /** When the poll loop means to wake next (clock nanos); application calls that arm an earlier timer wake it. */
    private volatile long loopDeadline = Long.MAX_VALUE;
    /** When shard 0's poll loop probes the device next (clock nanos; the loop's own). */
    private long nextProbe;

    /**
     * Shard {@code index} over {@code device} (the device itself, or this shard's view of a shared
     * one). {@code first} is shard 0, whose TCP the others' share ports and secrets with; null for it.
     */
    Shard(UserspaceStack instance, int index, int count, Device device, boolean inlineRx, FaultInjector faults,
          InterfaceConfig ic, Clock clock, Shard first, FlowSteering steering) {
        this.instance = instance;
        this.index = index;
        this.device = device;
        var config = instance.config();
        this.inlineRx = inlineRx;
        this.polled = config.device().polled();
        this.clock = clock;
        this.faults = index == 0 ? faults : null;
        this.iface = new Ipv4Interface(device, ic, clock, counters);
        this.tcp = first == null ? new TcpStack(iface, lock, clock, counters, config.tcp())
                : first.tcp.sibling(iface, lock, counters);
        if (count > 1) tcp.steerBy(steering, index);
        iface.setTransport(6, tcp);
        if (index == 0) {
            this.udp = new UdpStack(iface, lock, counters, config.udpReceiveBuffer(),
                    config.tcp().ephemeralPortLow, config.tcp().ephemeralPortHigh);
            iface.setTransport(17, udp);
        } else {
            this.udp = null;
        }
        String name = count == 1 ? config.name() : config.name() + "-" + index;
        this.loop = new PollLoop(name, new Cycle(), IdleStrategy.parse(config.idle(), config.busyPollNanos()), clock);
        this.nextProbe = clock.nanos() + UserspaceStack.PROBE_INTERVAL_NANOS;
        // No local notifier: every send is under the lock and every outermost unlock drains the
        // local queue (afterCall); waking the loop per local packet only made it compete for the
        // lock and the CPUs (p90 of a ping-pong 10 -> 25 us on 2 cores, docs/benchmarks.md).
        lock.setUnlockHook(this::afterCall);
        lock.setAfterRelease(device::txFlushAfterRelease);
        // a polled port says nothing when frames arrive: threads spinning on a socket poll it too
        if (polled) {
            lock.setDevicePoll(this::busyPoll, loop::wakeupEager);
        }
    }

    /** The poll loop's work: one burst of received frames, due timers, then a flush. */
    private final class Cycle implements DutyCycle {
        @Override
        public int doWork(long now) {
            if (index == 0 && instance.failing()) {
                instance.goDown();  // every shard's sockets fail, each under its own lock; the loops end
                return 0;
            }
            lock.lockAfterWaiters();
            try {
                if (!instance.running()) return 0;
                // a thread spinning on a socket or a selector receives for now (StackLock.busyPoll)
                int work = lock.deviceBusyPolled() ? 0 : device.receive(iface, RX_BURST);
                long deadline = Math.min(iface.poll(now), tcp.poll(now));
                device.txFlush();
                if (index == 0 && now - nextProbe >= 0) {
                    nextProbe = now + UserspaceStack.PROBE_INTERVAL_NANOS;
                    device.probe();  // a device that went away reports it to the instance, which wakes us
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

        @Override
        public boolean standingBy() {
            return lock.deviceBusyPolled();
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
    void peerSent() {
        if (!lock.isHeldByCurrentThread() && lock.tryLock()) {
            int received;
            try {
                received = instance.running() ? device.receive(iface, RX_BURST) : 0;
            } finally {
                lock.unlock();  // the unlock hook drains, flushes and wakes the loop for timers it armed
            }
            if (received < RX_BURST) return;  // a full burst: more may wait, the loop goes on
        }
        loop.wakeup();
    }

    /** A spinning application thread's receive (StackLock.busyPoll), under the lock. */
    private void busyPoll() {
        if (instance.running()) device.receive(iface, RX_BURST);
    }

    /** Runs at every outermost unlock, still under the lock (see {@link StackLock}). */
    private void afterCall() {
        if (!instance.running()) return;
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
            // Waking the loop for a timer it would find anyway (the retransmission timer, armed by
            // every send that starts a flight) cost a futex call and a thread switch per request.
            if (!polled || tcpDeadline - clock.nanos() < LAZY_TIMER_NANOS) loop.wakeup();
        }
    }

    // ------------------------------------------------------------------ StackAccess

    @Override public String name() { return instance.name(); }
    @Override public StackLock lock() { return lock; }
    @Override public TcpStack tcp() { return tcp; }
    @Override public Egress ip() { return iface; }
    @Override public long spinNanos() { return instance.spinNanos(); }
    @Override public BusyPoller busyPoller() { return instance.busyPoller(); }
    @Override public int shardCount() { return instance.shardCount(); }
    @Override public int shardIndex() { return index; }
    @Override public StackAccess shard(int i) { return instance.shard(i); }
    @Override public void ensureOpen() throws IOException { instance.ensureOpen(); }

    /** UDP lives on shard 0: datagram channels are opened on it. */
    @Override
    public UdpStack udp() {
        if (udp == null) throw new IllegalStateException("UDP lives on shard 0 of " + instance.name() + ", not " + index);
        return udp;
    }

    @Override
    public MulticastGroups multicast() {
        if (udp == null) throw new IllegalStateException("multicast lives on shard 0 of " + instance.name() + ", not " + index);
        return iface.multicast();
    }

    @Override
    public String toString() {
        return "shard " + index + " of " + instance;
    }
}
