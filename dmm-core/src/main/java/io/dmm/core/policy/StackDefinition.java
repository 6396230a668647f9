package io.dmm.core.policy;

import io.dmm.api.spi.StackSettings;

/**
 * One stack instance as the policy declares it. {@code settings} is the whole entry (with locations
 * for error messages), handed to the stack type's provider to build the instance.
 */
public record StackDefinition(String name, String type, StackSettings settings, String source) {
}
