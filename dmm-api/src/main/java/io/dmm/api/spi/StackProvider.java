package io.dmm.api.spi;

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
}
