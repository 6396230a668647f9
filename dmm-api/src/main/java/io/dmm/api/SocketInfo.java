package io.dmm.api;

import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * One open DMM socket, as the socket table lists it.
 *
 * @param id            a number unique in this JVM, in opening order
 * @param stack         the stack instance it runs on (several, comma-separated, for a server
 *                      listening on several stacks); "" before it is routed
 * @param protocol      TCP or UDP
 * @param kind          {@code client}, {@code server} (listening), {@code accepted} (also a connected
 *                      socket inherited from the parent process) or {@code datagram}
 * @param local         its local address, or null when unbound (a client not yet routed: the address
 *                      it asked to bind to)
 * @param remote        its peer (connected sockets; a connecting client: its destination), or null
 * @param state         {@code unrouted}, {@code connecting}, {@code established}, {@code input-shutdown},
 *                      {@code output-shutdown}, {@code shutdown} (both), {@code listening}, {@code bound}
 *                      and {@code connected} (datagram), {@code failed} (its stack closed it under the
 *                      program), {@code closed} (only when asked while it was closing); defined in
 *                      {@code io.dmm.core.channel.SocketRows}
 * @param bytesIn       bytes the application read or received through it
 * @param bytesOut      bytes the application wrote or sent through it
 * @param opened        when it was opened
 * @param policyVersion the policy version that routed it, or 0 before routing
 * @param rule          the rule that routed it ({@code #3}, {@code default}, {@code hint}, {@code inherited}),
 *                      "" before routing
 */
public record SocketInfo(long id, String stack, Protocol protocol, String kind, InetSocketAddress local,
                         InetSocketAddress remote, String state, long bytesIn, long bytesOut, Instant opened,
                         long policyVersion, String rule) {
}
