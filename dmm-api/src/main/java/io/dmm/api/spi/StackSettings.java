package io.dmm.api.spi;

import io.dmm.api.DmmConfigException;
import java.util.List;
import java.util.Set;

/**
 * A JSON object from the policy file — a stack entry, or an object nested inside one — with the
 * location of every value, so that a provider's complaint names file, line:column and JSON path.
 * Values are JSON's: {@link String}, {@link Long} (integers), {@link Double}, {@link Boolean},
 * {@link List}, {@link java.util.Map} or null.
 */
public interface StackSettings {
    /** The stack instance's name (the entry's {@code "name"}). */
    String name();

    /** The stack type (the entry's {@code "type"}). */
    String type();

    /** The JSON path of this object, e.g. {@code stacks[1]} or {@code stacks[1].options}. */
    String path();

    /** Keys present in this object, in file order. */
    Set<String> keys();

    boolean has(String key);

    /** The raw value of a key, or null if absent. */
    Object get(String key);

    /** A string value, or {@code defaultValue} if absent; an error if present and not a string. */
    String string(String key, String defaultValue);

    /** An integer value, or {@code defaultValue} if absent; an error if not an integer. */
    long integer(String key, long defaultValue);

    /** A boolean value, or {@code defaultValue} if absent; an error if not a boolean. */
    boolean bool(String key, boolean defaultValue);

    /** A nested object, or null if absent; an error if present and not an object. */
    StackSettings object(String key);

    /**
     * Rejects every key not in {@code allowed} (plus {@code name} and {@code type} at the top),
     * with a "did you mean" suggestion.
     */
    void allowOnly(Set<String> allowed);

    /** An exception that points at {@code key}'s value (or this object if the key is absent). */
    DmmConfigException error(String key, String message);
}
