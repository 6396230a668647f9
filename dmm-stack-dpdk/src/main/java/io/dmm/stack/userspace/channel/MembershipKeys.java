package io.dmm.stack.userspace.channel;

import io.dmm.stack.userspace.iface.MulticastGroups;
import io.dmm.stack.userspace.udp.Memberships;
import io.dmm.stack.userspace.wire.Ipv4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A datagram channel's membership keys, with the JDK's registry rules (one key per group, interface
 * and source; an any-source and a source-specific membership of the same group and interface
 * conflict), over the socket-level {@link Memberships} the UDP layer filters with. The instance has
 * one interface, so keys of one group through different NetworkInterface objects share that
 * group's filter: it is left when the last of them is dropped. Under the stack's lock.
 */
final class MembershipKeys {
    private final List<UserspaceMembershipKey> keys = new ArrayList<>();
    private final Memberships memberships;

    MembershipKeys(MulticastGroups interfaceGroups) {
        this.memberships = new Memberships(interfaceGroups);
    }

    Memberships memberships() {
        return memberships;
    }

    /**
     * The valid key for exactly this membership, or null if there is none; IllegalStateException
     * when the channel holds a conflicting one on that interface.
     */
    UserspaceMembershipKey find(InetAddress group, NetworkInterface interf, InetAddress source) {
        for (UserspaceMembershipKey k : keys) {
            if (!k.group().equals(group) || !Objects.equals(k.networkInterface(), interf)) continue;
            // the JDK's texts, which name the requested kind of membership rather than the one held
            if (source == null) {
                if (k.sourceAddress() == null) return k;
                throw new IllegalStateException("Already a member to receive all packets");
            }
            if (k.sourceAddress() == null) throw new IllegalStateException("Already have source-specific membership");
            if (source.equals(k.sourceAddress())) return k;
        }
        return null;
    }

    void add(UserspaceMembershipKey key) {
        keys.add(key);
        memberships.join(ip(key.group()), ip(key.sourceAddress()));
    }

    void remove(UserspaceMembershipKey key) {
        if (!keys.remove(key)) return;
        for (UserspaceMembershipKey k : keys) {
            if (k.group().equals(key.group()) && Objects.equals(k.sourceAddress(), key.sourceAddress())) return;
        }
        memberships.drop(ip(key.group()), ip(key.sourceAddress()));
    }

    void block(UserspaceMembershipKey key, InetAddress source) {
        memberships.block(ip(key.group()), ip(source));
    }

    void unblock(UserspaceMembershipKey key, InetAddress source) {
        memberships.unblock(ip(key.group()), ip(source));
    }

    /** The channel closed: every key becomes invalid and every group is left. */
    void closeAll() {
        for (UserspaceMembershipKey k : keys) k.invalidate();
        keys.clear();
        memberships.dropAll();
    }

    private static int ip(InetAddress a) {
        return a == null ? 0 : Ipv4Address.of(a);
    }
}
