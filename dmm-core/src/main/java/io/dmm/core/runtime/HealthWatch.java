package io.dmm.core.runtime;

import io.dmm.api.spi.StackHealth;
import io.dmm.core.policy.ManagementSettings;
import io.dmm.core.routing.StackHandle;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports stack instances whose health changes: a WARN when one goes DOWN or DEGRADED (with the
 * instance's own explanation), an INFO when it is UP again. Health is asked of each instance once a
 * second on the management thread; routing does not wait for this — it asks the instance itself at
 * every decision, so a DOWN instance is skipped at once.
 */
final class HealthWatch implements ManagementSlot {
    private static final Logger LOG = LoggerFactory.getLogger(HealthWatch.class);
    static final long INTERVAL_MILLIS = 1000;

    private final DmmRuntime runtime;
    private final Map<StackHandle, StackHealth> last = new IdentityHashMap<>(); // management thread only
    private ScheduledFuture<?> task;

    HealthWatch(DmmRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public synchronized Runnable prepare(ManagementSettings next) {
        return this::start;
    }

    private synchronized void start() {
        if (task == null) {
            task = ManagementThread.scheduler().scheduleWithFixedDelay(this::check, 0, INTERVAL_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Compares each instance's health with what it was at the previous check, and logs changes. */
    void check() {
        try {
            Map<StackHandle, StackHealth> seen = new IdentityHashMap<>();
            for (StackHandle h : runtime.registry().all()) {
                StackHealth now = h.health();
                seen.put(h, now);
                StackHealth before = last.get(h);
                if (before == null ? now != StackHealth.UP : before != now) {
                    report(h, before, now);
                }
            }
            last.clear();
            last.putAll(seen);
        } catch (RuntimeException e) {
            LOG.warn("stack health check failed", e);
        }
    }

    private static void report(StackHandle h, StackHealth before, StackHealth now) {
        String was = before == null ? "" : " (was " + before + ")";
        if (now == StackHealth.UP) {
            LOG.info("stack instance {} is UP{}", h.name(), was);
        } else {
            LOG.warn("stack instance {} is {}{}: {}; new sockets go to the next stack of their rule", h.name(), now,
                    was, h.instance().healthDetail());
        }
    }

    @Override
    public synchronized void close() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }
}
