package io.dmm.stack.kernel;

import io.dmm.api.spi.StackInstance;
import io.dmm.api.spi.StackProvider;
import io.dmm.api.spi.StackSettings;
import java.net.InetAddress;
import java.net.SocketOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stack type {@code "kernel"}: the operating system's TCP/IP stack through the JDK's own channels.
 * Settings: {@code "options"} (socket option name → value, applied to every channel the instance
 * opens where the option applies) and {@code "source"} (an IP address literal client sockets bind
 * to before they connect).
 */
public final class KernelStackProvider implements StackProvider {
    public static final String TYPE = "kernel";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public StackInstance create(StackSettings settings) {
        settings.allowOnly(Set.of("options", "source"));
        Map<SocketOption<?>, Object> options = parseOptions(settings);
        InetAddress source = parseSource(settings);
        return new KernelStackInstance(settings.name(), options, source);
    }

    private static Map<SocketOption<?>, Object> parseOptions(StackSettings settings) {
        StackSettings opts = settings.object("options");
        Map<SocketOption<?>, Object> result = new LinkedHashMap<>();
        if (opts == null) {
            return result;
        }
        for (String name : opts.keys()) {
            SocketOption<?> option = KernelSocketOptions.byName(name);
            String unavailable = KernelSocketOptions.unavailable(name);
            if (unavailable != null) {
                throw opts.error(name, unavailable);
            }
            if (option == null) {
                String suggestion = KernelSocketOptions.suggest(name);
                throw opts.error(name, "unknown socket option \"" + name + "\""
                        + (suggestion != null ? "; did you mean \"" + suggestion + "\"?" : "")
                        + " (known: " + String.join(", ", KernelSocketOptions.names()) + ")");
            }
            result.put(option, convert(opts, name, option));
        }
        return result;
    }

    /** JSON value → the option's Java type, with an error naming the expected type. */
    private static Object convert(StackSettings opts, String name, SocketOption<?> option) {
        Object raw = opts.get(name);
        if (option.type() == Boolean.class) {
            if (raw instanceof Boolean) {
                return raw;
            }
            throw opts.error(name, name + " expects a boolean (true or false), got " + describe(raw));
        }
        if (option.type() == Integer.class) {
            if (raw instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
                int v = l.intValue();
                if (v < 0 && option != java.net.StandardSocketOptions.SO_LINGER) {
                    throw opts.error(name, name + " expects a non-negative integer, got " + v);
                }
                if (option == java.net.StandardSocketOptions.IP_TOS && v > 255) {
                    throw opts.error(name, name + " expects an integer 0..255, got " + v);
                }
                return v;
            }
            throw opts.error(name, name + " expects an integer, got " + describe(raw));
        }
        throw new IllegalStateException("option of unexpected type: " + option);
    }

    private static String describe(Object raw) {
        if (raw == null) {
            return "null";
        }
        if (raw instanceof String s) {
            return "string \"" + s + "\"";
        }
        if (raw instanceof Long) {
            return "integer " + raw + (raw instanceof Long l && (l > Integer.MAX_VALUE || l < Integer.MIN_VALUE)
                    ? " (out of range)" : "");
        }
        if (raw instanceof Double) {
            return "number " + raw;
        }
        if (raw instanceof Boolean) {
            return "boolean " + raw;
        }
        if (raw instanceof List) {
            return "an array";
        }
        return "an object";
    }

    private static InetAddress parseSource(StackSettings settings) {
        if (!settings.has("source")) {
            return null;
        }
        Object raw = settings.get("source");
        if (!(raw instanceof String text)) {
            throw settings.error("source", "source expects an IP address literal string, got " + describe(raw));
        }
        try {
            return InetAddress.ofLiteral(text); // a literal only: no DNS lookup at policy load
        } catch (IllegalArgumentException e) {
            throw settings.error("source", "\"" + text + "\" is not an IP address literal (host names are not "
                    + "resolved here)");
        }
    }
}
