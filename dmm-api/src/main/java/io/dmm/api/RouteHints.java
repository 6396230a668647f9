package io.dmm.api;

import java.util.Objects;

/**
 * What a program tells DMM about a socket beyond its addresses: a QoS class (matched by the
 * policy's {@code qos} key), a free-form tag (matched by {@code tag}) and an explicit stack, which
 * bypasses the rules altogether. Any field may be absent ({@code null}). Immutable.
 */
public final class RouteHints {
    private static final RouteHints NONE = new RouteHints(null, null, null);

    private final String qos;
    private final String tag;
    private final String stack;

    private RouteHints(String qos, String tag, String stack) {
        this.qos = qos;
        this.tag = tag;
        this.stack = stack;
    }

    /** No hints: the socket is routed by its addresses alone. */
    public static RouteHints none() {
        return NONE;
    }

    /** Hints carrying a QoS class, e.g. {@code RouteHints.qos("low-latency")}. */
    public static RouteHints qos(String qosClass) {
        return NONE.withQos(qosClass);
    }

    /** Hints carrying a tag, matched by rules with a {@code tag} key. */
    public static RouteHints tag(String tag) {
        return NONE.withTag(tag);
    }

    /** Hints naming a stack instance explicitly: no rule is consulted. */
    public static RouteHints stack(String stackName) {
        return NONE.withStack(stackName);
    }

    public RouteHints withQos(String qosClass) {
        return new RouteHints(requireName(qosClass, "qos"), tag, stack);
    }

    public RouteHints withTag(String newTag) {
        return new RouteHints(qos, requireName(newTag, "tag"), stack);
    }

    public RouteHints withStack(String stackName) {
        return new RouteHints(qos, tag, requireName(stackName, "stack"));
    }

    /** The QoS class, or null. */
    public String qos() {
        return qos;
    }

    /** The tag, or null. */
    public String tag() {
        return tag;
    }

    /** The explicitly requested stack instance, or null. */
    public String stack() {
        return stack;
    }

    public boolean isEmpty() {
        return qos == null && tag == null && stack == null;
    }

    /**
     * These hints with every field that {@code inner} sets replaced by inner's value: an explicit
     * hint given to {@code open(...)} overrides the enclosing scope's, field by field.
     */
    public RouteHints overriddenBy(RouteHints inner) {
        if (inner == null || inner.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return inner;
        }
        return new RouteHints(inner.qos != null ? inner.qos : qos,
                inner.tag != null ? inner.tag : tag,
                inner.stack != null ? inner.stack : stack);
    }

    private static String requireName(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouteHints h && Objects.equals(qos, h.qos) && Objects.equals(tag, h.tag)
                && Objects.equals(stack, h.stack);
    }

    @Override
    public int hashCode() {
        return Objects.hash(qos, tag, stack);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("RouteHints[");
        String sep = "";
        if (qos != null) { sb.append("qos=").append(qos); sep = ", "; }
        if (tag != null) { sb.append(sep).append("tag=").append(tag); sep = ", "; }
        if (stack != null) { sb.append(sep).append("stack=").append(stack); }
        return sb.append(']').toString();
    }
}
