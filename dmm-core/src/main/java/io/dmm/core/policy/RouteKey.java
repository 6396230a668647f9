package io.dmm.core.policy;

import io.dmm.api.Protocol;
import io.dmm.api.Role;
import java.net.InetAddress;
import java.util.Objects;

/**
 * What the policy looks at when it routes one socket. {@code service}/{@code port} are the service
 * end (remote for client/sender, bound for server/receiver), {@code source} the client end's bound
 * address. Absent values are null (port: -1). Immutable; equal keys get equal decisions, so keys
 * can be cached.
 */
public final class RouteKey {
    private final Protocol protocol;
    private final Role role;
    private final InetAddress service;
    private final int port;
    private final InetAddress source;
    private final String qos;
    private final String tag;
    private final String app;
    private final String caller;
    private final int hash;
    /** The addresses as bits, worked out once so that deciding does not redo it (or allocate for IPv6). */
    private final AddressBits serviceBits;
    private final AddressBits sourceBits;
    private final int kindBit;
    /** The IPv4 addresses (IPv4-mapped included) as ints, kept in the key itself for the index's fast path. */
    private final int serviceV4;
    private final int sourceV4;
    private final boolean serviceIsV4;
    private final boolean sourceIsV4;
    private static final int ROLES = Role.values().length;

    public RouteKey(Protocol protocol, Role role, InetAddress service, int port, InetAddress source, String qos,
                    String tag, String app, String caller) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.role = Objects.requireNonNull(role, "role");
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.service = service;
        this.port = port;
        this.source = source;
        this.qos = qos;
        this.tag = tag;
        this.app = app;
        this.caller = caller;
        this.hash = Objects.hash(protocol, role, service, port, source, qos, tag, app, caller);
        this.serviceBits = AddressBits.of(service);
        this.sourceBits = AddressBits.of(source);
        this.kindBit = kindBit(protocol, role);
        this.serviceIsV4 = serviceBits.isV4();
        this.serviceV4 = serviceBits.v4();
        this.sourceIsV4 = sourceBits.isV4();
        this.sourceV4 = sourceBits.v4();
    }

    public Protocol protocol() { return protocol; }
    public Role role() { return role; }
    /** Service-end address, or null if not known (e.g. a datagram channel's first send is unconnected). */
    public InetAddress service() { return service; }
    /** Service-end port, or -1. */
    public int port() { return port; }
    /** Client-end (bound) address, or null. */
    public InetAddress source() { return source; }
    public String qos() { return qos; }
    public String tag() { return tag; }
    public String app() { return app; }
    /** Fully qualified class name of the code that opened the socket, or null if not walked. */
    public String caller() { return caller; }

    /** {@link #service()} as bits (never null; "absent" when there is no address). Not to be modified. */
    AddressBits serviceBits() { return serviceBits; }
    /** {@link #source()} as bits (never null; "absent" when there is no address). Not to be modified. */
    AddressBits sourceBits() { return sourceBits; }

    /** Whether the service address is IPv4 (or IPv4-mapped IPv6). */
    boolean serviceIsV4() { return serviceIsV4; }
    /** The IPv4 service address as an int, if {@link #serviceIsV4()}. */
    int serviceV4() { return serviceV4; }
    /** Whether the source address is IPv4 (or IPv4-mapped IPv6). */
    boolean sourceIsV4() { return sourceIsV4; }
    /** The IPv4 source address as an int, if {@link #sourceIsV4()}. */
    int sourceV4() { return sourceV4; }

    /** This key's (protocol, role) pair as one bit, for {@link RuleIndex}'s quick rule test. */
    int kindBit() { return kindBit; }

    /** (protocol, role) as one bit; pairs past the 30th share bit 29 (the index then checks them fully). */
    static int kindBit(Protocol protocol, Role role) {
        return 1 << Math.min(29, protocol.ordinal() * ROLES + role.ordinal());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouteKey k && hash == k.hash && port == k.port && protocol == k.protocol
                && role == k.role && Objects.equals(service, k.service) && Objects.equals(source, k.source)
                && Objects.equals(qos, k.qos) && Objects.equals(tag, k.tag) && Objects.equals(app, k.app)
                && Objects.equals(caller, k.caller);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(protocol.configName()).append(' ').append(role.configName());
        if (service != null) {
            sb.append(" dst=").append(service.getHostAddress());
        }
        if (port >= 0) {
            sb.append(" port=").append(port);
        }
        if (source != null) {
            sb.append(" src=").append(source.getHostAddress());
        }
        if (qos != null) sb.append(" qos=").append(qos);
        if (tag != null) sb.append(" tag=").append(tag);
        if (app != null) sb.append(" app=").append(app);
        if (caller != null) sb.append(" caller=").append(caller);
        return sb.toString();
    }
}
