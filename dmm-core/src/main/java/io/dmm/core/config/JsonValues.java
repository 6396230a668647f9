package io.dmm.core.config;

import java.util.List;

/** Small typed accessors over {@link LocatedValue}s that fail with located errors. */
final class JsonValues {
    private JsonValues() {
    }

    static LocatedValue requireObject(LocatedValue v, String what) {
        if (!v.isObject()) {
            throw ConfigProblems.expected(v, what);
        }
        return v;
    }

    static List<LocatedValue> requireList(LocatedValue v, String what, boolean nonEmpty) {
        if (!v.isArray()) {
            throw ConfigProblems.expected(v, what);
        }
        if (nonEmpty && v.elements().isEmpty()) {
            throw ConfigProblems.at(v, "expected " + what + ", got an empty list");
        }
        return v.elements();
    }

    static String requireString(LocatedValue v, String what) {
        if (!v.isString()) {
            throw ConfigProblems.expected(v, what);
        }
        if (v.stringValue().isBlank()) {
            throw ConfigProblems.at(v, "expected " + what + ", got an empty string");
        }
        return v.stringValue();
    }

    /** A required member; the error points at the object and names the key. */
    static LocatedValue requireMember(LocatedValue object, String key, String what) {
        LocatedValue v = object.member(key);
        if (v == null) {
            throw ConfigProblems.at(object, "missing \"" + key + "\" (" + what + ")");
        }
        return v;
    }

    /**
     * A value written either as one item or as a non-empty list of items: the items, each a located
     * value.
     */
    static List<LocatedValue> oneOrMany(LocatedValue v, String what) {
        if (v.isArray()) {
            return requireList(v, what + " or a non-empty list of them", true);
        }
        return List.of(v);
    }
}
