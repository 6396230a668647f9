package io.dmm.core.channel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.channels.MembershipKey;
import java.nio.channels.MulticastChannel;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The membership keys of one routed datagram channel: each stack key is handed to the program
 * wrapped, so that {@link MembershipKey#channel()} is the channel the program joined with (as on the
 * JDK) and not the stack's channel underneath; and the same stack key is always the same wrapper,
 * so that joining a group twice returns the same key, as the JDK's does.
 */
final class RoutedMembershipKeys {
    private final MulticastChannel face;
    /** Stack key to wrapper; keys that became invalid are dropped at the next join. Guarded by itself. */
    private final Map<MembershipKey, Key> keys = new IdentityHashMap<>();

    RoutedMembershipKeys(MulticastChannel face) {
        this.face = face;
    }

    /** The program's key for {@code stackKey}, which the stack's join returned. */
    MembershipKey wrap(MembershipKey stackKey) {
        synchronized (keys) {
            keys.values().removeIf(k -> !k.isValid());
            return keys.computeIfAbsent(stackKey, Key::new);
        }
    }

    private final class Key extends MembershipKey {
        private final MembershipKey stackKey;

        Key(MembershipKey stackKey) {
            this.stackKey = stackKey;
        }

        @Override public boolean isValid() { return stackKey.isValid(); }
        @Override public void drop() { stackKey.drop(); }
        @Override public MulticastChannel channel() { return face; }
        @Override public InetAddress group() { return stackKey.group(); }
        @Override public NetworkInterface networkInterface() { return stackKey.networkInterface(); }
        @Override public InetAddress sourceAddress() { return stackKey.sourceAddress(); }

        @Override
        public MembershipKey block(InetAddress source) throws IOException {
            stackKey.block(source);
            return this;
        }

        @Override
        public MembershipKey unblock(InetAddress source) {
            stackKey.unblock(source);
            return this;
        }

        @Override
        public String toString() {
            return stackKey.toString();
        }
    }
}
