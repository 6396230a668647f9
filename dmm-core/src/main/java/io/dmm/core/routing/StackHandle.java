package io.dmm.core.routing;

import io.dmm.api.Protocol;
import io.dmm.api.StackStats;
import io.dmm.api.spi.StackHealth;
import io.dmm.api.spi.StackInstance;
import io.dmm.core.policy.StackDefinition;
import java.net.ProtocolFamily;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One built stack instance together with DMM's counters and administrative state for it. Routed
 * channels hold the handle of the stack they run on and bump its counters directly (LongAdder: no
 * contention between the many sockets of one stack).
 *
 * <p>Administrative state, set by the management plane: {@link Admin#ACTIVE}; {@link Admin#DRAINING}
 * (no new sockets until undrained); {@link Admin#RETIRING} (the running policy no longer has it: it
 * takes no new sockets and is stopped once its last socket has closed).
 */
public final class StackHandle {
    /** What the operator (or a policy change) has made of this instance. */
    public enum Admin {
        ACTIVE, DRAINING, RETIRING;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Called once a retiring instance has no socket left (the runtime's registry then stops it). */
    public interface RetireListener {
        void lastSocketClosed(StackHandle handle);
    }

    private final StackInstance instance;
    private final StackDefinition definition;
    private final LongAdder decisions = new LongAdder();
    private final LongAdder socketsOpened = new LongAdder();
    /** An AtomicLong, not a LongAdder: a retiring instance must see its count reach zero exactly. */
    private final AtomicLong socketsActive = new AtomicLong();
    private final LongAdder connectsOk = new LongAdder();
    private final LongAdder connectsFailed = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private volatile Admin admin = Admin.ACTIVE;
    private volatile RetireListener retireListener;
    /** The policy version that removed the instance (valid once RETIRING). */
    private volatile long retiredBy = Long.MAX_VALUE;
    private final AtomicBoolean stopped = new AtomicBoolean();

    public StackHandle(StackInstance instance) {
        this(instance, null);
    }

    /** {@code definition}: what it was built from (null when built by hand, as in tests). */
    public StackHandle(StackInstance instance, StackDefinition definition) {
        this.instance = instance;
        this.definition = definition;
    }

    public StackInstance instance() {
        return instance;
    }

    /** The policy entry it was built from, or null. */
    public StackDefinition definition() {
        return definition;
    }

    public String name() {
        return instance.name();
    }

    public Admin admin() {
        return admin;
    }

    /** True if this instance takes new sockets of this protocol and family (active, not DOWN, supported). */
    public boolean usableFor(Protocol protocol, ProtocolFamily family) {
        return usableFor(protocol, family, Long.MAX_VALUE);
    }

    /**
     * As {@link #usableFor(Protocol, ProtocolFamily)} for a socket routed by policy version
     * {@code decidedBy}. A retiring instance still takes the sockets of versions older than the
     * one that removed it: a decision made just before a swap names it, and the socket must not
     * fail because of the reload (it opens on the old version's stack, as a socket decided a moment
     * earlier would have).
     */
    public boolean usableFor(Protocol protocol, ProtocolFamily family, long decidedBy) {
        Admin a = admin;
        boolean admitted = a == Admin.ACTIVE || (a == Admin.RETIRING && decidedBy < retiredBy && !stopped.get());
        return admitted && instance.health() != StackHealth.DOWN && instance.supports(protocol, family);
    }

    /** Why {@link #usableFor} said no, for error messages. */
    public String whyUnusable(Protocol protocol, ProtocolFamily family) {
        return switch (admin) {
            case DRAINING -> name() + " is draining (it takes no new sockets until it is undrained)";
            case RETIRING -> name() + " was removed from the policy and is retiring";
            case ACTIVE -> {
                if (instance.health() == StackHealth.DOWN) {
                    String detail = instance.healthDetail();
                    yield name() + " is DOWN" + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
                }
                yield name() + " does not support " + protocol.configName() + " over " + family;
            }
        };
    }

    /** Drain (true) or undrain (false). A retiring instance stays retiring. */
    public boolean setDraining(boolean draining) {
        synchronized (this) {
            if (admin == Admin.RETIRING) {
                return false;
            }
            admin = draining ? Admin.DRAINING : Admin.ACTIVE;
            return true;
        }
    }

    /**
     * Marks the instance retiring, removed by policy version {@code byVersion}; {@code listener} is told when its last socket closes (at once,
     * from this call, if it has none).
     */
    public void retire(long byVersion, RetireListener listener) {
        synchronized (this) {
            retiredBy = byVersion;
            admin = Admin.RETIRING;
            retireListener = listener;
        }
        if (socketsActive.get() == 0) {
            listener.lastSocketClosed(this);
        }
    }

    /** Stops the instance once (later calls do nothing). For the runtime's registry. */
    public void stop() {
        if (stopped.compareAndSet(false, true)) {
            instance.close();
        }
    }

    /** Counts a decision that chose this instance (the router's). */
    public void decided() {
        decisions.increment();
    }

    public void socketOpened() {
        socketsOpened.increment();
        socketsActive.incrementAndGet();
    }

    public void socketClosed() {
        if (socketsActive.decrementAndGet() == 0) {
            RetireListener l = retireListener;
            if (l != null) {
                l.lastSocketClosed(this);
            }
        }
    }

    /** Sockets open on this instance now. */
    public long activeSockets() {
        return socketsActive.get();
    }

    public void connectOk() {
        connectsOk.increment();
    }

    public void connectFailed() {
        connectsFailed.increment();
    }

    public void bytesIn(long n) {
        bytesIn.add(n);
    }

    public void bytesOut(long n) {
        bytesOut.add(n);
    }

    public StackStats stats() {
        return new StackStats(instance.name(), instance.type(), health().name(), decisions.sum(),
                socketsOpened.sum(), socketsActive.get(), connectsOk.sum(), connectsFailed.sum(),
                bytesIn.sum(), bytesOut.sum(), instance.counters(), healthDetail(), admin.label());
    }

    /** The instance's health; a stopped instance is DOWN whatever it says. */
    public StackHealth health() {
        return stopped.get() ? StackHealth.DOWN : instance.health();
    }

    private String healthDetail() {
        return stopped.get() ? "stopped: removed from the policy" : instance.healthDetail();
    }

    @Override
    public String toString() {
        return instance.name() + " (" + instance.type() + ")";
    }

}
