package io.dmm.stack.userspace.tcp;

import java.security.SecureRandom;

/**
 * RFC 6528 initial sequence numbers: ISN = M + F(localip, localport, remoteip, remoteport, secret),
 * M a 4 µs timer, F a keyed hash (SipHash-2-4) with a random 128-bit secret per stack instance.
 *
 * <p>The timer keeps successive incarnations of one 4-tuple moving forward through sequence space
 * (so old duplicates do not fall into a new connection's window), while the keyed hash puts each
 * tuple at an offset an off-path attacker cannot predict. Allocation-free per call.
 */
public final class IsnGenerator {
    private final long key0;
    private final long key1;

    /** A random secret from SecureRandom. */
    public IsnGenerator() {
        SecureRandom random = new SecureRandom();
        this.key0 = random.nextLong();
        this.key1 = random.nextLong();
    }

    /** A fixed secret (tests). */
    public IsnGenerator(long key0, long key1) {
        this.key0 = key0;
        this.key1 = key1;
    }

    public int isn(int localIp, int localPort, int remoteIp, int remotePort, long nowNanos) {
        int m = (int) Math.floorDiv(nowNanos, 4000L); // RFC 6528: a timer ticking every 4 µs
        return m + (int) tupleHash(key0, key1, localIp, localPort, remoteIp, remotePort);
    }

    /**
     * SYN cookies under their own 128-bit secret, derived from this one by SipHash (a PRF), so a
     * cookie reveals nothing about the ISNs of ordinary connections.
     */
    SynCookies synCookies() {
        return new SynCookies(tupleHash(key0, key1, 1, 0, 0, 0), tupleHash(key0, key1, 2, 0, 0, 0));
    }

    /**
     * SipHash-2-4 of the 12-byte message localIp ‖ remoteIp ‖ localPort ‖ remotePort (each in
     * network byte order), computed straight from the ints to stay allocation-free. Equal to
     * {@link #sipHash24(long, long, byte[], int, int)} of those 12 bytes.
     */
    static long tupleHash(long k0, long k1, int localIp, int localPort, int remoteIp, int remotePort) {
        // SipHash reads message words little-endian: byte-reverse the big-endian packing.
        long word = Long.reverseBytes(((long) localIp << 32) | (remoteIp & 0xFFFF_FFFFL));
        long tail = Integer.reverseBytes(((localPort & 0xFFFF) << 16) | (remotePort & 0xFFFF)) & 0xFFFF_FFFFL;
        long last = (12L << 56) | tail;

        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;

        v3 ^= word;
        for (int i = 0; i < 2; i++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        v0 ^= word;
        return finish(v0, v1, v2, v3, last);
    }

    /** SipHash-2-4 (Aumasson and Bernstein, 2012) of {@code len} bytes; keys as little-endian words. */
    static long sipHash24(long k0, long k1, byte[] msg, int off, int len) {
        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;
        int end = off + len - (len & 7);
        for (int i = off; i < end; i += 8) {
            long m = 0;
            for (int b = 7; b >= 0; b--) {
                m = (m << 8) | (msg[i + b] & 0xFFL);
            }
            v3 ^= m;
            for (int r = 0; r < 2; r++) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }
        long last = ((long) len & 0xFF) << 56;
        for (int b = 0; b < (len & 7); b++) {
            last |= (msg[end + b] & 0xFFL) << (8 * b);
        }
        return finish(v0, v1, v2, v3, last);
    }

    /** The final block (length byte and tail), then the four finalization rounds. */
    private static long finish(long v0, long v1, long v2, long v3, long last) {
        v3 ^= last;
        for (int r = 0; r < 2; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        v0 ^= last;
        v2 ^= 0xFF;
        for (int r = 0; r < 4; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
