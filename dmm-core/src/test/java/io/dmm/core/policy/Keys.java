package io.dmm.core.policy;

import io.dmm.api.Protocol;
import io.dmm.api.Role;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Test helper: route keys from literals. */
public final class Keys {
    private Keys() {
    }

    public static InetAddress ip(String literal) {
        if (literal == null) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(literal);
        } catch (IllegalArgumentException e) {
            throw new AssertionError(literal, e);
        }
    }

    public static RouteKey key(Role role, String service, int port) {
        return new RouteKey(role.protocol(), role, ip(service), port, null, null, null, null, null);
    }

    public static RouteKey tcpClient(String service, int port) {
        return key(Role.CLIENT, service, port);
    }

    public static RouteKey full(Role role, String service, int port, String source, String qos, String tag,
                                String app, String caller) {
        return new RouteKey(role.protocol(), role, ip(service), port, ip(source), qos, tag, app, caller);
    }

    public static RouteKey withQos(RouteKey k, String qos) {
        return new RouteKey(k.protocol(), k.role(), k.service(), k.port(), k.source(), qos, k.tag(), k.app(),
                k.caller());
    }

    public static RouteKey withCaller(RouteKey k, String caller) {
        return new RouteKey(k.protocol(), k.role(), k.service(), k.port(), k.source(), k.qos(), k.tag(), k.app(),
                caller);
    }

    static Protocol tcp() {
        return Protocol.TCP;
    }

    static InetAddress mappedV6(String v4) throws UnknownHostException {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(ip(v4).getAddress(), 0, b, 12, 4);
        // This factory keeps the IPv6 form (getByAddress(byte[]) would turn it into an Inet4Address).
        return java.net.Inet6Address.getByAddress(null, b, -1);
    }
}
