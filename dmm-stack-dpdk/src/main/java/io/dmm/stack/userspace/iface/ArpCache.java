package io.dmm.stack.userspace.iface;

/**
 * The ARP table: next-hop IPv4 address to MAC, as parallel arrays (no per-entry objects). An entry
 * is {@link #INCOMPLETE} while requests are out (it then owns a FIFO of pending frames) and
 * {@link #REACHABLE} once answered, until its lifetime runs out. Lookup is a linear scan: the
 * table is small (a host talks to its gateway and a few neighbours), and a scan of a few dozen ints
 * beats hashing for that size.
 */
final class ArpCache {
    static final byte FREE = 0;
    static final byte INCOMPLETE = 1;
    static final byte REACHABLE = 2;

    final int[] ip;
    final long[] mac;
    final byte[] state;
    /** REACHABLE: when the mapping stops being trusted. */
    final long[] expiresAt;
    /** INCOMPLETE: when the next request (or, after the last, the give-up) is due. */
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
     * A fresh entry for {@code address}: a free one, else the reachable entry closest to expiry is
     * recycled (incomplete entries are never evicted: they hold frames). -1 when every entry is
     * incomplete. The entry comes back {@link #INCOMPLETE} with nothing pending.
     */
    int insert(int address) {
        int victim = -1;
        for (int i = 0; i < ip.length; i++) {
            if (state[i] == FREE) {
                victim = i;
                break;
            }
            if (state[i] == REACHABLE && (victim < 0 || expiresAt[i] < expiresAt[victim])) victim = i;
        }
        if (victim < 0) return -1;
        ip[victim] = address;
        mac[victim] = 0;
        state[victim] = INCOMPLETE;
        requestsSent[victim] = 0;
        nextRequestAt[victim] = Long.MIN_VALUE;
        pendingHead[victim] = PendingFrames.NONE;
        pendingTail[victim] = PendingFrames.NONE;
        pendingCount[victim] = 0;
        return victim;
    }

    /** Marks a reachable entry as needing resolution again, keeping its slot. */
    void restart(int i) {
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

    /** The MAC for {@code address} if known and not expired at {@code now}, else -1. */
    long lookup(int address, long now) {
        int i = find(address);
        return i >= 0 && state[i] == REACHABLE && now < expiresAt[i] ? mac[i] : -1;
    }
}
