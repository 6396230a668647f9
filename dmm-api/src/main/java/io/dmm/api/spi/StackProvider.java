package io.dmm.api.spi;

import java.util.Set;

/**
 * A kind of network stack, found with {@link java.util.ServiceLoader} by its {@link #type()} — the
 * {@code "type"} of a stack entry in the policy ({@code "kernel"}, later {@code "userspace"}).
 * One provider builds any number of instances (DMM's "multi-instance").
 */
public interface StackProvider {
    /** The type name used in policy files. */
    String type();

    /**
     * Builds an instance from its settings. Settings the provider does not know must be rejected
     * with {@link StackSettings#allowOnly}; bad values with {@link StackSettings#error}. The
     * instance must not start anything it cannot undo in {@link StackInstance#close()}: when a
     * later instance of the same policy fails, earlier ones are closed again.
     */
    StackInstance create(StackSettings settings);

    /**
     * The settings of this type that only the local policy file (read at start or on reload) may
     * set, because they make the JVM load code or act on the host: arguments handed to a native
     * library, paths of files or programs to open or write, devices to take over. Each is the key
     * of a stack entry, or a dotted path to a key of an object nested in it ({@code "device.eal"}).
     *
     * <p>The runtime API ({@link io.dmm.api.DmmControl}: a pushed policy, {@code addStack}) is
     * reachable with the HTTP endpoint's token or a read-write JMX login, and holding those must not
     * amount to running code. So a stack entry that arrives through it may leave these settings out,
     * or state them exactly as the running stack of the same name has them (a pushed copy of the
     * policy file); any other value is refused, located at the setting, before any instance is
     * built. Declare every setting that could open such a door, and nothing that only steers
     * sockets: those are what the runtime API is for.
     *
     * @return the local-only settings (none by default)
     */
    default Set<String> localOnlySettings() {
        return Set.of();
    }
}
