package io.dmm.stack.userspace.iface;

import io.dmm.stack.userspace.wire.Ipv4Address;

/**
 * One address of the interface with the length of its subnet prefix, e.g. 10.0.0.1/24: the
 * address is ours, the subnet is reachable directly (ARP), and the subnet's all-ones host is its
 * directed broadcast.
 */
public record Ipv4Cidr(int address, int prefixLength) {
    public Ipv4Cidr {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 0..32: " + prefixLength);
        }
        int top = address >>> 24;
        // 127/8 is allowed: a userspace instance on a loopback device may own the loopback net (the
        // settings reader refuses it on other devices), as Linux's lo does.
        if (address == 0 || address == Ipv4Address.BROADCAST || top >= 224) {
            throw new IllegalArgumentException("not a usable interface address: " + Ipv4Address.toString(address));
        }
    }

    /** Parses {@code a.b.c.d/n}. */
    public static Ipv4Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("not an address/prefix: \"" + text + "\"");
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an address/prefix: \"" + text + "\"", e);
        }
        return new Ipv4Cidr(Ipv4Address.parse(text.substring(0, slash)), prefix);
    }

    public int mask() {
        return Ipv4Address.mask(prefixLength);
    }

    /** Whether {@code ip} is on this subnet. */
    public boolean contains(int ip) {
        return Ipv4Address.sameSubnet(address, ip, prefixLength);
    }

    /**
     * The subnet-directed broadcast address; none (0) for /31 and /32, which have no broadcast
     * (RFC 3021).
     */
    public int broadcast() {
        return prefixLength >= 31 ? 0 : address | ~mask();
    }

    @Override
    public String toString() {
        return Ipv4Address.toString(address) + "/" + prefixLength;
    }
}
