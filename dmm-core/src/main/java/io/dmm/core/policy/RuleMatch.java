package io.dmm.core.policy;

import io.dmm.api.Protocol;
import io.dmm.api.Role;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The match part of a rule: every constrained field must match (AND); within a field, any listed
 * value may match (OR). An unconstrained field (null here) matches anything; a constrained field
 * never matches a key whose value is absent (null address, port -1, null qos, ...).
 */
public final class RuleMatch {
    private final Protocol proto;
    private final Role role;
    private final Cidr[] dst;
    private final Cidr[] src;
    private final PortSet port;
    private final Set<String> qos;
    private final Set<String> tag;
    private final Set<String> app;
    private final String[] caller;
    // Descriptions keep the written order of value lists; the sets used for matching do not.
    private final List<String> qosText;
    private final List<String> tagText;
    private final List<String> appText;

    private RuleMatch(Builder b) {
        this.role = b.role;
        this.proto = b.role != null ? b.role.protocol() : b.proto;
        if (b.role != null && b.proto != null && b.proto != b.role.protocol()) {
            throw new IllegalArgumentException("role " + b.role.configName() + " is not a " + b.proto.configName()
                    + " role");
        }
        this.dst = b.dst == null ? null : b.dst.toArray(new Cidr[0]);
        this.src = b.src == null ? null : b.src.toArray(new Cidr[0]);
        this.port = b.port;
        this.qos = b.qos == null ? null : Set.copyOf(b.qos);
        this.tag = b.tag == null ? null : Set.copyOf(b.tag);
        this.app = b.app == null ? null : Set.copyOf(b.app);
        this.caller = b.caller == null ? null : b.caller.toArray(new String[0]);
        this.qosText = b.qos == null ? null : List.copyOf(b.qos);
        this.tagText = b.tag == null ? null : List.copyOf(b.tag);
        this.appText = b.app == null ? null : List.copyOf(b.app);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Matches everything. */
    public static RuleMatch any() {
        return new Builder().build();
    }

    public boolean matches(RouteKey key) {
        return matches(key, key.serviceBits(), key.sourceBits());
    }

    /** The full check; {@code svc}/{@code srcBits} are the key's service and source addresses as bits. */
    boolean matches(RouteKey key, AddressBits svc, AddressBits srcBits) {
        if (proto != null && key.protocol() != proto) {
            return false;
        }
        if (role != null && key.role() != role) {
            return false;
        }
        if (port != null && (key.port() < 0 || !port.contains(key.port()))) {
            return false;
        }
        if (dst != null && !anyContains(dst, svc)) {
            return false;
        }
        if (src != null && !anyContains(src, srcBits)) {
            return false;
        }
        if (qos != null && (key.qos() == null || !qos.contains(key.qos()))) {
            return false;
        }
        if (tag != null && (key.tag() == null || !tag.contains(key.tag()))) {
            return false;
        }
        if (app != null && (key.app() == null || !app.contains(key.app()))) {
            return false;
        }
        return caller == null || anyCallerPrefix(caller, key.caller());
    }

    private static boolean anyContains(Cidr[] cidrs, AddressBits a) {
        if (a.isV4()) {
            int v = a.v4();
            for (Cidr c : cidrs) {
                if (c.containsV4(v)) {
                    return true;
                }
            }
        } else if (a.isV6()) {
            long h = a.hi();
            long l = a.lo();
            for (Cidr c : cidrs) {
                if (c.containsV6(h, l)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean anyCallerPrefix(String[] prefixes, String callerName) {
        if (callerName == null) {
            return false;
        }
        for (String p : prefixes) {
            if (callerPrefixMatches(p, callerName)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code prefix} matches a class name that equals it or continues it after a name boundary ('.'
     * for packages, '$' for nested classes): "com.acme" matches "com.acme.Foo", not "com.acmex.Foo".
     */
    public static boolean callerPrefixMatches(String prefix, String className) {
        if (!className.startsWith(prefix)) {
            return false;
        }
        if (className.length() == prefix.length()) {
            return true;
        }
        char next = className.charAt(prefix.length());
        return next == '.' || next == '$';
    }

    static boolean isNameBoundary(char c) {
        return c == '.' || c == '$';
    }

    public Protocol proto() { return proto; }
    public Role role() { return role; }
    public List<Cidr> dst() { return dst == null ? null : List.of(dst); }
    public List<Cidr> src() { return src == null ? null : List.of(src); }
    public PortSet port() { return port; }
    public List<String> qos() { return qosText; }
    public List<String> tag() { return tagText; }
    public List<String> app() { return appText; }
    public List<String> caller() { return caller == null ? null : List.of(caller); }

    /** True if nothing is constrained. */
    public boolean isAny() {
        return proto == null && role == null && dst == null && src == null && port == null && qos == null
                && tag == null && app == null && caller == null;
    }

    /** One-line rendering, e.g. {@code {proto=tcp, role=client, dst=127.0.0.0/8, port=9000-9099}}. */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "{", "}");
        if (proto != null) j.add("proto=" + proto.configName());
        if (role != null) j.add("role=" + role.configName());
        if (dst != null) j.add("dst=" + list(List.of(dst)));
        if (port != null) j.add("port=" + port);
        if (src != null) j.add("src=" + list(List.of(src)));
        if (qosText != null) j.add("qos=" + list(qosText));
        if (tagText != null) j.add("tag=" + list(tagText));
        if (appText != null) j.add("app=" + list(appText));
        if (caller != null) j.add("caller=" + list(List.of(caller)));
        return j.toString();
    }

    private static String list(List<?> values) {
        if (values.size() == 1) {
            return String.valueOf(values.get(0));
        }
        StringJoiner j = new StringJoiner(", ", "[", "]");
        values.forEach(v -> j.add(String.valueOf(v)));
        return j.toString();
    }

    /** Collects a match; every setter takes "constrained to these values" (null: unconstrained). */
    public static final class Builder {
        private Protocol proto;
        private Role role;
        private List<Cidr> dst;
        private List<Cidr> src;
        private PortSet port;
        private LinkedHashSet<String> qos;
        private LinkedHashSet<String> tag;
        private LinkedHashSet<String> app;
        private List<String> caller;

        public Builder proto(Protocol p) { this.proto = p; return this; }
        public Builder role(Role r) { this.role = r; return this; }
        public Builder dst(List<Cidr> c) { this.dst = nonEmpty(c, "dst"); return this; }
        public Builder src(List<Cidr> c) { this.src = nonEmpty(c, "src"); return this; }
        public Builder port(PortSet p) { this.port = p; return this; }
        public Builder qos(List<String> v) { this.qos = set(v, "qos"); return this; }
        public Builder tag(List<String> v) { this.tag = set(v, "tag"); return this; }
        public Builder app(List<String> v) { this.app = set(v, "app"); return this; }
        public Builder caller(List<String> v) { this.caller = nonEmpty(v, "caller"); return this; }

        private static <T> List<T> nonEmpty(List<T> v, String what) {
            if (v != null && v.isEmpty()) {
                throw new IllegalArgumentException(what + " must not be an empty list");
            }
            return v == null ? null : new ArrayList<>(v);
        }

        private static LinkedHashSet<String> set(List<String> v, String what) {
            return v == null ? null : new LinkedHashSet<>(nonEmpty(v, what));
        }

        public RuleMatch build() {
            return new RuleMatch(this);
        }
    }
}
