package io.dmm.management.http;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes Prometheus text exposition format 0.0.4: per metric family one {@code # HELP} and one
 * {@code # TYPE} line, then its samples, {@code name{label="value",...} value}. Label values are
 * escaped as the format requires (backslash, double quote, line feed), help texts likewise
 * (backslash, line feed). Names are checked: they are DMM's own, so a bad one is a bug here.
 */
final class PrometheusText {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final StringBuilder out = new StringBuilder(4096);
    private final Set<String> families = new HashSet<>();
    private String current;

    /**
     * Starts a family; its samples follow.
     *
     * @param type {@code counter}, {@code gauge} or {@code untyped}
     */
    PrometheusText family(String name, String type, String help) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad metric name " + name);
        }
        if (!families.add(name)) {
            throw new IllegalStateException("metric family " + name + " written twice");
        }
        current = name;
        out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** A sample of the current family; {@code labels} alternate names and values. */
    PrometheusText sample(long value, String... labels) {
        return sample(Long.toString(value), labels);
    }

    /** As {@link #sample(long, String...)} with a value already formatted as a Prometheus float. */
    PrometheusText sample(String value, String... labels) {
        if (current == null) {
            throw new IllegalStateException("sample before any family");
        }
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        out.append(current);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (!LABEL_NAME.matcher(labels[i]).matches() || labels[i].startsWith("__")) {
                    throw new IllegalArgumentException("bad label name " + labels[i]);
                }
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"").append(escapeLabelValue(labels[i + 1])).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(value).append('\n');
        return this;
    }

    byte[] toBytes() {
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return out.toString();
    }

    static String escapeLabelValue(String v) {
        if (v == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(v.length() + 8);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    static String escapeHelp(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** Seconds since the epoch with millisecond precision, in plain notation ({@code 1718000000.123}). */
    static String seconds(java.time.Instant t) {
        long ms = t.toEpochMilli();
        long s = Math.floorDiv(ms, 1000);
        long frac = Math.floorMod(ms, 1000);
        return s + "." + (frac < 10 ? "00" : frac < 100 ? "0" : "") + frac;
    }
}
