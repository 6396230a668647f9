package io.dmm.core.policy;

import java.util.List;

/**
 * A loaded, validated and compiled routing policy: the stack instances it declares and its rules.
 * Immutable and safe to share between threads. Where policies come from: {@code io.dmm.core.config.PolicyLoader}.
 */
public interface Policy {
    /**
     * The first rule (in file order) that matches {@code key}, or the default route. Does not
     * consider an explicit stack in the route hints: that is the runtime's business.
     */
    Route route(RouteKey key);

    /** Every rule's route, by index, followed by nothing else; the default is {@link #defaultRoute()}. */
    List<Route> rules();

    /** The route used when no rule matches. */
    Route defaultRoute();

    /** The declared stack instances, in file order. */
    List<StackDefinition> stacks();

    /** True if some rule matches on {@code caller}: only then is the opener's stack walked. */
    boolean usesCaller();

    /** The policy's {@code management} section (defaults when it has none). */
    default ManagementSettings management() {
        return ManagementSettings.DEFAULTS;
    }

    /** Where the policy came from: a file path, or {@code "<built-in default>"}. */
    String origin();
}
