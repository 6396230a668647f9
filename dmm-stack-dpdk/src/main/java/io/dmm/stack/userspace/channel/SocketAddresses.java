package io.dmm.stack.userspace.channel;

import io.dmm.stack.userspace.iface.Egress;
import io.dmm.stack.userspace.wire.Ipv4Address;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.Objects;

/** Address checks and conversions shared by the channels: the JDK's rules for an IPv4-only socket. */
final class SocketAddresses {
    private static final InetAddress ANY = Ipv4Address.toInet(Ipv4Address.ANY);

    private SocketAddresses() {}

    /**
     * As the JDK's {@code Net.checkAddress} for an INET socket: null is an NPE, other address
     * classes and IPv6 are unsupported, an unresolved name cannot be used.
     */
    static InetSocketAddress check(SocketAddress sa) {
        Objects.requireNonNull(sa);
        if (!(sa instanceof InetSocketAddress isa)) throw new UnsupportedAddressTypeException();
        if (isa.isUnresolved()) throw new UnresolvedAddressException();
        if (!(isa.getAddress() instanceof Inet4Address)) throw new UnsupportedAddressTypeException();
        return isa;
    }

    /** The address to bind: null means the wildcard address and an ephemeral port. */
    static InetSocketAddress checkLocal(SocketAddress sa) {
        return sa == null ? new InetSocketAddress(ANY, 0) : check(sa);
    }

    /**
     * The IPv4 address to bind; BindException("Cannot assign requested address") unless it is the
     * wildcard or one of the interface's addresses, as Linux answers EADDRNOTAVAIL. Under the lock.
     */
    static int bindableIp(InetSocketAddress isa, Egress ip) throws BindException {
        int a = Ipv4Address.of(isa.getAddress());
        if (a != Ipv4Address.ANY && !ip.isLocalAddress(a)) {
            throw new BindException("Cannot assign requested address");
        }
        return a;
    }

    /**
     * As {@link #bindableIp}, but a multicast group's address may be bound too, as Linux lets a
     * datagram socket do: it then receives only what is sent to that group.
     */
    static int bindableDatagramIp(InetSocketAddress isa, Egress ip) throws BindException {
        int a = Ipv4Address.of(isa.getAddress());
        return Ipv4Address.isMulticast(a) ? a : bindableIp(isa, ip);
    }

    /**
     * The destination of a connect or send: the wildcard address means this host, as the JDK maps it
     * to loopback; on the userspace stack "this host" is the interface's primary address. Under the lock.
     */
    static int destinationIp(InetSocketAddress isa, Egress ip) {
        int a = Ipv4Address.of(isa.getAddress());
        return a == Ipv4Address.ANY ? ip.sourceAddressFor(Ipv4Address.ANY) : a;
    }

    static InetSocketAddress of(int ip, int port) {
        return new InetSocketAddress(Ipv4Address.toInet(ip), port);
    }

    static InetAddress anyAddress() {
        return ANY;
    }
}
