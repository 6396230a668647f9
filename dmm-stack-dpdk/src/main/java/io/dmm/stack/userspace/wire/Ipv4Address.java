package io.dmm.stack.userspace.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** IPv4 addresses as the stack holds them: an {@code int} in network order (a.b.c.d = a<<24|...). */
public final class Ipv4Address {
    public static final int ANY = 0;
    public static final int BROADCAST = 0xFFFF_FFFF;

    private Ipv4Address() {}

    public static int of(InetAddress a) {
        if (!(a instanceof Inet4Address)) throw new IllegalArgumentException("not an IPv4 address: " + a);
        byte[] b = a.getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    public static int of(int a, int b, int c, int d) {
        return (a & 0xFF) << 24 | (b & 0xFF) << 16 | (c & 0xFF) << 8 | (d & 0xFF);
    }

    /** Parses dotted-quad text; IllegalArgumentException (naming the text) if it is not one. */
    public static int parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) throw new IllegalArgumentException("not an IPv4 address: \"" + text + "\"");
        int v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("not an IPv4 address: \"" + text + "\"");
            }
            int n = Integer.parseInt(p);
            if (n > 255) throw new IllegalArgumentException("not an IPv4 address: \"" + text + "\"");
            v = v << 8 | n;
        }
        return v;
    }

    public static InetAddress toInet(int ip) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);  // four bytes are always a valid address
        }
    }

    public static String toString(int ip) {
        return (ip >>> 24) + "." + (ip >>> 16 & 0xFF) + "." + (ip >>> 8 & 0xFF) + "." + (ip & 0xFF);
    }

    /** Whether {@code ip} is a multicast group, 224.0.0.0/4 (RFC 5771). */
    public static boolean isMulticast(int ip) {
        return (ip >>> 28) == 0xE;
    }

    /** The netmask of a prefix length, e.g. 24 gives 255.255.255.0. */
    public static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    public static boolean sameSubnet(int a, int b, int prefixLength) {
        int m = mask(prefixLength);
        return (a & m) == (b & m);
    }
}
