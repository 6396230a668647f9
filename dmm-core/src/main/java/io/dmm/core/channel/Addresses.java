package io.dmm.core.channel;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.Objects;

/** Address checks with the JDK's exceptions (sun.nio.ch.Net.checkAddress), done before routing. */
final class Addresses {
    static final InetAddress INET4_ANY = InetAddress.ofLiteral("0.0.0.0");
    static final InetAddress INET4_LOOPBACK = InetAddress.ofLiteral("127.0.0.1");
    static final InetAddress INET6_LOOPBACK = InetAddress.ofLiteral("::1");

    private Addresses() {
    }

    static InetSocketAddress check(SocketAddress sa, ProtocolFamily family) {
        Objects.requireNonNull(sa);
        if (!(sa instanceof InetSocketAddress isa)) {
            throw new UnsupportedAddressTypeException();
        }
        if (isa.isUnresolved()) {
            throw new UnresolvedAddressException();
        }
        InetAddress addr = isa.getAddress();
        if (!(addr instanceof Inet4Address || addr instanceof Inet6Address)) {
            throw new IllegalArgumentException("Invalid address type: " + addr.getClass().getName());
        }
        if (family == StandardProtocolFamily.INET && !(addr instanceof Inet4Address)) {
            throw new UnsupportedAddressTypeException();
        }
        return isa;
    }

    /** A bind address: checked, and null means the wildcard address of the family, any port (as the JDK does). */
    static InetSocketAddress checkLocal(SocketAddress sa, ProtocolFamily family) {
        return sa == null ? new InetSocketAddress(PlatformDefaults.wildcard(family), 0) : check(sa, family);
    }

    /** A connect target: checked, and a wildcard address means loopback (as the JDK does). */
    static InetSocketAddress checkRemote(SocketAddress sa, ProtocolFamily family) {
        InetSocketAddress isa = check(sa, family);
        InetAddress addr = isa.getAddress();
        if (addr.isAnyLocalAddress()) {
            return new InetSocketAddress(addr instanceof Inet4Address ? INET4_LOOPBACK : INET6_LOOPBACK,
                    isa.getPort());
        }
        return isa;
    }

    /** The family of an address: what a stack must support to reach it. */
    static ProtocolFamily familyOf(InetAddress addr) {
        return addr instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    }

    static boolean sameFamily(InetAddress a, InetAddress b) {
        return (a instanceof Inet4Address) == (b instanceof Inet4Address);
    }
}
