package io.dmm.core.config;

import io.dmm.core.policy.Policy;
import java.nio.file.Path;

/**
 * Loads policies: from {@code -Ddmm.config=FILE}, else env {@code DMM_CONFIG}, else the built-in
 * default. Loading is all-or-nothing: it returns a complete, validated policy or throws
 * {@link io.dmm.api.DmmConfigException} naming file, line:column, JSON path and the problem.
 */
public final class PolicyLoader {
    private PolicyLoader() {
    }

    /** The policy this JVM is configured with (system property, environment, built-in default). */
    public static Policy fromSystem() {
        throw new UnsupportedOperationException("TODO(policy helper)");
    }

    /** One kernel stack named {@code kernel}; every socket routed to it. */
    public static Policy builtInDefault() {
        throw new UnsupportedOperationException("TODO(policy helper)");
    }

    /** Loads a DMM-for-the-JVM policy file, or FD.io DMM's module_config.json (with rd_config.json beside it). */
    public static Policy load(Path file) {
        throw new UnsupportedOperationException("TODO(policy helper)");
    }

    /** Parses policy JSON given as text; {@code fileName} is used in error messages. */
    public static Policy parse(String json, String fileName) {
        throw new UnsupportedOperationException("TODO(policy helper)");
    }
}
