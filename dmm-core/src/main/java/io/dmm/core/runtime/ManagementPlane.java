package io.dmm.core.runtime;

import io.dmm.core.policy.ManagementSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * A runtime's management plane: the runtime API ({@link RuntimeControl}) and the slots the
 * policy's {@code management} section configures — the policy file watch and the health watch,
 * and whatever the {@link ManagementPlugin}s add (dmm-management: the MBeans, the HTTP endpoint and
 * the remote JMX connector). Each policy version's settings are applied through {@link #prepare},
 * as part of the policy change itself.
 */
public final class ManagementPlane implements AutoCloseable {
    /** What a prepared change does once the new policy version is in force. */
    public interface Transition {
        void commit();
    }

    private final PolicyFileWatch fileWatch;
    private final RuntimeControl control;
    private final List<ManagementSlot> slots = new ArrayList<>();

    /** {@code jvmWide}: the JVM's runtime, whose MBeans go in the platform MBean server. */
    public ManagementPlane(DmmRuntime runtime, boolean jvmWide) {
        this.fileWatch = new PolicyFileWatch(runtime, runtime.policyFile());
        this.control = new RuntimeControl(runtime, fileWatch);
        slots.add(fileWatch);
        slots.add(new HealthWatch(runtime));
        List<ManagementPlugin> plugins = ManagementPlugins.usable();
        for (ManagementPlugin p : plugins) {
            slots.addAll(p.slots(runtime, control, jvmWide));
        }
        if (plugins.isEmpty()) {
            slots.add(new UnservedManagementNote(ManagementPlugins.missing()));
        }
    }

    public RuntimeControl control() {
        return control;
    }

    public PolicyFileWatch fileWatch() {
        return fileWatch;
    }

    /** The slot of this class (e.g. the HTTP endpoint, to ask for its bound address), or null. */
    public <T extends ManagementSlot> T slot(Class<T> type) {
        for (ManagementSlot s : slots) {
            if (type.isInstance(s)) {
                return type.cast(s);
            }
        }
        return null;
    }

    /** Applies the start-up version's settings. */
    public void start(ManagementSettings settings) {
        prepare(null, settings).commit();
    }

    /**
     * Prepares every slot for {@code next}; when one fails, the slots already prepared are left
     * running as they were (their commit actions are dropped, and closed when they are
     * {@link AutoCloseable}, giving back what they acquired) and the failure is rethrown.
     */
    public Transition prepare(ManagementSettings current, ManagementSettings next) {
        List<Runnable> commits = new ArrayList<>(slots.size());
        try {
            for (ManagementSlot s : slots) {
                commits.add(s.prepare(next));
            }
        } catch (RuntimeException | Error e) {
            abandon(commits, e);
            throw e;
        }
        return () -> commits.forEach(Runnable::run);
    }

    private static void abandon(List<Runnable> commits, Throwable cause) {
        for (Runnable r : commits) {
            if (r instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    cause.addSuppressed(e);
                }
            }
        }
    }

    @Override
    public void close() {
        for (ManagementSlot s : slots) {
            s.close();
        }
    }
}
