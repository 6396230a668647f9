package io.dmm.stack.userspace.channel;

import io.dmm.stack.userspace.iface.Egress;
import io.dmm.stack.userspace.wire.Ipv4Address;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.Objects;

/**
 * Address checks and conversions shared by the channels, with the JDK's rules for the channel's
 * family. The stack carries IPv4 only; a channel of family INET6 (or of no stated family, which the
 * JDK makes INET6 where it has IPv6) is a dual-stack socket as on Linux: it takes IPv4 addresses,
 * as IPv4-mapped addresses travel, and the IPv6 wildcard, which it reports as the JDK reports an
 * INET6 socket's ({@code [::]}); an IPv6 address proper it cannot bind ("Cannot assign requested
 * address") nor reach ("Network is unreachable").
 */
final class SocketAddresses {
    private static final InetAddress IPV4_ANY = Ipv4Address.toInet(Ipv4Address.ANY);
    private static final InetAddress IPV6_ANY = InetAddress.ofLiteral("::");

    /** The addresses of an INET channel. */
    static final SocketAddresses IPV4 = new SocketAddresses(false);
    /** The addresses of a dual-stack (INET6) channel. */
    static final SocketAddresses DUAL_STACK = new SocketAddresses(true);

    private final boolean dualStack;

    private SocketAddresses(boolean dualStack) {
        this.dualStack = dualStack;
    }

    /** Those of a channel opened for {@code family}: null (the default) is dual-stack, as the JDK's where it has IPv6. */
    static SocketAddresses of(ProtocolFamily family) {
        return family == StandardProtocolFamily.INET ? IPV4 : DUAL_STACK;
    }

    boolean dualStack() {
        return dualStack;
    }

    /**
     * As the JDK's {@code Net.checkAddress} for the channel's family: null is an NPE, other address
     * classes are unsupported, an unresolved name cannot be used, an INET channel takes IPv4 only.
     */
    InetSocketAddress check(SocketAddress sa) {
        Objects.requireNonNull(sa);
        if (!(sa instanceof InetSocketAddress isa)) throw new UnsupportedAddressTypeException();
        if (isa.isUnresolved()) throw new UnresolvedAddressException();
        InetAddress a = isa.getAddress();
        if (!(a instanceof Inet4Address || dualStack && a instanceof Inet6Address)) {
            throw new UnsupportedAddressTypeException();
        }
        return isa;
    }

    /** The address to bind: null means the family's wildcard address and an ephemeral port. */
    InetSocketAddress checkLocal(SocketAddress sa) {
        return sa == null ? new InetSocketAddress(anyAddress(), 0) : check(sa);
    }

    /**
     * The IPv4 address to bind; BindException("Cannot assign requested address") unless it is a
     * wildcard or one of the interface's addresses, as Linux answers EADDRNOTAVAIL. Under the lock.
     */
    int bindableIp(InetSocketAddress isa, Egress ip) throws BindException {
        InetAddress addr = isa.getAddress();
        if (addr instanceof Inet6Address) {
            if (addr.isAnyLocalAddress()) return Ipv4Address.ANY; // the dual-stack wildcard: every IPv4 address
            throw new BindException("Cannot assign requested address");
        }
        int a = Ipv4Address.of(addr);
        if (a != Ipv4Address.ANY && !ip.isLocalAddress(a)) {
            throw new BindException("Cannot assign requested address");
        }
        return a;
    }

    /**
     * As {@link #bindableIp}, but a multicast group's address may be bound too, as Linux lets a
     * datagram socket do: it then receives only what is sent to that group.
     */
    int bindableDatagramIp(InetSocketAddress isa, Egress ip) throws BindException {
        if (isa.getAddress() instanceof Inet4Address v4 && Ipv4Address.isMulticast(Ipv4Address.of(v4))) {
            return Ipv4Address.of(v4);
        }
        return bindableIp(isa, ip);
    }

    /**
     * The destination of a connect or send: the wildcard address means this host, as the JDK maps it
     * to loopback; on the userspace stack "this host" is the interface's primary address. An IPv6
     * destination of a dual-stack channel is unreachable: the stack carries no IPv6. Under the lock.
     */
    int destinationIp(InetSocketAddress isa, Egress ip) throws SocketException {
        InetAddress addr = isa.getAddress();
        if (addr instanceof Inet6Address) throw new SocketException("Network is unreachable");
        int a = Ipv4Address.of(addr);
        return a == Ipv4Address.ANY ? ip.sourceAddressFor(Ipv4Address.ANY) : a;
    }

    /**
     * The local address a channel bound to {@code requested} reports once the stack gave it
     * {@code port}: the address asked for, without a host name, as the JDK reads it back from the
     * socket. A dual-stack channel bound to a wildcard, 0.0.0.0 too, is bound to {@code [::]}, as the
     * JDK binds an INET6 socket.
     */
    InetSocketAddress bound(InetSocketAddress requested, int port) {
        InetAddress a = requested.getAddress();
        if (dualStack && a.isAnyLocalAddress()) return new InetSocketAddress(IPV6_ANY, port);
        return of(Ipv4Address.of(a), port);
    }

    /** The family's wildcard address, which the channel's bind(null) binds. */
    InetAddress anyAddress() {
        return dualStack ? IPV6_ANY : IPV4_ANY;
    }

    /**
     * The wildcard address the java.net adaptors bind for bind(null) and report for an unbound
     * socket: the JDK's {@code new InetSocketAddress(0)}'s, which a dual-stack channel takes
     * whichever it is; an IPv4 channel's is 0.0.0.0.
     */
    InetAddress adaptorWildcard() {
        return dualStack ? new InetSocketAddress(0).getAddress() : IPV4_ANY;
    }

    /**
     * An address the stack reports (a peer, a connected local address): IPv4, as the JDK reports the
     * IPv4-mapped addresses of a dual-stack socket too.
     */
    static InetSocketAddress of(int ip, int port) {
        return new InetSocketAddress(Ipv4Address.toInet(ip), port);
    }
}
