package io.dmm.core.config;

import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON value together with where it was written: file, line:column of its first character and
 * its JSON path ({@code rules[3].dst}). Jackson's own tree model forgets locations, and every
 * configuration error must name them, hence this small tree.
 */
final class LocatedValue {
    enum Kind { OBJECT, ARRAY, STRING, INTEGER, DECIMAL, BOOLEAN, NULL }

    private final Kind kind;
    private final Object scalar;
    private final Map<String, LocatedValue> members;
    private final List<LocatedValue> elements;
    private final String file;
    private final String path;
    private final int line;
    private final int column;
    /** Where the member's key is written (for "unknown key" errors); the value's location otherwise. */
    private final int keyLine;
    private final int keyColumn;

    LocatedValue(Kind kind, Object scalar, Map<String, LocatedValue> members, List<LocatedValue> elements,
                 String file, String path, int line, int column, int keyLine, int keyColumn) {
        this.kind = kind;
        this.scalar = scalar;
        this.members = members == null ? null : Collections.unmodifiableMap(members);
        this.elements = elements == null ? null : List.copyOf(elements);
        this.file = file;
        this.path = path;
        this.line = line;
        this.column = column;
        this.keyLine = keyLine;
        this.keyColumn = keyColumn;
    }

    /** A synthetic object (e.g. the settings DMM's module entries imply), placed at {@code at}. */
    static LocatedValue syntheticObject(LocatedValue at, String path, Map<String, String> strings) {
        Map<String, LocatedValue> m = new LinkedHashMap<>();
        strings.forEach((k, v) -> m.put(k, new LocatedValue(Kind.STRING, v, null, null, at.file,
                path + "." + k, at.line, at.column, at.line, at.column)));
        return new LocatedValue(Kind.OBJECT, null, m, null, at.file, path, at.line, at.column, at.line, at.column);
    }

    Kind kind() { return kind; }
    String file() { return file; }
    String path() { return path; }
    int line() { return line; }
    int column() { return column; }
    int keyLine() { return keyLine; }
    int keyColumn() { return keyColumn; }

    boolean isObject() { return kind == Kind.OBJECT; }
    boolean isArray() { return kind == Kind.ARRAY; }
    boolean isString() { return kind == Kind.STRING; }
    boolean isInteger() { return kind == Kind.INTEGER; }

    /** Members of an object in file order (empty for other kinds). */
    Map<String, LocatedValue> members() {
        return members == null ? Map.of() : members;
    }

    LocatedValue member(String key) {
        return members == null ? null : members.get(key);
    }

    List<LocatedValue> elements() {
        return elements == null ? List.of() : elements;
    }

    String stringValue() {
        return (String) scalar;
    }

    /** The scalar as Java sees it: String, Long or BigInteger, Double, Boolean, or null. */
    Object scalar() {
        return scalar;
    }

    /** The value as plain Java objects (String, Long, Double, Boolean, List, Map, null). */
    Object toJava() {
        return switch (kind) {
            case OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                members.forEach((k, v) -> m.put(k, v.toJava()));
                yield Collections.unmodifiableMap(m);
            }
            case ARRAY -> elements.stream().map(LocatedValue::toJava).toList();
            default -> scalar;
        };
    }

    /** "a string", "an object", ... for messages that say what was found. */
    String kindName() {
        return switch (kind) {
            case OBJECT -> "an object";
            case ARRAY -> "a list";
            case STRING -> "a string";
            case INTEGER, DECIMAL -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
        };
    }

    /** How the value looks in a message: strings quoted, containers by kind. */
    String render() {
        return switch (kind) {
            case STRING -> "\"" + scalar + "\"";
            case OBJECT, ARRAY -> kindName();
            case INTEGER, DECIMAL, BOOLEAN -> String.valueOf(scalar);
            case NULL -> "null";
        };
    }

    /** True for an integer that fits a long. */
    boolean isLong() {
        return kind == Kind.INTEGER && scalar instanceof Long;
    }

    long longValue() {
        return (Long) scalar;
    }

    static Object integer(BigInteger v) {
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }
}
