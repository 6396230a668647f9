package io.dmm.stack.userspace;

/**
 * Spreads new flows over the sockets of an SO_REUSEPORT group, as Linux does: a keyed hash of the
 * 4-tuple (so every segment or datagram of one flow reaches the same socket, and a peer cannot aim
 * its flows at one socket without the key), scaled to the group's size without a division.
 */
public final class FlowHash {
    private FlowHash() {}

    /** The hash of a flow as the receiving side sees it, under {@code key} (a per-instance secret). */
    public static int of(long key, int localIp, int localPort, int remoteIp, int remotePort) {
        long h = key ^ ((long) localIp << 32 | (remoteIp & 0xFFFF_FFFFL));
        h *= 0xBF58476D1CE4E5B9L;
        h ^= (long) localPort << 16 | remotePort;
        h *= 0x94D049BB133111EBL;
        return (int) (h ^ (h >>> 31));
    }

    /**
     * The hash of a flow whatever side sees it: the two endpoints are ordered before they are mixed,
     * so a segment and its answer hash alike. An instance's shards own flows by it, and both ends of
     * a connection inside one instance then live on the same shard.
     */
    public static int symmetric(long key, int ipA, int portA, int ipB, int portB) {
        long a = (ipA & 0xFFFF_FFFFL) << 16 | portA;
        long b = (ipB & 0xFFFF_FFFFL) << 16 | portB;
        return a <= b ? of(key, ipA, portA, ipB, portB) : of(key, ipB, portB, ipA, portA);
    }

    /** Which of {@code n} group members (0 .. n-1) takes the flow with {@code hash} (Linux's reciprocal_scale). */
    public static int pick(int hash, int n) {
        return (int) (((hash & 0xFFFF_FFFFL) * n) >>> 32);
    }
}
