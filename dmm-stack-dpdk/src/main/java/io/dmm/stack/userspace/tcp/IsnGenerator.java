package io.dmm.stack.userspace.tcp;

/**
 * RFC 6528 initial sequence numbers: ISN = M + F(localip, localport, remoteip, remoteport, secret),
 * M a 4 µs timer, F a keyed hash (SipHash-2-4) with a random 128-bit secret per stack instance.
 *
 * <p>CONTRACT SKELETON.
 */
public final class IsnGenerator {
    /** A random secret from SecureRandom. */
    public IsnGenerator() { throw new UnsupportedOperationException("tcp-algo"); }
    /** A fixed secret (tests). */
    public IsnGenerator(long key0, long key1) { throw new UnsupportedOperationException("tcp-algo"); }
    public int isn(int localIp, int localPort, int remoteIp, int remotePort, long nowNanos) { throw new UnsupportedOperationException("tcp-algo"); }
}
