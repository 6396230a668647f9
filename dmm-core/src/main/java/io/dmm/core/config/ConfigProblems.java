package io.dmm.core.config;

import io.dmm.api.DmmConfigException;
import java.util.Collection;
import java.util.Set;

/** Builds the {@link DmmConfigException}s of the config readers, all pointing at a located value. */
final class ConfigProblems {
    private ConfigProblems() {
    }

    /** An error about {@code v}: {@code file:line:col: path: detail}. */
    static DmmConfigException at(LocatedValue v, String detail) {
        return new DmmConfigException(v.file(), v.line(), v.column(), v.path(), detail);
    }

    /** An error about a member's key (for unknown or duplicate keys): points at the key itself. */
    static DmmConfigException atKey(LocatedValue v, String detail) {
        return new DmmConfigException(v.file(), v.keyLine(), v.keyColumn(), v.path(), detail);
    }

    /** {@code expected a string, got a number (42)}. */
    static DmmConfigException expected(LocatedValue v, String what) {
        String got = v.isObject() || v.isArray() || v.kind() == LocatedValue.Kind.NULL ? v.kindName()
                : v.kindName() + " (" + v.render() + ")";
        return at(v, "expected " + what + ", got " + got);
    }

    /** Rejects keys of {@code object} not in {@code allowed}, suggesting the nearest allowed key. */
    static void allowOnly(LocatedValue object, Collection<String> allowed) {
        for (var e : object.members().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw atKey(e.getValue(), unknownKey(e.getKey(), allowed));
            }
        }
    }

    static String unknownKey(String key, Collection<String> allowed) {
        String suggestion = DidYouMean.suggest(key, allowed);
        StringBuilder sb = new StringBuilder("unknown key \"").append(key).append('"');
        if (suggestion != null) {
            sb.append("; did you mean \"").append(suggestion).append("\"?");
        }
        return sb.append(" (allowed: ").append(String.join(", ", allowed)).append(')').toString();
    }

    /** {@code "x" is not a defined stack (defined: kernel, bulk)} plus a suggestion. */
    static String undefinedStack(String name, Set<String> defined) {
        String suggestion = DidYouMean.suggest(name, defined);
        return "\"" + name + "\" is not a defined stack" + (suggestion == null ? "" : "; did you mean \""
                + suggestion + "\"?") + " (defined: " + String.join(", ", defined) + ")";
    }
}
