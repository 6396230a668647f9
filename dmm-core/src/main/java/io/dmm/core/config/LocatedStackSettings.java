package io.dmm.core.config;

import io.dmm.api.DmmConfigException;
import io.dmm.api.spi.StackSettings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link StackSettings} over a located JSON object: a stack entry of the policy file or an object
 * nested in one. The config loader does not know what a stack type accepts; its provider checks
 * the keys with these methods, and their errors point into the policy file like the loader's own.
 */
final class LocatedStackSettings implements StackSettings {
    /** The keys every stack entry has; allowed at its top level whatever the provider allows. */
    private static final Set<String> ENTRY_KEYS = Set.of("name", "type");

    private final LocatedValue object;
    private final String name;
    private final String type;
    private final boolean topLevel;

    LocatedStackSettings(LocatedValue object, String name, String type, boolean topLevel) {
        if (!object.isObject()) {
            throw new IllegalArgumentException("not an object: " + object.path());
        }
        this.object = object;
        this.name = name;
        this.type = type;
        this.topLevel = topLevel;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String path() {
        return object.path();
    }

    @Override
    public Set<String> keys() {
        return new LinkedHashSet<>(object.members().keySet());
    }

    @Override
    public boolean has(String key) {
        return object.member(key) != null;
    }

    @Override
    public Object get(String key) {
        LocatedValue v = object.member(key);
        return v == null ? null : v.toJava();
    }

    @Override
    public String string(String key, String defaultValue) {
        LocatedValue v = object.member(key);
        if (v == null) {
            return defaultValue;
        }
        if (!v.isString()) {
            throw ConfigProblems.expected(v, "a string");
        }
        return v.stringValue();
    }

    @Override
    public long integer(String key, long defaultValue) {
        LocatedValue v = object.member(key);
        if (v == null) {
            return defaultValue;
        }
        if (!v.isLong()) {
            throw ConfigProblems.expected(v, "an integer");
        }
        return v.longValue();
    }

    @Override
    public boolean bool(String key, boolean defaultValue) {
        LocatedValue v = object.member(key);
        if (v == null) {
            return defaultValue;
        }
        if (v.kind() != LocatedValue.Kind.BOOLEAN) {
            throw ConfigProblems.expected(v, "true or false");
        }
        return (Boolean) v.scalar();
    }

    @Override
    public StackSettings object(String key) {
        LocatedValue v = object.member(key);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw ConfigProblems.expected(v, "an object");
        }
        return new LocatedStackSettings(v, name, type, false);
    }

    @Override
    public void allowOnly(Set<String> allowed) {
        List<String> all = new ArrayList<>();
        if (topLevel) {
            all.add("name");
            all.add("type");
        }
        allowed.stream().filter(k -> !topLevel || !ENTRY_KEYS.contains(k)).sorted().forEach(all::add);
        ConfigProblems.allowOnly(object, all);
    }

    @Override
    public DmmConfigException error(String key, String message) {
        LocatedValue v = key == null ? null : object.member(key);
        return ConfigProblems.at(v == null ? object : v, message);
    }

    @Override
    public String toString() {
        return "StackSettings[" + object.path() + " of " + object.file() + "]";
    }
}
