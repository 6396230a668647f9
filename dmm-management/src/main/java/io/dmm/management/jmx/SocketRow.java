package io.dmm.management.jmx;

import io.dmm.api.SocketInfo;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;

/**
 * One row of the socket table as JMX clients see it (a CompositeData with these items). Addresses
 * are {@code ADDR:PORT} ({@code [IPv6]:PORT}), "" when absent; {@code opened} is ISO-8601.
 */
public record SocketRow(long id, String stack, String protocol, String kind, String local, String remote,
                        String state, long bytesIn, long bytesOut, String opened, long ageMillis,
                        long policyVersion, String rule) {

    static SocketRow of(SocketInfo s, Instant now) {
        return new SocketRow(s.id(), nonNull(s.stack()), s.protocol() == null ? "" : s.protocol().configName(),
                nonNull(s.kind()), address(s.local()), address(s.remote()), nonNull(s.state()), s.bytesIn(),
                s.bytesOut(), s.opened() == null ? "" : s.opened().toString(),
                s.opened() == null ? 0 : Math.max(0, Duration.between(s.opened(), now).toMillis()),
                s.policyVersion(), nonNull(s.rule()));
    }

    /** {@code 10.0.0.1:80}, {@code [::1]:80}; a name for an unresolved address; "" for none. */
    static String address(InetSocketAddress a) {
        if (a == null) {
            return "";
        }
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
