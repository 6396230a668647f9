package io.dmm.core.runtime;

import io.dmm.api.Protocol;
import io.dmm.api.StackStats;
import io.dmm.api.spi.StackHealth;
import io.dmm.api.spi.StackInstance;
import java.net.ProtocolFamily;
import java.util.concurrent.atomic.LongAdder;

/**
 * One built stack instance together with DMM's counters for it. Routed channels hold the handle
 * of the stack they run on and bump its counters directly (LongAdder: no contention between the
 * many sockets of one stack).
 */
public final class StackHandle {
    private final StackInstance instance;
    private final LongAdder decisions = new LongAdder();
    private final LongAdder socketsOpened = new LongAdder();
    private final LongAdder socketsActive = new LongAdder();
    private final LongAdder connectsOk = new LongAdder();
    private final LongAdder connectsFailed = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();

    public StackHandle(StackInstance instance) {
        this.instance = instance;
    }

    public StackInstance instance() {
        return instance;
    }

    public String name() {
        return instance.name();
    }

    /** True if this instance takes new sockets of this protocol and family (not DOWN, supported). */
    public boolean usableFor(Protocol protocol, ProtocolFamily family) {
        return instance.health() != StackHealth.DOWN && instance.supports(protocol, family);
    }

    /** Why {@link #usableFor} said no, for error messages. */
    public String whyUnusable(Protocol protocol, ProtocolFamily family) {
        if (instance.health() == StackHealth.DOWN) {
            String detail = instance.healthDetail();
            return name() + " is DOWN" + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
        }
        return name() + " does not support " + protocol.configName() + " over " + family;
    }

    void decided() {
        decisions.increment();
    }

    public void socketOpened() {
        socketsOpened.increment();
        socketsActive.increment();
    }

    public void socketClosed() {
        socketsActive.decrement();
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
        return new StackStats(instance.name(), instance.type(), instance.health().name(), decisions.sum(),
                socketsOpened.sum(), socketsActive.sum(), connectsOk.sum(), connectsFailed.sum(),
                bytesIn.sum(), bytesOut.sum(), instance.counters(), instance.healthDetail());
    }

    @Override
    public String toString() {
        return instance.name() + " (" + instance.type() + ")";
    }
}
