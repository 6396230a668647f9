package io.dmm.core.runtime;

import io.dmm.api.spi.StackInstance;
import io.dmm.api.spi.StackProvider;
import io.dmm.core.policy.StackDefinition;
import io.dmm.core.routing.StackHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The running stack instances of a runtime, built by their type's {@link StackProvider}.
 *
 * <p>A policy change goes through {@link #plan}: instances the new version declares exactly as the
 * running one does are kept, new ones are built (all-or-nothing: if one fails, the ones already
 * built are closed and the failure is rethrown), and {@link #commit} then makes the new set current
 * and retires the instances left out: they take no new sockets and are stopped once their last
 * socket has closed. {@link #abort} undoes a plan that was not committed.
 */
public final class StackRegistry implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StackRegistry.class);

    /** How long a retiring instance without sockets waits before it is stopped. */
    static final long RETIRE_GRACE_MILLIS = 200;

    private final StackTypes types;
    /** The current instances by name, in policy order; replaced whole, never changed in place. */
    private volatile Map<String, StackHandle> byName = Map.of();
    /** Removed from the policy, still carrying sockets. */
    private final List<StackHandle> retiring = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    /** Told when a retiring instance has been stopped (its last socket closed), on the management thread. */
    private final List<Runnable> retiredListeners = new CopyOnWriteArrayList<>();

    private StackRegistry(StackTypes types) {
        this.types = types;
    }

    /** Builds every definition with the providers found by ServiceLoader. */
    public static StackRegistry build(List<StackDefinition> definitions) {
        return start(StackTypes.fromClassPath(), definitions);
    }

    /** Builds every definition with the given providers (the first of a type wins). */
    public static StackRegistry build(List<StackDefinition> definitions, Iterable<StackProvider> providers) {
        return start(new StackTypes(providers), definitions);
    }

    private static StackRegistry start(StackTypes types, List<StackDefinition> definitions) {
        StackRegistry r = new StackRegistry(types);
        r.commit(r.plan(definitions, null), 1);
        return r;
    }

    /** A set of instances to switch to: built, not yet current. */
    public static final class Plan {
        private final Map<String, StackHandle> next;
        private final List<StackHandle> started;
        private final List<StackHandle> removed;

        private Plan(Map<String, StackHandle> next, List<StackHandle> started, List<StackHandle> removed) {
            this.next = Collections.unmodifiableMap(next);
            this.started = started;
            this.removed = removed;
        }

        /** The instances of the new version by name. */
        public Map<String, StackHandle> stacks() {
            return next;
        }

        public List<StackHandle> started() {
            return started;
        }

        public List<StackHandle> removed() {
            return removed;
        }
    }

    /**
     * Builds what {@code definitions} need beyond the running instances. Types not known yet are
     * looked for in {@code moduleDir} (null: none).
     *
     * @throws RuntimeException what a provider threw (a {@code DmmConfigException} for bad
     *         settings), with nothing left running
     */
    public synchronized Plan plan(List<StackDefinition> definitions, Path moduleDir) {
        if (closed) {
            throw new IllegalStateException("DMM runtime is closed");
        }
        Map<String, StackHandle> current = byName;
        Map<String, StackHandle> next = new LinkedHashMap<>();
        List<StackHandle> started = new ArrayList<>();
        try {
            for (StackDefinition def : definitions) {
                StackHandle running = current.get(def.name());
                if (running != null && def.sameInstanceAs(running.definition())) {
                    next.put(def.name(), running);
                    continue;
                }
                StackHandle h = new StackHandle(create(def, moduleDir), def);
                started.add(h);
                next.put(def.name(), h);
                LOG.debug("stack instance {} ({}) built from {}", def.name(), def.type(), def.source());
            }
        } catch (RuntimeException | Error e) {
            if (!started.isEmpty()) {
                LOG.debug("closing stack instances {} again: a later one failed", started);
            }
            stopAll(started, e);
            throw e;
        }
        List<StackHandle> removed = new ArrayList<>();
        for (StackHandle h : current.values()) {
            if (next.get(h.name()) != h) {
                removed.add(h);
            }
        }
        return new Plan(next, started, removed);
    }

    /**
     * The settings of {@code type} only the local policy file may set
     * ({@link StackProvider#localOnlySettings()}), its provider found as {@link #plan} finds it;
     * none for a type not known, which a plan then refuses.
     */
    public Set<String> localOnlySettings(String type, Path moduleDir) {
        StackProvider provider = provider(type, moduleDir);
        return provider == null ? Set.of() : provider.localOnlySettings();
    }

    /** The provider of {@code type}, looked for in {@code moduleDir} (null: none) when not known yet; or null. */
    private StackProvider provider(String type, Path moduleDir) {
        StackProvider provider = types.get(type);
        if (provider == null && moduleDir != null) {
            types.scan(moduleDir);
            provider = types.get(type);
        }
        return provider;
    }

    private StackInstance create(StackDefinition def, Path moduleDir) {
        StackProvider provider = provider(def.type(), moduleDir);
        if (provider == null) {
            List<String> known = new ArrayList<>(types.types());
            known.sort(null);
            throw def.settings().error("type", "unknown stack type \"" + def.type() + "\"; known types: "
                    + (known.isEmpty() ? "(none found)" : String.join(", ", known))
                    + (moduleDir == null ? "" : " (stack module directory " + moduleDir.toAbsolutePath() + ")"));
        }
        StackInstance instance = provider.create(def.settings());
        if (instance == null) {
            throw new IllegalStateException("stack provider " + def.type() + " returned no instance for " + def.name());
        }
        return instance;
    }

    /** Makes the plan's instances current (for policy {@code version}) and retires the ones it left out. */
    public synchronized void commit(Plan plan, long version) {
        byName = plan.next;
        for (StackHandle h : plan.started) {
            LOG.info("stack instance {} ({}) started", h.name(), h.instance().type());
        }
        for (StackHandle h : plan.removed) {
            retiring.add(h);
            LOG.info("stack instance {} ({}) retiring: no new sockets; it stops when its {} open socket(s) close",
                    h.name(), h.instance().type(), h.activeSockets());
            h.retire(version, this::retired);
        }
    }

    /** Stops what a plan built; the running set is untouched. */
    public synchronized void abort(Plan plan) {
        stopAll(plan.started, null);
    }

    /**
     * A retiring instance's last socket closed: it is stopped {@link #RETIRE_GRACE_MILLIS} later, on
     * the management thread, if it still has no socket then. The grace covers a socket whose route
     * was decided by the previous policy version just before the swap and which opens on the
     * instance just after it (a window of microseconds): it then works, and its close retires the
     * instance again.
     */
    private void retired(StackHandle h) {
        ManagementThread.scheduler().schedule(() -> {
            if (h.activeSockets() == 0 && retiring.remove(h)) {
                LOG.info("stack instance {} stopped: removed from the policy, and its last socket has closed",
                        h.name());
                stopQuietly(h);
                for (Runnable l : retiredListeners) {
                    try {
                        l.run();
                    } catch (RuntimeException e) {
                        LOG.warn("a stack retirement listener failed", e);
                    }
                }
            }
        }, RETIRE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static void stopAll(Iterable<StackHandle> handles, Throwable failure) {
        for (StackHandle h : handles) {
            try {
                h.stop();
            } catch (RuntimeException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                }
            }
        }
    }

    private static void stopQuietly(StackHandle h) {
        try {
            h.stop();
        } catch (RuntimeException e) {
            LOG.warn("stopping stack instance {} failed", h.name(), e);
        }
    }

    /** Runs {@code listener} each time a retiring instance is stopped and leaves {@link #retiring()}. */
    public void onRetiredStopped(Runnable listener) {
        retiredListeners.add(listener);
    }

    /** The current instance called {@code name}, or null (retiring ones are not current). */
    public StackHandle get(String name) {
        return byName.get(name);
    }

    /** Every current instance, in policy order. */
    public List<StackHandle> all() {
        return List.copyOf(byName.values());
    }

    /** Instances removed from the policy that still carry sockets. */
    public List<StackHandle> retiring() {
        return List.copyOf(retiring);
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** Stops every instance, current and retiring. */
    @Override
    public synchronized void close() {
        closed = true;
        stopAll(byName.values(), null);
        stopAll(retiring, null);
        retiring.clear();
    }
}
