package io.dmm.core.config;

import io.dmm.api.Protocol;
import io.dmm.api.Role;
import io.dmm.core.policy.Cidr;
import io.dmm.core.policy.PortSet;
import io.dmm.core.policy.RuleMatch;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads one entry of a policy's {@code rules} list into a {@link RuleDraft}. */
final class RuleReader {
    static final List<String> KEYS = List.of("name", "proto", "role", "dst", "src", "port", "qos", "tag", "app",
            "caller", "stack", "stacks");

    /** Java package/class names: identifiers separated by dots (and '$' inside nested class names). */
    private static final Pattern CALLER = Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*"
            + "(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*");

    private final Set<String> definedStacks;

    /** @param definedStacks stack instance names, in declaration order */
    RuleReader(Set<String> definedStacks) {
        this.definedStacks = definedStacks;
    }

    RuleDraft read(LocatedValue rule) {
        JsonValues.requireObject(rule, "a rule object");
        ConfigProblems.allowOnly(rule, KEYS);
        RuleMatch.Builder b = RuleMatch.builder();
        String name = null;
        LocatedValue v;
        if ((v = rule.member("name")) != null) {
            name = JsonValues.requireString(v, "a string (the rule's name)");
        }
        Protocol proto = null;
        if ((v = rule.member("proto")) != null) {
            proto = protocol(v);
            b.proto(proto);
        }
        if ((v = rule.member("role")) != null) {
            Role role = role(v);
            if (proto != null && role.protocol() != proto) {
                throw ConfigProblems.at(v, "role \"" + role.configName() + "\" is a " + role.protocol().configName()
                        + " role, but proto is \"" + proto.configName() + "\"");
            }
            b.role(role);
        }
        if ((v = rule.member("dst")) != null) {
            b.dst(cidrs(v));
        }
        if ((v = rule.member("src")) != null) {
            b.src(cidrs(v));
        }
        if ((v = rule.member("port")) != null) {
            b.port(ports(v));
        }
        if ((v = rule.member("qos")) != null) {
            b.qos(names(v, "a QoS class name"));
        }
        if ((v = rule.member("tag")) != null) {
            b.tag(names(v, "a tag"));
        }
        if ((v = rule.member("app")) != null) {
            b.app(names(v, "an application name"));
        }
        if ((v = rule.member("caller")) != null) {
            b.caller(callers(v));
        }
        List<String> stacks = target(rule);
        return new RuleDraft(name, b.build(), stacks, rule.file() + ":" + rule.line());
    }

    private static Protocol protocol(LocatedValue v) {
        if (v.isString()) {
            for (Protocol p : Protocol.values()) {
                if (p.configName().equals(v.stringValue())) {
                    return p;
                }
            }
        }
        throw ConfigProblems.expected(v, "\"tcp\" or \"udp\"");
    }

    private static Role role(LocatedValue v) {
        if (v.isString()) {
            for (Role r : Role.values()) {
                if (r.configName().equals(v.stringValue())) {
                    return r;
                }
            }
        }
        throw ConfigProblems.expected(v, "\"client\" or \"server\" (tcp), \"sender\" or \"receiver\" (udp)");
    }

    static List<Cidr> cidrs(LocatedValue v) {
        List<Cidr> out = new ArrayList<>();
        for (LocatedValue e : JsonValues.oneOrMany(v, "a CIDR string")) {
            out.add(cidr(e));
        }
        return out;
    }

    static Cidr cidr(LocatedValue e) {
        if (!e.isString()) {
            throw ConfigProblems.expected(e, "a CIDR string such as \"10.0.0.0/8\" or \"2001:db8::/32\"");
        }
        try {
            return Cidr.parse(e.stringValue());
        } catch (IllegalArgumentException ex) {
            throw ConfigProblems.at(e, e.render() + " is not a CIDR: " + ex.getMessage());
        }
    }

    private static PortSet ports(LocatedValue v) {
        List<int[]> ranges = new ArrayList<>();
        for (LocatedValue e : JsonValues.oneOrMany(v, "a port number or \"lo-hi\" range")) {
            ranges.add(portRange(e));
        }
        return PortSet.of(ranges, v.isArray() ? "[" + String.join(", ", v.elements().stream()
                .map(RuleReader::portText).toList()) + "]" : portText(v));
    }

    private static String portText(LocatedValue e) {
        return e.isString() ? e.stringValue().strip() : String.valueOf(e.scalar());
    }

    private static int[] portRange(LocatedValue e) {
        if (e.isInteger()) {
            if (!e.isLong() || e.longValue() < 0 || e.longValue() > 65535) {
                throw ConfigProblems.at(e, "port " + e.render() + " is out of range 0..65535");
            }
            int p = (int) e.longValue();
            return new int[] {p, p};
        }
        if (!e.isString()) {
            throw ConfigProblems.expected(e, "a port number or a \"lo-hi\" range string");
        }
        String s = e.stringValue().strip();
        int dash = s.indexOf('-');
        int lo = portNumber(e, dash < 0 ? s : s.substring(0, dash).strip());
        int hi = dash < 0 ? lo : portNumber(e, s.substring(dash + 1).strip());
        if (lo > hi) {
            throw ConfigProblems.at(e, e.render() + " is not a port range: " + lo + " is greater than " + hi);
        }
        return new int[] {lo, hi};
    }

    private static int portNumber(LocatedValue e, String s) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ConfigProblems.at(e, e.render() + " is not a port or port range (expected e.g. 80 or \"9000-9099\")");
        }
        int p = Integer.parseInt(s);
        if (p > 65535) {
            throw ConfigProblems.at(e, e.render() + ": port " + p + " is out of range 0..65535");
        }
        return p;
    }

    private static List<String> names(LocatedValue v, String what) {
        List<String> out = new ArrayList<>();
        for (LocatedValue e : JsonValues.oneOrMany(v, what)) {
            out.add(JsonValues.requireString(e, what));
        }
        return out;
    }

    private static List<String> callers(LocatedValue v) {
        List<String> out = new ArrayList<>();
        for (LocatedValue e : JsonValues.oneOrMany(v, "a package or class name prefix")) {
            String s = JsonValues.requireString(e, "a package or class name prefix");
            if (!CALLER.matcher(s).matches()) {
                throw ConfigProblems.at(e, e.render() + " is not a package or class name prefix (expected e.g. "
                        + "\"com.acme\" or \"com.acme.Client\")");
            }
            out.add(s);
        }
        return out;
    }

    /** Exactly one of {@code stack} and {@code stacks}; every name a defined stack, no duplicates. */
    private List<String> target(LocatedValue rule) {
        LocatedValue one = rule.member("stack");
        LocatedValue many = rule.member("stacks");
        if (one != null && many != null) {
            throw ConfigProblems.atKey(many, "give either \"stack\" or \"stacks\", not both");
        }
        if (one == null && many == null) {
            throw ConfigProblems.at(rule, "missing the target: \"stack\": NAME or \"stacks\": [NAME, ...]");
        }
        if (one != null) {
            return List.of(stackName(one));
        }
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (LocatedValue e : JsonValues.requireList(many, "a non-empty list of stack names", true)) {
            String s = stackName(e);
            if (!seen.add(s)) {
                throw ConfigProblems.at(e, "stack \"" + s + "\" is listed twice");
            }
            out.add(s);
        }
        return out;
    }

    private String stackName(LocatedValue v) {
        String s = JsonValues.requireString(v, "a stack name");
        if (!definedStacks.contains(s)) {
            throw ConfigProblems.at(v, ConfigProblems.undefinedStack(s, definedStacks));
        }
        return s;
    }

}
