package io.dmm.core.config;

import io.dmm.core.policy.StackDefinition;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a policy's {@code stacks} list. Only {@code name} and {@code type} are the loader's business;
 * every other key of an entry belongs to the stack type and is checked by its provider through the
 * entry's {@link LocatedStackSettings}.
 */
final class StackReader {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private StackReader() {
    }

    /** The stacks by name, in file order. */
    static Map<String, StackDefinition> read(LocatedValue stacks) {
        Map<String, StackDefinition> out = new LinkedHashMap<>();
        Map<String, LocatedValue> where = new LinkedHashMap<>();
        for (LocatedValue entry : JsonValues.requireList(stacks, "a non-empty list of stack objects", true)) {
            StackDefinition def = readOne(entry);
            LocatedValue earlier = where.get(def.name());
            if (earlier != null) {
                throw ConfigProblems.at(entry.member("name"), "duplicate stack name \"" + def.name()
                        + "\" (first at line " + earlier.line() + ")");
            }
            where.put(def.name(), entry.member("name"));
            out.put(def.name(), def);
        }
        return out;
    }

    /** One stack entry: {@code {"name": ..., "type": ..., settings of the type}}. */
    static StackDefinition readOne(LocatedValue entry) {
        JsonValues.requireObject(entry, "a stack object such as {\"name\": \"kernel\", \"type\": \"kernel\"}");
        String name = checkName(JsonValues.requireMember(entry, "name", "the stack instance's name"));
        String type = JsonValues.requireString(JsonValues.requireMember(entry, "type",
                "the stack type, e.g. \"kernel\""), "a stack type name such as \"kernel\"");
        return new StackDefinition(name, type, new LocatedStackSettings(entry, name, type, true),
                entry.file() + ":" + entry.line(), String.valueOf(entry.toJava()));
    }

    /** A stack name: letters, digits, '_', '.', '-'. */
    static String checkName(LocatedValue v) {
        String name = JsonValues.requireString(v, "a stack name");
        if (!NAME.matcher(name).matches()) {
            throw ConfigProblems.at(v, v.render() + " is not a valid stack name (use letters, digits, '_', '.', '-')");
        }
        return name;
    }
}
