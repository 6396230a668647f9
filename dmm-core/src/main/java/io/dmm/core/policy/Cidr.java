package io.dmm.core.policy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An IPv4 or IPv6 network prefix such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}. Host bits
 * written after the prefix are masked off ({@code 192.168.1.1/24} is {@code 192.168.1.0/24}), as
 * FD.io DMM does with its rd_config subnets. An IPv4-mapped IPv6 prefix ({@code ::ffff:10.0.0.0/104})
 * is turned into the IPv4 prefix it denotes, because addresses of that form are matched as IPv4.
 *
 * <p>Addresses are kept as bits so that matching is a mask and a compare: IPv4 in the low 32 bits
 * of an int, IPv6 as two longs (high and low 64 bits).
 */
public final class Cidr {
    private final boolean v4;
    private final int v4Bits;
    private final long hi;
    private final long lo;
    private final int prefix;

    private Cidr(boolean v4, int v4Bits, long hi, long lo, int prefix) {
        this.v4 = v4;
        this.prefix = prefix;
        if (v4) {
            this.v4Bits = v4Bits & v4Mask(prefix);
            this.hi = 0;
            this.lo = 0;
        } else {
            this.v4Bits = 0;
            this.hi = hi & v6HiMask(prefix);
            this.lo = lo & v6LoMask(prefix);
        }
    }

    /**
     * Parses {@code a.b.c.d/n}, {@code v6/n} or a bare address (a host prefix: /32 or /128).
     * Never resolves names.
     *
     * @throws IllegalArgumentException with a message saying what is wrong (without the text itself)
     */
    public static Cidr parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        boolean isV6 = addr.indexOf(':') >= 0;
        int max = isV6 ? 128 : 32;
        int prefix = max;
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("prefix length must be a number 0.." + max);
            }
            prefix = Integer.parseInt(p);
            if (prefix > max) {
                throw new IllegalArgumentException("prefix length must be 0.." + max);
            }
        }
        if (!isV6) {
            return new Cidr(true, parseV4(addr), 0, 0, prefix);
        }
        if (addr.indexOf('%') >= 0) {
            throw new IllegalArgumentException("scoped IPv6 addresses (with %zone) are not allowed");
        }
        InetAddress a;
        try {
            a = Inet6Address.ofLiteral(addr);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + addr + "\" is not an IPv6 address");
        }
        if (a instanceof Inet4Address v4) {
            // An IPv4-mapped literal: the JDK hands back the IPv4 address; so do we.
            if (prefix < 96) {
                throw new IllegalArgumentException("an IPv4-mapped prefix (::ffff:a.b.c.d) needs a length of 96..128");
            }
            return new Cidr(true, AddressBits.v4Bits(v4.getAddress(), 0), 0, 0, prefix - 96);
        }
        byte[] b = a.getAddress();
        return new Cidr(false, 0, AddressBits.long64(b, 0), AddressBits.long64(b, 8), prefix);
    }

    /** Strict dotted quad: four decimal parts 0..255 (no shortened BSD forms, no names). */
    static int parseV4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("\"" + s + "\" is not an IPv4 address (expected a.b.c.d)");
        }
        int bits = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("\"" + s + "\" is not an IPv4 address (expected a.b.c.d)");
            }
            int v = Integer.parseInt(part);
            if (v > 255) {
                throw new IllegalArgumentException("\"" + s + "\" is not an IPv4 address (parts must be 0..255)");
            }
            bits = (bits << 8) | v;
        }
        return bits;
    }

    static int v4Mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    static long v6HiMask(int prefix) {
        return prefix >= 64 ? -1L : prefix == 0 ? 0L : -1L << (64 - prefix);
    }

    static long v6LoMask(int prefix) {
        return prefix <= 64 ? 0L : prefix == 128 ? -1L : -1L << (128 - prefix);
    }

    public boolean isV4() {
        return v4;
    }

    public int prefixLength() {
        return prefix;
    }

    /** The network bits: IPv4 in the high 32 bits of {@code hi}, IPv6 as written. Used by the tries. */
    long trieHi() {
        return v4 ? ((long) v4Bits) << 32 : hi;
    }

    long trieLo() {
        return v4 ? 0L : lo;
    }

    boolean containsV4(int address) {
        return v4 && ((address ^ v4Bits) & v4Mask(prefix)) == 0;
    }

    boolean containsV6(long aHi, long aLo) {
        return !v4 && ((aHi ^ hi) & v6HiMask(prefix)) == 0 && ((aLo ^ lo) & v6LoMask(prefix)) == 0;
    }

    /** True if the address (IPv4-mapped IPv6 counts as IPv4) is inside this prefix. */
    public boolean contains(InetAddress address) {
        AddressBits b = new AddressBits();
        b.load(address);
        return b.isV4() ? containsV4(b.v4()) : b.isV6() && containsV6(b.hi(), b.lo());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && v4 == c.v4 && v4Bits == c.v4Bits && hi == c.hi && lo == c.lo
                && prefix == c.prefix;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hi * 31 + lo) * 31 + v4Bits * 7 + prefix + (v4 ? 1000 : 0);
    }

    /** Canonical form, host bits cleared: {@code 192.168.1.0/24}, {@code 2001:db8:0:0:0:0:0:0/32}. */
    @Override
    public String toString() {
        if (v4) {
            return ((v4Bits >>> 24) & 255) + "." + ((v4Bits >>> 16) & 255) + "." + ((v4Bits >>> 8) & 255) + "."
                    + (v4Bits & 255) + "/" + prefix;
        }
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(((b[i] & 255) << 8) | (b[i + 1] & 255)));
        }
        return sb.append('/').append(prefix).toString();
    }
}
