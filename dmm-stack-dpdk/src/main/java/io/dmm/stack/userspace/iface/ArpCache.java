package io.dmm.stack.userspace.iface;

/**
 * The ARP table: next-hop IPv4 address to MAC, as parallel arrays (no per-entry objects). An entry
 * is {@link #INCOMPLETE} while requests are out (it then owns a FIFO of pending frames) and
 * {@link #REACHABLE} once answered. When its lifetime has run out it is stale: still used, and its
 * next use starts {@link #PROBE}, unicast requests to the known MAC while frames go on to it (Linux's
 * STALE, DELAY and PROBE states, RFC 1122's unicast poll). No frame waits for a neighbour that
 * answered before. Lookup is a linear scan: the table is small (a host talks to its gateway and a
 * few neighbours), and a scan of a few dozen ints beats hashing for that size.
 */
final class ArpCache {
    static final byte FREE = 0;
    static final byte INCOMPLETE = 1;
    static final byte REACHABLE = 2;
    static final byte PROBE = 3;

    final int[] ip;
    final long[] mac;
    final byte[] state;
    /** REACHABLE: when the mapping goes stale (its next use probes it). */
    final long[] expiresAt;
    /** INCOMPLETE and PROBE: when the next request (or, after the last, the give-up) is due. */
    final long[] nextRequestAt;
    final int[] requestsSent;
    final int[] pendingHead;
    final int[] pendingTail;
    final int[] pendingCount;

    ArpCache(int size) {
        ip = new int[size];
        mac = new long[size];
        state = new byte[size];
        expiresAt = new long[size];
        nextRequestAt = new long[size];
        requestsSent = new int[size];
        pendingHead = new int[size];
        pendingTail = new int[size];
        pendingCount = new int[size];
    }

    int size() {
        return ip.length;
    }

    /** The entry for {@code address}, or -1. */
    int find(int address) {
        for (int i = 0; i < ip.length; i++) {
            if (state[i] != FREE && ip[i] == address) return i;
        }
        return -1;
    }

    /**
     * The entry a new next hop takes: a free one, else the unanswered one asked for longest (the most
     * requests out, then the earliest due), else the reachable one closest to expiry. Resolved
     * neighbours go last, so a flood of next hops that never answer (a SYN flood's forged sources on
     * the link) churns only among its own entries and cannot push out, or keep out, the ones that
     * answer. The caller drops an incomplete victim's frames before {@link #take}.
     */
    int victim() {
        int incomplete = -1;
        int reachable = -1;
        for (int i = 0; i < ip.length; i++) {
            if (state[i] == FREE) return i;
            if (state[i] == INCOMPLETE) {
                if (incomplete < 0 || requestsSent[i] > requestsSent[incomplete]
                        || requestsSent[i] == requestsSent[incomplete] && nextRequestAt[i] - nextRequestAt[incomplete] < 0) {
                    incomplete = i;
                }
            } else if (reachable < 0 || expiresAt[i] < expiresAt[reachable]) {
                reachable = i;
            }
        }
        return incomplete >= 0 ? incomplete : reachable;
    }

    /** Entry {@code i} (from {@link #victim}) now stands for {@code address}: INCOMPLETE, nothing pending. */
    void take(int i, int address) {
        ip[i] = address;
        mac[i] = 0;
        state[i] = INCOMPLETE;
        requestsSent[i] = 0;
        nextRequestAt[i] = Long.MIN_VALUE;
        pendingHead[i] = PendingFrames.NONE;
        pendingTail[i] = PendingFrames.NONE;
        pendingCount[i] = 0;
    }

    void free(int i) {
        state[i] = FREE;
        pendingCount[i] = 0;
        pendingHead[i] = PendingFrames.NONE;
        pendingTail[i] = PendingFrames.NONE;
    }

    /** The MAC for {@code address} if it has answered (fresh, stale or being probed), else -1. */
    long lookup(int address) {
        int i = find(address);
        return i >= 0 && state[i] != INCOMPLETE ? mac[i] : -1;
    }
}
