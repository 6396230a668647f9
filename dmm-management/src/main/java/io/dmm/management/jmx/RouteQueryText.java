package io.dmm.management.jmx;

import io.dmm.api.Protocol;
import io.dmm.api.Role;
import io.dmm.api.RouteHints;
import io.dmm.api.RouteQuery;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * Builds a {@link RouteQuery} from the words an operator types — {@code tcp client 203.0.113.5:443}
 * plus optional source address and hints — for the Policy MBean's {@code explain} and the
 * {@code dmm explain} command. Addresses must be IP literals: the policy decides on addresses and
 * never resolves names, so a name here would silently match nothing.
 */
public final class RouteQueryText {
    private RouteQueryText() {
    }

    /** A query without source address or hints. */
    public static RouteQuery parse(String protocol, String role, String service) {
        return parse(protocol, role, service, null, null, null, null, null, null);
    }

    /**
     * @param service {@code ADDR:PORT}, {@code [IPv6]:PORT}, or {@code *:PORT} (any address: only the port is known)
     * @param source  the client's own address (IP literal), or null/blank
     * @param qos     the qos hint, or null/blank; likewise {@code tag}, {@code stack} (an explicit
     *                stack hint), {@code app} (the application name; blank: the JVM's) and
     *                {@code caller} (the class opening the socket)
     * @throws IllegalArgumentException saying what is wrong and what was expected
     */
    public static RouteQuery parse(String protocol, String role, String service, String source, String qos,
                                   String tag, String stack, String app, String caller) {
        Protocol p = protocol(protocol);
        Role r = role(role, p);
        RouteHints hints = RouteHints.none();
        if (present(qos)) {
            hints = hints.withQos(qos.strip());
        }
        if (present(tag)) {
            hints = hints.withTag(tag.strip());
        }
        if (present(stack)) {
            hints = hints.withStack(stack.strip());
        }
        return new RouteQuery(p, r, service(service), present(source) ? address(source.strip(), "source") : null,
                hints, present(app) ? app.strip() : null, present(caller) ? caller.strip() : null);
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    static Protocol protocol(String s) {
        String v = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "tcp" -> Protocol.TCP;
            case "udp" -> Protocol.UDP;
            default -> throw new IllegalArgumentException("protocol \"" + s + "\": expected tcp or udp");
        };
    }

    static Role role(String s, Protocol p) {
        String v = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
        for (Role r : Role.values()) {
            if (r.configName().equals(v)) {
                if (r.protocol() != p) {
                    throw new IllegalArgumentException("role \"" + v + "\" is not a " + p.configName() + " role: expected "
                            + (p == Protocol.TCP ? "client or server" : "sender or receiver"));
                }
                return r;
            }
        }
        throw new IllegalArgumentException("role \"" + s + "\": expected "
                + (p == Protocol.TCP ? "client or server" : "sender or receiver"));
    }

    static InetSocketAddress service(String s) {
        String v = s == null ? "" : s.strip();
        int colon = v.lastIndexOf(':');
        if (colon < 0 || (v.startsWith("[") && !v.substring(0, colon).endsWith("]"))) {
            throw new IllegalArgumentException("address \"" + v + "\": expected ADDR:PORT, [IPv6]:PORT or *:PORT");
        }
        String host = v.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("address \"" + v + "\": the port must be a number from 0 to 65535");
        }
        if (host.equals("*") || host.isEmpty()) {
            // unresolved: the policy treats the address as unknown and matches on the port alone
            return InetSocketAddress.createUnresolved("*", port);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("address \"" + v + "\": write an IPv6 address in brackets, [" + host
                    + "]:" + port);
        }
        return new InetSocketAddress(address(host, "address"), port);
    }

    static InetAddress address(String s, String what) {
        try {
            return InetAddress.ofLiteral(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " \"" + s + "\" is not an IP address (DMM routes on addresses"
                    + " and does not resolve names)");
        }
    }
}
