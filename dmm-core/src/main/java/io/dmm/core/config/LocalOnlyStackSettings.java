package io.dmm.core.config;

import io.dmm.api.DmmConfigException;
import io.dmm.api.spi.StackSettings;
import io.dmm.core.policy.Policy;
import io.dmm.core.policy.StackDefinition;
import java.util.Map;
import java.util.TreeSet;

/**
 * The rule for stack entries that reach a running JVM through the runtime API (a pushed policy, an
 * {@code addStack} edit): they may not set a stack type's local-only settings
 * ({@link LocalOnlySettings}), such as the DPDK EAL arguments of a userspace stack, which can make
 * DPDK load a shared object. Whoever holds the HTTP token or a read-write JMX login can steer
 * sockets, not run code or act on the host.
 *
 * <p>An entry may leave such a setting out (the type's default) or state exactly the value the
 * running stack of the same name and type has, so that pushing a copy of the policy file works;
 * anything else is refused at the setting, before any instance is built. The local file's reload
 * is not checked: it is the trusted source.
 */
final class LocalOnlyStackSettings {
    private LocalOnlyStackSettings() {
    }

    /**
     * @throws DmmConfigException at the first local-only setting of {@code arriving} whose value the
     *         stack of {@code running} with the same name and type does not have
     */
    static void refuseChanges(Iterable<StackDefinition> arriving, Policy running, LocalOnlySettings localOnly) {
        for (StackDefinition def : arriving) {
            StackDefinition before = runningStack(running, def);
            for (String path : new TreeSet<>(localOnly.of(def.type()))) {
                Object value = valueAt(def.settings(), path);
                if (value == null) {
                    continue;
                }
                Object was = before == null ? null : valueAt(before.settings(), path);
                if (!value.equals(was)) {
                    throw refusal(def, path, before == null ? "this JVM runs no " + def.type() + " stack \""
                            + def.name() + "\"" : was == null ? "the running one does not set it"
                            : "the running one has another value");
                }
            }
        }
    }

    /** The running stack {@code def} stands for: of the same name and type, or null. */
    private static StackDefinition runningStack(Policy running, StackDefinition def) {
        for (StackDefinition s : running.stacks()) {
            if (s.name().equals(def.name()) && s.type().equals(def.type())) {
                return s;
            }
        }
        return null;
    }

    /** The value at a dotted path of a stack entry, or null where the path does not lead to one. */
    private static Object valueAt(StackSettings entry, String path) {
        String[] keys = path.split("\\.");
        Object at = entry.get(keys[0]);
        for (int i = 1; i < keys.length; i++) {
            at = at instanceof Map<?, ?> object ? object.get(keys[i]) : null;
        }
        return at;
    }

    private static DmmConfigException refusal(StackDefinition def, String path, String why) {
        StackSettings holder = def.settings();
        String[] keys = path.split("\\.");
        for (int i = 0; i < keys.length - 1; i++) {
            holder = holder.object(keys[i]); // an object: valueAt found a value under it
        }
        return holder.error(keys[keys.length - 1], "stack \"" + def.name() + "\": \"" + path + "\" can make the"
                + " JVM load code or act on the host, so the " + def.type() + " stack type lets only the local"
                + " policy file set it, not the runtime API (a pushed policy, addStack); " + why + ". Leave it"
                + " out, restate the running stack's value, or change the policy file and reload");
    }
}
