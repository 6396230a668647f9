package io.dmm.core.policy;

import io.dmm.api.spi.StackSettings;

/**
 * One stack instance as the policy declares it. {@code settings} is the whole entry (with locations
 * for error messages), handed to the stack type's provider to build the instance.
 *
 * @param content the entry's content without locations: when a new policy version declares an
 *                instance of the same name, type and content, the running instance is kept
 */
public record StackDefinition(String name, String type, StackSettings settings, String source, String content) {

    /** A definition whose content is identified by where it is written (tests, synthetic entries). */
    public StackDefinition(String name, String type, StackSettings settings, String source) {
        this(name, type, settings, source, type + "@" + source);
    }

    /** True when a running instance built from {@code other} can stand for this definition. */
    public boolean sameInstanceAs(StackDefinition other) {
        return other != null && name.equals(other.name) && type.equals(other.type) && content.equals(other.content);
    }
}
