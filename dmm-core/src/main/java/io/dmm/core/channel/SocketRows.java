package io.dmm.core.channel;

import io.dmm.api.Protocol;
import io.dmm.api.SocketInfo;
import io.dmm.core.policy.Route;
import io.dmm.core.routing.Decision;
import io.dmm.core.routing.SocketTable;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * The socket table's rows for routed channels ({@link SocketInfo}): the kinds and states they
 * report, and the pieces every channel reads the same way. A row is built from what the channel
 * knows at that moment, without locks and without ever throwing: a stack channel that is closing
 * under us simply has no address any more.
 *
 * <h2>Kinds</h2>
 * {@value #CLIENT}, {@value #SERVER} (listening), {@value #ACCEPTED} (a connection a server accepted,
 * or a connected socket inherited from the parent process, as inetd passes them) and
 * {@value #DATAGRAM}.
 *
 * <h2>States</h2>
 * <ul>
 *   <li>{@value #UNROUTED}: opened, not yet routed (a client before connect, a server before bind,
 *       a datagram socket before its first bind, connect, send or receive); no stack.</li>
 *   <li>{@value #CONNECTING}: a TCP client whose connect is in progress (routed, connecting on a
 *       stack or moving on to the next stack of its route).</li>
 *   <li>{@value #ESTABLISHED}: connected, both directions open;
 *       {@value #INPUT_SHUTDOWN}, {@value #OUTPUT_SHUTDOWN}: connected, the program shut that
 *       direction down; {@value #SHUTDOWN}: both.</li>
 *   <li>{@value #LISTENING}: a bound TCP server.</li>
 *   <li>{@value #BOUND}: a routed datagram socket that is not connected;
 *       {@value #CONNECTED}: a connected one.</li>
 *   <li>{@value #FAILED}: the stack's channel under it was closed while this one is open (its stack
 *       failed or closed it); the program's next call on it fails.</li>
 *   <li>{@value #CLOSED}: closed while it was being described (a listing leaves such rows out).</li>
 * </ul>
 */
public final class SocketRows {
    public static final String CLIENT = "client";
    public static final String SERVER = "server";
    public static final String ACCEPTED = "accepted";
    public static final String DATAGRAM = "datagram";

    public static final String UNROUTED = "unrouted";
    public static final String CONNECTING = "connecting";
    public static final String ESTABLISHED = "established";
    public static final String INPUT_SHUTDOWN = "input-shutdown";
    public static final String OUTPUT_SHUTDOWN = "output-shutdown";
    public static final String SHUTDOWN = "shutdown";
    public static final String LISTENING = "listening";
    public static final String BOUND = "bound";
    public static final String CONNECTED = "connected";
    public static final String FAILED = "failed";
    public static final String CLOSED = "closed";

    /** The label of a route chosen by an explicit stack hint (the Router names such routes so). */
    static final String HINT_SOURCE = "explicit stack hint";

    private SocketRows() {
    }

    /** A row with {@code entry}'s id, age and counters and {@code decision}'s version and rule (0 and "" when null). */
    static SocketInfo row(SocketTable.Entry entry, String stack, Protocol protocol, String kind,
                          InetSocketAddress local, InetSocketAddress remote, String state, Decision decision) {
        return new SocketInfo(entry.id(), stack, protocol, kind, local, remote, state, entry.bytesIn(),
                entry.bytesOut(), entry.opened(), decision == null ? 0L : decision.policyVersion(), rule(decision));
    }

    /**
     * A TCP client's row, blocking or asynchronous, before it has a leg: unrouted, or routed and
     * connecting to {@code target} (its first stack being opened); at the address it asked to bind,
     * if any.
     */
    static SocketInfo clientWithoutLeg(SocketTable.Entry entry, boolean accepted, boolean open,
                                       InetSocketAddress bound, InetSocketAddress target, Decision decision) {
        String state = !open ? CLOSED : decision == null ? UNROUTED : CONNECTING;
        return row(entry, "", Protocol.TCP, accepted ? ACCEPTED : CLIENT, bound, decision == null ? null : target,
                state, decision);
    }

    /**
     * A TCP client's row on {@code stack} (kind accepted for a connection a server accepted): while
     * the stack's channel has no peer yet, the destination the program asked for stands in.
     */
    static SocketInfo client(SocketTable.Entry entry, String stack, boolean accepted, InetSocketAddress local,
                             InetSocketAddress peer, InetSocketAddress target, String state, Decision decision) {
        return row(entry, stack, Protocol.TCP, accepted ? ACCEPTED : CLIENT, local,
                peer == null && !accepted ? target : peer, state, decision);
    }

    /**
     * A server's row, blocking or asynchronous: unrouted before bind ({@code members} null), then
     * listening on every member's stack (comma-separated) at the first member's address (the members
     * share its port); failed when that member's channel was closed under it. No byte counts: a
     * listener moves none.
     */
    static SocketInfo server(SocketTable.Entry entry, Channel server,
                             List<? extends Leg<? extends NetworkChannel>> members, Decision decision) {
        if (members == null) { // a bind that found no stack leaves it unrouted, as it was
            return row(entry, "", Protocol.TCP, SERVER, null, null, server.isOpen() ? UNROUTED : CLOSED, null);
        }
        NetworkChannel first = members.getFirst().ch;
        String state = first.isOpen() ? LISTENING : FAILED;
        if (!server.isOpen()) { // read last: closing marks the server closed before it closes the members
            state = CLOSED;
        }
        return row(entry, String.join(",", Leg.stackNames(members)), Protocol.TCP, SERVER, local(first), null,
                state, decision);
    }

    /**
     * {@code #3} for the policy's rule 3 (numbered as in {@code DmmSockets.stats()}), {@code default},
     * {@code hint} for an explicit stack hint, {@code inherited} for a socket inherited from the
     * parent process, "" before routing.
     */
    public static String rule(Decision decision) {
        if (decision == null) {
            return "";
        }
        Route r = decision.route();
        if (r.index() >= 0) {
            return "#" + r.index();
        }
        if (HINT_SOURCE.equals(r.source())) {
            return "hint";
        }
        if (InheritedChannels.SOURCE.equals(r.source())) {
            return "inherited";
        }
        return "default";
    }

    /** The state of a connected TCP channel from its two shutdown flags. */
    static String connectedState(boolean inputShut, boolean outputShut) {
        if (inputShut) {
            return outputShut ? SHUTDOWN : INPUT_SHUTDOWN;
        }
        return outputShut ? OUTPUT_SHUTDOWN : ESTABLISHED;
    }

    // The stack channels' address getters throw once closed (and a test stack's might throw
    // anything): a row then has no address.

    static InetSocketAddress local(NetworkChannel ch) {
        try {
            return inet(ch.getLocalAddress());
        } catch (Exception e) {
            return null;
        }
    }

    static InetSocketAddress remote(SocketChannel ch) {
        try {
            return inet(ch.getRemoteAddress());
        } catch (Exception e) {
            return null;
        }
    }

    static InetSocketAddress remote(DatagramChannel ch) {
        try {
            return inet(ch.getRemoteAddress());
        } catch (Exception e) {
            return null;
        }
    }

    static InetSocketAddress remote(AsynchronousSocketChannel ch) {
        try {
            return inet(ch.getRemoteAddress());
        } catch (Exception e) {
            return null;
        }
    }

    private static InetSocketAddress inet(SocketAddress a) {
        return a instanceof InetSocketAddress isa ? isa : null;
    }
}
