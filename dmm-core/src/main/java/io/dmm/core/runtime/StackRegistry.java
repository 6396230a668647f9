package io.dmm.core.runtime;

import io.dmm.api.spi.StackInstance;
import io.dmm.api.spi.StackProvider;
import io.dmm.core.policy.StackDefinition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The running stack instances of one policy, built by their type's {@link StackProvider}. Building
 * is all-or-nothing: if one instance fails, the ones already built are closed and the failure is
 * rethrown, so a bad policy leaves nothing running.
 */
public final class StackRegistry implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StackRegistry.class);

    private final Map<String, StackHandle> byName;

    private StackRegistry(Map<String, StackHandle> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** Builds every definition with the providers found by {@link ServiceLoader}. */
    public static StackRegistry build(List<StackDefinition> definitions) {
        List<StackProvider> providers = new ArrayList<>();
        ServiceLoader.load(StackProvider.class, StackRegistry.class.getClassLoader()).forEach(providers::add);
        return build(definitions, providers);
    }

    /** Builds every definition with the given providers (the first of a type wins). */
    public static StackRegistry build(List<StackDefinition> definitions, Iterable<StackProvider> providers) {
        Map<String, StackProvider> byType = new LinkedHashMap<>();
        for (StackProvider p : providers) {
            byType.putIfAbsent(p.type(), p);
        }
        Map<String, StackHandle> built = new LinkedHashMap<>();
        try {
            for (StackDefinition def : definitions) {
                StackProvider provider = byType.get(def.type());
                if (provider == null) {
                    throw def.settings().error("type", "unknown stack type \"" + def.type() + "\"; known types: "
                            + (byType.isEmpty() ? "(none found)" : String.join(", ", byType.keySet())));
                }
                StackInstance instance = provider.create(def.settings());
                if (instance == null) {
                    throw new IllegalStateException("stack provider " + def.type() + " returned no instance for "
                            + def.name());
                }
                built.put(def.name(), new StackHandle(instance));
                LOG.debug("stack instance {} ({}) built from {}", def.name(), def.type(), def.source());
            }
        } catch (RuntimeException | Error e) {
            if (!built.isEmpty()) {
                LOG.debug("closing stack instances {} again: a later one failed", built.keySet());
            }
            closeAll(built.values(), e);
            throw e;
        }
        return new StackRegistry(built);
    }

    private static void closeAll(Iterable<StackHandle> handles, Throwable failure) {
        for (StackHandle h : handles) {
            try {
                h.instance().close();
            } catch (RuntimeException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                }
            }
        }
    }

    /** The instance called {@code name}, or null. */
    public StackHandle get(String name) {
        return byName.get(name);
    }

    /** Every instance, in policy order. */
    public List<StackHandle> all() {
        return List.copyOf(byName.values());
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    @Override
    public void close() {
        closeAll(byName.values(), null);
    }
}
