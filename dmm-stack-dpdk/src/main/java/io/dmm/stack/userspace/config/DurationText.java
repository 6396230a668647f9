package io.dmm.stack.userspace.config;

/**
 * Durations as policy files write them: a number and a unit, e.g. {@code "10ms"}, {@code "250us"},
 * {@code "1.5s"}, {@code "2h"}. A bare number is refused, since "10" could mean any unit.
 */
public final class DurationText {
    private DurationText() {}

    /** The duration in nanoseconds, or null with the reason in {@code error[0]}. */
    public static Long parse(String text, String[] error) {
        String t = text.strip();
        int i = 0;
        while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) i++;
        String number = t.substring(0, i);
        String unit = t.substring(i).strip();
        long scale = switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m", "min" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> -1L;
        };
        if (number.isEmpty() || scale < 0) {
            error[0] = "\"" + text + "\" is not a duration; write a number and a unit: ns, us, ms, s, m or h (e.g. \"10ms\")";
            return null;
        }
        double value;
        try {
            value = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            error[0] = "\"" + text + "\" is not a duration: \"" + number + "\" is not a number";
            return null;
        }
        double nanos = value * scale;
        if (nanos > Long.MAX_VALUE / 2) {
            error[0] = "\"" + text + "\" is too long a duration";
            return null;
        }
        return Math.round(nanos);
    }

    /** Formats nanoseconds the way {@link #parse} reads them, choosing the largest exact unit. */
    public static String format(long nanos) {
        long[] scales = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
        String[] units = {"h", "m", "s", "ms", "us"};
        for (int i = 0; i < scales.length; i++) {
            if (nanos != 0 && nanos % scales[i] == 0) return nanos / scales[i] + units[i];
        }
        return nanos + "ns";
    }
}
