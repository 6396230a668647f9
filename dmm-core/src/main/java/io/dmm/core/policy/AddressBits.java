package io.dmm.core.policy;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * An address turned into bits for matching, reusable so that a decision need not allocate: IPv4
 * (including IPv4-mapped IPv6, which is matched as IPv4) as an int, IPv6 as two longs.
 */
final class AddressBits {
    private static final int NONE = 0;
    private static final int V4 = 4;
    private static final int V6 = 6;

    /**
     * {@link Inet4Address#hashCode()} has been the address itself since JDK 1.0; reading it avoids the
     * array copy {@code getAddress()} makes. Checked once at start-up, with getAddress() as fallback.
     */
    private static final boolean V4_HASH_IS_ADDRESS = checkV4Hash();

    private int family;
    private int v4;
    private long hi;
    private long lo;

    private static boolean checkV4Hash() {
        try {
            InetAddress a = InetAddress.getByAddress(new byte[] {(byte) 192, (byte) 168, 7, (byte) 200});
            InetAddress b = InetAddress.getByAddress(new byte[] {1, 2, 3, 4});
            return a.hashCode() == 0xC0A807C8 && b.hashCode() == 0x01020304;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** {@code a} as bits, in a new object. */
    static AddressBits of(InetAddress a) {
        AddressBits b = new AddressBits();
        b.load(a);
        return b;
    }

    /** Loads {@code a}; null means "no address" (neither v4 nor v6). */
    void load(InetAddress a) {
        if (a == null) {
            family = NONE;
        } else if (a instanceof Inet4Address) {
            family = V4;
            v4 = V4_HASH_IS_ADDRESS ? a.hashCode() : v4Bits(a.getAddress(), 0);
        } else {
            byte[] b = a.getAddress();
            if (isV4Mapped(b)) {
                family = V4;
                v4 = v4Bits(b, 12);
            } else {
                family = V6;
                hi = long64(b, 0);
                lo = long64(b, 8);
            }
        }
    }

    static boolean isV4Mapped(byte[] b) {
        if (b.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    static int v4Bits(byte[] b, int off) {
        return ((b[off] & 255) << 24) | ((b[off + 1] & 255) << 16) | ((b[off + 2] & 255) << 8) | (b[off + 3] & 255);
    }

    static long long64(byte[] b, int off) {
        long r = 0;
        for (int i = 0; i < 8; i++) {
            r = (r << 8) | (b[off + i] & 255);
        }
        return r;
    }

    boolean isV4() {
        return family == V4;
    }

    boolean isV6() {
        return family == V6;
    }

    boolean isPresent() {
        return family != NONE;
    }

    int v4() {
        return v4;
    }

    long hi() {
        return hi;
    }

    long lo() {
        return lo;
    }

    /** Trie bits: IPv4 in the high 32 bits of hi, so both families walk from the top bit down. */
    long trieHi() {
        return family == V4 ? ((long) v4) << 32 : hi;
    }

    long trieLo() {
        return family == V4 ? 0L : lo;
    }
}
