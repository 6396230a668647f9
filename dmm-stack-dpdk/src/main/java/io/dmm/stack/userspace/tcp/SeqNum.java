package io.dmm.stack.userspace.tcp;

/** Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4): ints compared by signed difference. */
public final class SeqNum {
    private SeqNum() {}
    public static boolean lt(int a, int b) { return a - b < 0; }
    public static boolean le(int a, int b) { return a - b <= 0; }
    public static boolean gt(int a, int b) { return a - b > 0; }
    public static boolean ge(int a, int b) { return a - b >= 0; }
    /** {@code a - b} as a signed distance. */
    public static int diff(int a, int b) { return a - b; }
    /** Whether {@code lo <= x < hi} in sequence space. */
    public static boolean inRange(int x, int lo, int hi) { return x - lo >= 0 && x - hi < 0; }
    public static int max(int a, int b) { return gt(a, b) ? a : b; }
    public static int min(int a, int b) { return lt(a, b) ? a : b; }
}
