package io.dmm.stack.userspace.udp;

import io.dmm.stack.userspace.iface.MulticastGroups;
import io.dmm.stack.userspace.iface.SourceFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * The multicast groups one datagram socket joined, one {@link SourceFilter} per group, registered
 * with the interface's {@link MulticastGroups} (which reports them with IGMP). Joins may come
 * before the socket is bound, so a channel owns this and hands it to its {@link UdpSocket} at bind.
 * A socket hears a group's datagrams only through its own filter for the group, as the JDK's
 * sockets on Linux (IP_MULTICAST_ALL off). The channel checks the JDK's rules (conflicting joins,
 * block on a source-specific membership) before calling; these calls only change state. Under the
 * stack's lock.
 */
public final class Memberships {
    private final MulticastGroups interfaceGroups;
    private final List<SourceFilter> filters = new ArrayList<>(2);

    public Memberships(MulticastGroups interfaceGroups) {
        this.interfaceGroups = interfaceGroups;
    }

    /** Joins {@code group} from any source ({@code source} 0) or from {@code source} only. */
    public void join(int group, int source) {
        SourceFilter f = find(group);
        if (f == null) {
            f = new SourceFilter(group, source == 0);
            if (source != 0) f.add(source);
            filters.add(f);
            interfaceGroups.register(f);
        } else if (source != 0 && f.add(source)) {
            interfaceGroups.changed(f);
        }
    }

    /** Leaves what {@link #join} with the same arguments joined. */
    public void drop(int group, int source) {
        SourceFilter f = find(group);
        if (f == null) return;
        if (source != 0 && f.remove(source) && f.sourceCount() > 0) {
            interfaceGroups.changed(f);
            return;
        }
        filters.remove(f);
        interfaceGroups.unregister(f);
    }

    /** Stops hearing {@code source} in an any-source membership of {@code group}. */
    public void block(int group, int source) {
        SourceFilter f = find(group);
        if (f != null && f.excludeMode() && f.add(source)) interfaceGroups.changed(f);
    }

    public void unblock(int group, int source) {
        SourceFilter f = find(group);
        if (f != null && f.excludeMode() && f.remove(source)) interfaceGroups.changed(f);
    }

    /** Leaves every group (the channel closed). */
    public void dropAll() {
        for (SourceFilter f : filters) interfaceGroups.unregister(f);
        filters.clear();
    }

    /** Whether a datagram from {@code source} to {@code group} is for this socket. */
    boolean allows(int group, int source) {
        for (int i = 0, n = filters.size(); i < n; i++) {
            SourceFilter f = filters.get(i);
            if (f.group() == group) return f.allows(source);
        }
        return false;
    }

    private SourceFilter find(int group) {
        for (SourceFilter f : filters) if (f.group() == group) return f;
        return null;
    }
}
