package io.dmm.stack.userspace.channel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.channels.MembershipKey;
import java.nio.channels.MulticastChannel;
import java.util.HashSet;
import java.util.Set;

/**
 * A membership of a {@link UserspaceDatagramChannel} in a multicast group, with the JDK's rules:
 * block and unblock only on an any-source membership (IllegalStateException("key is source-specific")),
 * blocking a blocked source does nothing, unblocking one that is not blocked is
 * IllegalStateException("not blocked"), a dropped key (or one of a closed channel) is no longer valid.
 */
final class UserspaceMembershipKey extends MembershipKey {
    private final UserspaceDatagramChannel channel;
    private final InetAddress group;
    private final NetworkInterface interf;
    private final InetAddress source;
    private volatile boolean invalid;
    /** The sources blocked; guarded by itself (block and unblock are not under the channel's locks first). */
    private final Set<InetAddress> blocked = new HashSet<>();

    UserspaceMembershipKey(UserspaceDatagramChannel channel, InetAddress group, NetworkInterface interf, InetAddress source) {
        this.channel = channel;
        this.group = group;
        this.interf = interf;
        this.source = source;
    }

    @Override
    public boolean isValid() {
        return !invalid;
    }

    void invalidate() {
        invalid = true;
    }

    @Override
    public void drop() {
        channel.drop(this);
    }

    @Override
    public MembershipKey block(InetAddress toBlock) throws IOException {
        if (source != null) throw new IllegalStateException("key is source-specific");
        synchronized (blocked) {
            if (blocked.contains(toBlock)) return this;
            channel.block(this, toBlock);
            blocked.add(toBlock);
        }
        return this;
    }

    @Override
    public MembershipKey unblock(InetAddress toUnblock) {
        synchronized (blocked) {
            if (!blocked.contains(toUnblock)) throw new IllegalStateException("not blocked");
            channel.unblock(this, toUnblock);
            blocked.remove(toUnblock);
        }
        return this;
    }

    @Override
    public MulticastChannel channel() {
        return channel;
    }

    @Override
    public InetAddress group() {
        return group;
    }

    /** The interface given to join; null for the java.net adaptor's "any interface" joins, which never hand their key out. */
    @Override
    public NetworkInterface networkInterface() {
        return interf;
    }

    @Override
    public InetAddress sourceAddress() {
        return source;
    }

    @Override
    public String toString() {
        return "<" + group.getHostAddress() + "," + (interf == null ? "any" : interf.getName())
                + (source == null ? "" : "," + source.getHostAddress()) + ">";
    }
}
