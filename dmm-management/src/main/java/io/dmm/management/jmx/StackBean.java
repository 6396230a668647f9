package io.dmm.management.jmx;

import io.dmm.api.DmmControl;
import io.dmm.api.StackStats;
import io.dmm.core.routing.StackHandle;
import io.dmm.core.runtime.StackRegistry;
import java.util.Map;

/** {@link StackMXBean} over one {@link StackHandle}; drain and undrain go through the runtime API. */
final class StackBean implements StackMXBean {
    private final StackHandle handle;
    private final StackRegistry registry;
    private final DmmControl control;

    StackBean(StackHandle handle, StackRegistry registry, DmmControl control) {
        this.handle = handle;
        this.registry = registry;
        this.control = control;
    }

    private StackStats stats() {
        return handle.stats();
    }

    @Override public String getName() { return handle.name(); }
    @Override public String getType() { return handle.instance().type(); }

    @Override
    public String getSource() {
        return handle.definition() == null ? "" : handle.definition().source();
    }

    @Override public String getHealth() { return stats().health(); }
    @Override public String getHealthDetail() { return stats().healthDetail(); }
    @Override public String getAdmin() { return handle.admin().label(); }
    @Override public long getDecisions() { return stats().decisions(); }
    @Override public long getSocketsOpened() { return stats().socketsOpened(); }
    @Override public long getSocketsActive() { return handle.activeSockets(); }
    @Override public long getConnectsOk() { return stats().connectsOk(); }
    @Override public long getConnectsFailed() { return stats().connectsFailed(); }
    @Override public long getBytesIn() { return stats().bytesIn(); }
    @Override public long getBytesOut() { return stats().bytesOut(); }
    @Override public Map<String, Long> getStackCounters() { return stats().stackCounters(); }

    @Override
    public void drain() {
        JmxErrors.run(() -> control.drain(currentName()));
    }

    @Override
    public void undrain() {
        JmxErrors.run(() -> control.undrain(currentName()));
    }

    /**
     * The name to give the runtime API, which steers the current instance of that name: refused
     * for a retiring instance, which is on its way out whatever its admin state.
     */
    private String currentName() {
        if (registry.get(handle.name()) != handle) {
            throw new IllegalStateException("stack instance " + handle.name() + " was removed from the policy and"
                    + " is retiring: it takes no new sockets and stops when its last socket closes");
        }
        return handle.name();
    }
}
