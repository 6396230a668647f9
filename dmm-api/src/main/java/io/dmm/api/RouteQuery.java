package io.dmm.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A question for the policy: "where would a socket like this go?". Used by
 * {@link DmmSockets#explain(RouteQuery)}. {@code service} is the service end of the connection
 * (remote end of a client or sender, bound end of a server or receiver); {@code source} is the
 * client's bound address, or null.
 *
 * @param protocol tcp or udp
 * @param role     client/server (tcp) or sender/receiver (udp)
 * @param service  the service end's address and port; may be null when not known
 * @param source   the client end's address; may be null
 * @param hints    route hints (qos, tag, explicit stack)
 * @param app      the application name ({@code -Ddmm.app}); null means this JVM's
 * @param caller   fully qualified class name of the code that opens the socket; may be null
 */
public record RouteQuery(Protocol protocol, Role role, InetSocketAddress service, InetAddress source,
                         RouteHints hints, String app, String caller) {

    public RouteQuery {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(role, "role");
        if (role.protocol() != protocol) {
            throw new IllegalArgumentException("role " + role.configName() + " is not a "
                    + protocol.configName() + " role");
        }
        hints = hints == null ? RouteHints.none() : hints;
    }

    public static RouteQuery tcpClient(InetSocketAddress remote) {
        return new RouteQuery(Protocol.TCP, Role.CLIENT, remote, null, null, null, null);
    }

    public static RouteQuery tcpServer(InetSocketAddress local) {
        return new RouteQuery(Protocol.TCP, Role.SERVER, local, null, null, null, null);
    }

    public static RouteQuery udpSender(InetSocketAddress remote) {
        return new RouteQuery(Protocol.UDP, Role.SENDER, remote, null, null, null, null);
    }

    public static RouteQuery udpReceiver(InetSocketAddress local) {
        return new RouteQuery(Protocol.UDP, Role.RECEIVER, local, null, null, null, null);
    }

    public RouteQuery withSource(InetAddress src) {
        return new RouteQuery(protocol, role, service, src, hints, app, caller);
    }

    public RouteQuery withHints(RouteHints newHints) {
        return new RouteQuery(protocol, role, service, source, newHints, app, caller);
    }

    public RouteQuery withApp(String newApp) {
        return new RouteQuery(protocol, role, service, source, hints, newApp, caller);
    }

    public RouteQuery withCaller(String callerClassName) {
        return new RouteQuery(protocol, role, service, source, hints, app, callerClassName);
    }
}
