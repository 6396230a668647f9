package io.dmm.stack.userspace.tcp;

/**
 * Connections by exact 4-tuple: a chained hash table whose chains run through
 * {@link TcpConnection#nextInBucket}, so lookups and inserts allocate nothing (the bucket array
 * grows by doubling at setup time only).
 */
final class ConnectionTable {
    private TcpConnection[] buckets = new TcpConnection[64];
    private int size;

    int size() {
        return size;
    }

    static int hash(int localIp, int localPort, int remoteIp, int remotePort) {
        int h = localIp * 0x9E3779B1 ^ remoteIp * 0x85EBCA77 ^ (localPort << 16 | remotePort) * 0xC2B2AE3D;
        return h ^ (h >>> 15);
    }

    TcpConnection find(int localIp, int localPort, int remoteIp, int remotePort) {
        TcpConnection c = buckets[hash(localIp, localPort, remoteIp, remotePort) & (buckets.length - 1)];
        while (c != null) {
            if (c.localPort == localPort && c.remotePort == remotePort && c.remoteIp == remoteIp && c.localIp == localIp) return c;
            c = c.nextInBucket;
        }
        return null;
    }

    void insert(TcpConnection c) {
        if (size + 1 > buckets.length - (buckets.length >>> 2)) grow();
        int i = hash(c.localIp, c.localPort, c.remoteIp, c.remotePort) & (buckets.length - 1);
        c.nextInBucket = buckets[i];
        buckets[i] = c;
        size++;
    }

    boolean remove(TcpConnection c) {
        int i = hash(c.localIp, c.localPort, c.remoteIp, c.remotePort) & (buckets.length - 1);
        TcpConnection prev = null;
        for (TcpConnection x = buckets[i]; x != null; prev = x, x = x.nextInBucket) {
            if (x == c) {
                if (prev == null) buckets[i] = x.nextInBucket;
                else prev.nextInBucket = x.nextInBucket;
                x.nextInBucket = null;
                size--;
                return true;
            }
        }
        return false;
    }

    /** Copies every connection into a new array (shutdown only). */
    TcpConnection[] toArray() {
        TcpConnection[] out = new TcpConnection[size];
        int n = 0;
        for (TcpConnection b : buckets) for (TcpConnection c = b; c != null; c = c.nextInBucket) out[n++] = c;
        return out;
    }

    private void grow() {
        TcpConnection[] old = buckets;
        buckets = new TcpConnection[old.length * 2];
        for (TcpConnection b : old) {
            TcpConnection c = b;
            while (c != null) {
                TcpConnection next = c.nextInBucket;
                int i = hash(c.localIp, c.localPort, c.remoteIp, c.remotePort) & (buckets.length - 1);
                c.nextInBucket = buckets[i];
                buckets[i] = c;
                c = next;
            }
        }
    }
}
