package io.dmm.stack.userspace.tcp;

import io.dmm.stack.userspace.PortOwners;
import io.dmm.stack.userspace.wire.Ipv4Address;
import java.net.BindException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Who uses each local port: explicit binds, listeners and connections count as active users of
 * (address, port); connections in TIME_WAIT as lingering users, which only SO_REUSEADDR may bind
 * over. Active users that set SO_REUSEPORT are also counted as sharing: another SO_REUSEPORT user
 * may join them on the same address and port as long as every active user there shares. Ephemeral
 * ports are drawn from the configured range starting at a random point and skip any port with a user
 * (so a new client never lands on a 4-tuple still in TIME_WAIT).
 *
 * <p>One per instance, shared by its shards' TCP (a port one shard took is taken for all), so every
 * method holds the table's own monitor: short, and uncontended but for binds and connects racing.
 * On an instance of several shards it also records which shard took each ephemeral port for a
 * client ({@link PortOwners}), until the port has no user left.
 */
final class PortTable {
    /** Users of one port, by local address (0 = wildcard). Small arrays: few addresses share a port. */
    private static final class Users {
        int[] ips = new int[2];
        int[] active = new int[2];
        int[] lingering = new int[2];
        /** Of the active users, those that let others with SO_REUSEPORT share the port. */
        int[] sharing = new int[2];
        int n;

        int slot(int ip, boolean create) {
            for (int i = 0; i < n; i++) if (ips[i] == ip) return i;
            if (!create) return -1;
            if (n == ips.length) {
                ips = Arrays.copyOf(ips, n * 2);
                active = Arrays.copyOf(active, n * 2);
                lingering = Arrays.copyOf(lingering, n * 2);
                sharing = Arrays.copyOf(sharing, n * 2);
            }
            ips[n] = ip;
            active[n] = 0;
            lingering[n] = 0;
            sharing[n] = 0;
            return n++;
        }

        boolean empty() {
            for (int i = 0; i < n; i++) if (active[i] != 0 || lingering[i] != 0) return false;
            return true;
        }
    }

    private final Users[] ports = new Users[65536];
    private final int low;
    private final int high;
    private final SplittableRandom random;
    /** Null on an instance of one shard. */
    private PortOwners owners;

    PortTable(int low, int high, long seed) {
        if (low < 1 || high > 65535 || low > high) throw new IllegalArgumentException("bad ephemeral port range " + low + "-" + high);
        this.low = low;
        this.high = high;
        this.random = new SplittableRandom(seed);
    }

    /** Records the owners of client ephemeral ports in {@code owners} (setup, before any use). */
    synchronized void ownersIn(PortOwners owners) {
        this.owners = owners;
    }

    /**
     * Whether (ip, port) may be taken: no active user overlaps (unless {@code share} and every
     * overlapping active user shares too), and no lingering one unless reuse.
     */
    synchronized boolean available(int ip, int port, boolean reuse, boolean share) {
        Users u = ports[port];
        if (u == null) return true;
        for (int i = 0; i < u.n; i++) {
            boolean overlap = u.ips[i] == ip || u.ips[i] == Ipv4Address.ANY || ip == Ipv4Address.ANY;
            if (!overlap) continue;
            if (u.active[i] > 0 && !(share && u.sharing[i] == u.active[i])) return false;
            if (u.lingering[i] > 0 && !reuse) return false;
        }
        return true;
    }

    /** Reserves (ip, port), port 0 picking an ephemeral one; returns the port. */
    synchronized int reserve(int ip, int port, boolean reuse) throws BindException {
        return reserve(ip, port, reuse, false);
    }

    /** As {@link #reserve(int, int, boolean)} for a user that shares the port ({@code share}: SO_REUSEPORT) or not. */
    synchronized int reserve(int ip, int port, boolean reuse, boolean share) throws BindException {
        if (port == 0) port = ephemeral();
        else if (!available(ip, port, reuse, share)) throw new BindException("Address already in use");
        addActive(ip, port);
        if (share) ports[port].sharing[ports[port].slot(ip, false)]++;
        return port;
    }

    /**
     * Reserves a free ephemeral port on {@code ip} for a client of shard {@code shard}, as an active
     * user that does not share, and records the shard as its owner; returns it.
     */
    synchronized int reserveClientPort(int ip, int shard) throws BindException {
        int port = ephemeral();
        addActive(ip, port);
        if (owners != null) owners.set(port, shard);
        return port;
    }

    private int ephemeral() throws BindException {
        int span = high - low + 1;
        int start = random.nextInt(span);
        for (int k = 0; k < span; k++) {
            int p = low + (start + k) % span;
            Users u = ports[p];
            if (u == null || u.empty()) return p;
        }
        throw new BindException("Cannot assign requested address (no free ephemeral port)");
    }

    synchronized void addActive(int ip, int port) {
        Users u = ports[port];
        if (u == null) ports[port] = u = new Users();
        int s = u.slot(ip, true); // first: it may replace the arrays (u.active[u.slot(..)] would index the old one)
        u.active[s]++;
    }

    synchronized void removeActive(int ip, int port) {
        removeActive(ip, port, false);
    }

    /** Releases an active user reserved with {@code share} as given to {@link #reserve(int, int, boolean, boolean)}. */
    synchronized void removeActive(int ip, int port, boolean share) {
        decrementActive(ip, port, share);
        clearOwnerIfUnused(port);
    }

    private void decrementActive(int ip, int port, boolean share) {
        Users u = ports[port];
        if (u == null) return;
        int s = u.slot(ip, false);
        if (s < 0 || u.active[s] == 0) return;
        u.active[s]--;
        if (share && u.sharing[s] > 0) u.sharing[s]--;
    }

    /** A port no one uses, nor lingers on, is no shard's any more. */
    private void clearOwnerIfUnused(int port) {
        if (owners == null) return;
        Users u = ports[port];
        if (u == null || u.empty()) owners.clear(port);
    }

    /** An active user ({@code share} as it was reserved) entered TIME_WAIT: the port stays its shard's. */
    synchronized void toLingering(int ip, int port, boolean share) {
        decrementActive(ip, port, share);
        Users u = ports[port];
        if (u == null) ports[port] = u = new Users();
        int s = u.slot(ip, true);
        u.lingering[s]++;
    }

    synchronized void removeLingering(int ip, int port) {
        Users u = ports[port];
        if (u == null) return;
        int s = u.slot(ip, false);
        if (s >= 0 && u.lingering[s] > 0) u.lingering[s]--;
        clearOwnerIfUnused(port);
    }
}
