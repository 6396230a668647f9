package io.dmm.api.spi.testing;

import io.dmm.api.DmmConfigException;
import io.dmm.api.spi.StackSettings;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Test-only StackSettings over a map (no file locations: errors name the JSON path only). */
public final class MapStackSettings implements StackSettings {
    private final String name;
    private final String type;
    private final String path;
    private final Map<String, Object> values;

    public MapStackSettings(String name, String type, String path, Map<String, Object> values) {
        this.name = name;
        this.type = type;
        this.path = path;
        this.values = new LinkedHashMap<>(values);
    }

    public static MapStackSettings of(String name, String type, Map<String, Object> values) {
        return new MapStackSettings(name, type, "stacks[0]", values);
    }

    @Override public String name() { return name; }
    @Override public String type() { return type; }
    @Override public String path() { return path; }
    @Override public Set<String> keys() { return new LinkedHashSet<>(values.keySet()); }
    @Override public boolean has(String key) { return values.containsKey(key); }
    @Override public Object get(String key) { return values.get(key); }

    @Override
    public String string(String key, String defaultValue) {
        Object v = values.get(key);
        if (v == null) return defaultValue;
        if (v instanceof String s) return s;
        throw error(key, "expected a string");
    }

    @Override
    public long integer(String key, long defaultValue) {
        Object v = values.get(key);
        if (v == null) return defaultValue;
        if (v instanceof Long l) return l;
        throw error(key, "expected an integer");
    }

    @Override
    public boolean bool(String key, boolean defaultValue) {
        Object v = values.get(key);
        if (v == null) return defaultValue;
        if (v instanceof Boolean b) return b;
        throw error(key, "expected a boolean");
    }

    @Override
    @SuppressWarnings("unchecked")
    public StackSettings object(String key) {
        Object v = values.get(key);
        if (v == null) return null;
        if (v instanceof Map<?, ?> m) return new MapStackSettings(name, type, path + "." + key, (Map<String, Object>) m);
        throw error(key, "expected an object");
    }

    @Override
    public void allowOnly(Set<String> allowed) {
        for (String k : values.keySet()) {
            if (!allowed.contains(k) && !k.equals("name") && !k.equals("type")) {
                throw error(k, "unknown key \"" + k + "\"");
            }
        }
    }

    @Override
    public DmmConfigException error(String key, String message) {
        return new DmmConfigException("test.json", 0, 0,
                has(key) || key.equals("type") || key.equals("name") ? path + "." + key : path, message);
    }
}
