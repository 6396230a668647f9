package io.dmm.stack.kernel;

import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.net.ExtendedSocketOptions;

/**
 * The socket options a kernel stack entry may set in its {@code "options"} object, by the name used
 * in policy files (the option's own {@link SocketOption#name()}), with "did you mean" help for typos.
 */
final class KernelSocketOptions {
    private static final boolean JDK_NET_PRESENT = ModuleLayer.boot().findModule("jdk.net").isPresent();
    /** The names of the {@link JdkNetOptions}, known without loading module jdk.net. */
    static final List<String> JDK_NET_NAMES = List.of("TCP_KEEPIDLE", "TCP_KEEPINTERVAL", "TCP_KEEPCOUNT",
            "TCP_QUICKACK");
    private static final Map<String, SocketOption<?>> KNOWN = build();

    private KernelSocketOptions() {
    }

    private static Map<String, SocketOption<?>> build() {
        Map<String, SocketOption<?>> m = new LinkedHashMap<>();
        for (SocketOption<?> o : List.<SocketOption<?>>of(StandardSocketOptions.SO_SNDBUF,
                StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.TCP_NODELAY,
                StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_REUSEADDR,
                StandardSocketOptions.SO_REUSEPORT, StandardSocketOptions.SO_LINGER,
                StandardSocketOptions.IP_TOS, StandardSocketOptions.SO_BROADCAST,
                StandardSocketOptions.IP_MULTICAST_TTL, StandardSocketOptions.IP_MULTICAST_LOOP)) {
            m.put(o.name(), o);
        }
        if (JDK_NET_PRESENT) {
            JdkNetOptions.addTo(m);
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * The options of module jdk.net, apart so that a JVM without it (started with
     * {@code --limit-modules}) loads this class and sets the standard options.
     */
    private static final class JdkNetOptions {
        static void addTo(Map<String, SocketOption<?>> m) {
            for (SocketOption<?> o : List.<SocketOption<?>>of(ExtendedSocketOptions.TCP_KEEPIDLE,
                    ExtendedSocketOptions.TCP_KEEPINTERVAL, ExtendedSocketOptions.TCP_KEEPCOUNT,
                    ExtendedSocketOptions.TCP_QUICKACK)) {
                m.put(o.name(), o);
            }
        }
    }

    /** Why the option called {@code name} cannot be set in this JVM although DMM knows it, or null. */
    static String unavailable(String name) {
        return !JDK_NET_PRESENT && JDK_NET_NAMES.contains(name)
                ? "socket option \"" + name + "\" needs JDK module jdk.net, which this JVM lacks (--limit-modules?)"
                : null;
    }

    /** The option called {@code name}, or null. */
    static SocketOption<?> byName(String name) {
        return KNOWN.get(name);
    }

    static List<String> names() {
        return new ArrayList<>(KNOWN.keySet());
    }

    /** The known name closest to {@code name} if it is close enough to be a typo, else null. */
    static String suggest(String name) {
        String upper = name.toUpperCase(Locale.ROOT).replace('-', '_');
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : KNOWN.keySet()) {
            int d = known.equals(upper) ? 0 : distance(upper, known);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        return bestDistance <= Math.max(2, upper.length() / 3) ? best : null;
    }

    /** Levenshtein edit distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
