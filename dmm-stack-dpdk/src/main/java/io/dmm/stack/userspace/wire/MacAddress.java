package io.dmm.stack.userspace.wire;

/**
 * MAC addresses as the stack holds them: a {@code long} with the six octets in its low 48 bits,
 * first octet highest (02:00:00:00:00:01 is {@code 0x0200_0000_0001L}), so comparing and storing
 * them allocates nothing.
 */
public final class MacAddress {
    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;
    /** The all-zero address, what an ARP request carries as the target hardware address. */
    public static final long ZERO = 0L;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private MacAddress() {}

    /** Parses six colon- or dash-separated hex octets; IllegalArgumentException naming the text otherwise. */
    public static long parse(String text) {
        if (text.length() != 17) throw new IllegalArgumentException("not a MAC address: \"" + text + "\"");
        long v = 0;
        for (int i = 0; i < 6; i++) {
            int p = i * 3;
            if (i > 0 && text.charAt(p - 1) != ':' && text.charAt(p - 1) != '-') {
                throw new IllegalArgumentException("not a MAC address: \"" + text + "\"");
            }
            int hi = Character.digit(text.charAt(p), 16);
            int lo = Character.digit(text.charAt(p + 1), 16);
            if (hi < 0 || lo < 0) throw new IllegalArgumentException("not a MAC address: \"" + text + "\"");
            v = v << 8 | hi << 4 | lo;
        }
        return v;
    }

    /** Lower-case colon form, e.g. {@code 02:00:00:00:00:01}. */
    public static String toString(long mac) {
        char[] c = new char[17];
        for (int i = 0; i < 6; i++) {
            int b = (int) (mac >>> (40 - 8 * i)) & 0xFF;
            c[i * 3] = HEX[b >>> 4];
            c[i * 3 + 1] = HEX[b & 0xF];
            if (i < 5) c[i * 3 + 2] = ':';
        }
        return new String(c);
    }

    /** The I/G bit (least significant bit of the first octet): group addresses, broadcast included. */
    public static boolean isMulticast(long mac) {
        return ((mac >>> 40) & 1) != 0;
    }

    public static boolean isBroadcast(long mac) {
        return (mac & BROADCAST) == BROADCAST;
    }

    /** The group MAC of an IPv4 multicast address: 01:00:5e and its low 23 bits (RFC 1112 6.4). */
    public static long ipv4Multicast(int group) {
        return 0x0100_5E00_0000L | (group & 0x7F_FFFFL);
    }

    /** Whether a host may use it as its own address: not a group address and not all zeros. */
    public static boolean isUnicast(long mac) {
        return !isMulticast(mac) && (mac & BROADCAST) != 0;
    }
}
