package io.dmm.core.channel;

import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;

/**
 * The protocol family a new routed channel gets, by the JDK's rule ({@code sun.nio.ch.SelectorProviderImpl}
 * and the channels' constructors): where the JDK has no IPv6 ({@code -Djava.net.preferIPv4Stack=true}, or
 * a kernel without IPv6), an INET6 channel cannot be opened ("IPv6 not available") and a channel of no
 * stated family is INET, so that every stack refuses IPv6 addresses as the JDK's IPv4 socket does,
 * a userspace one included.
 */
public final class ChannelFamilies {
    private ChannelFamilies() {
    }

    /** Whether the JDK has IPv6 here (not so with {@code -Djava.net.preferIPv4Stack=true}). */
    public static boolean ipv6() {
        return PlatformDefaults.ipv6Available();
    }

    /**
     * {@code requested} (null: none stated) as the family of a new channel: unchanged where the JDK
     * has IPv6 (null keeps the choice to the address used, dual-stack on the kernel), else INET.
     *
     * @throws UnsupportedOperationException for INET6 where the JDK has no IPv6
     */
    public static ProtocolFamily ofNewChannel(ProtocolFamily requested) {
        if (requested == StandardProtocolFamily.INET || PlatformDefaults.ipv6Available()) {
            return requested;
        }
        if (requested == StandardProtocolFamily.INET6) {
            throw new UnsupportedOperationException("IPv6 not available");
        }
        return StandardProtocolFamily.INET;
    }
}
