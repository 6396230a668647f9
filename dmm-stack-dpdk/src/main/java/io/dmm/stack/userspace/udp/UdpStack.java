package io.dmm.stack.userspace.udp;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.FlowHash;
import io.dmm.stack.userspace.StackCounters;
import io.dmm.stack.userspace.StackLock;
import io.dmm.stack.userspace.iface.Egress;
import io.dmm.stack.userspace.iface.TransportHandler;
import io.dmm.stack.userspace.wire.Checksum;
import io.dmm.stack.userspace.wire.Ipv4Address;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.BindException;
import java.net.SocketException;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * UDP for one stack instance: the port table, demultiplexing, ICMP errors. Under the stack's lock.
 *
 * <p>The port table is an array indexed by port whose entries chain the sockets bound to that port,
 * newest first. Two sockets share a port only if their local addresses cannot overlap (both
 * specific and different), or both set reuseAddress, or both set reusePort. A unicast datagram goes to
 * the one most specific socket that accepts it (see {@link UdpSocket#specificity()}: connected to the
 * sender, then bound to the exact address, then the wildcard), the most recently bound among equals;
 * when that one is in a reuseport group (unconnected SO_REUSEPORT sockets on one address), the
 * flow's hash picks the member, as Linux does, so a flow's datagrams all reach the same socket. A
 * broadcast goes to every socket that accepts it, a datagram to a multicast group to every socket
 * bound to the port (on the wildcard or the group's address) whose memberships take it from that
 * source.
 */
public final class UdpStack implements TransportHandler {
    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int ICMP_PORT_UNREACHABLE = 3;

    private final Egress egress;
    private final StackLock lock;
    private final StackCounters counters;
    private final int defaultReceiveBuffer;
    private final int ephemeralLow;
    private final int ephemeralHigh;
    private final UdpSocket[] ports = new UdpSocket[65536];
    private final SplittableRandom random = new SplittableRandom();
    /** The key of the flow hash that spreads datagrams over a reuseport group. */
    private final long reusePortKey = random.nextLong();
    private boolean shutdown;

    public UdpStack(Egress egress, StackLock lock, StackCounters counters, int defaultReceiveBuffer,
                    int ephemeralLow, int ephemeralHigh) {
        if (defaultReceiveBuffer < 1) throw new IllegalArgumentException("defaultReceiveBuffer must be positive: " + defaultReceiveBuffer);
        if (ephemeralLow < 1 || ephemeralHigh > 65535 || ephemeralLow > ephemeralHigh) {
            throw new IllegalArgumentException("ephemeral port range must be within [1, 65535] and low <= high: "
                    + ephemeralLow + "-" + ephemeralHigh);
        }
        this.egress = egress;
        this.lock = lock;
        this.counters = counters;
        this.defaultReceiveBuffer = defaultReceiveBuffer;
        this.ephemeralLow = ephemeralLow;
        this.ephemeralHigh = ephemeralHigh;
    }

    /**
     * A socket bound to {@code localIp:localPort} (0 = any; port 0 = ephemeral), with a receive
     * buffer of {@code receiveBufferBytes} (0 or less = the stack's default). BindException when taken
     * (unless reuseAddress and the other also set it), when no ephemeral port is free, or when
     * {@code localIp} is not an address of this stack.
     */
    public UdpSocket open(int localIp, int localPort, boolean reuseAddress, int receiveBufferBytes) throws IOException {
        return open(localIp, localPort, reuseAddress, false, receiveBufferBytes);
    }

    /**
     * As {@link #open(int, int, boolean, int)}, with SO_REUSEPORT ({@code reusePort}): the port may also
     * be shared with sockets that all set it, which then take turns by flow hash.
     */
    public UdpSocket open(int localIp, int localPort, boolean reuseAddress, boolean reusePort, int receiveBufferBytes)
            throws IOException {
        if (shutdown) throw new IOException("UDP stack is shut down");
        if (localPort < 0 || localPort > 65535) throw new IllegalArgumentException("port must be in [0, 65535]: " + localPort);
        // a group address may be bound: the socket then receives only what is sent to that group
        if (localIp != 0 && !egress.isLocalAddress(localIp) && !Ipv4Address.isMulticast(localIp)) {
            throw new BindException("Cannot assign requested address: " + Ipv4Address.toString(localIp));
        }
        int port = localPort != 0 ? localPort : ephemeralPort();
        if (localPort != 0 && conflicts(localIp, port, reuseAddress, reusePort)) {
            throw new BindException("Address already in use");
        }
        UdpSocket s = new UdpSocket(this, localIp, port, reuseAddress, reusePort,
                receiveBufferBytes > 0 ? receiveBufferBytes : defaultReceiveBuffer);
        s.nextInPort = ports[port];
        ports[port] = s;
        return s;
    }

    private boolean conflicts(int ip, int port, boolean reuseAddress, boolean reusePort) {
        for (UdpSocket s = ports[port]; s != null; s = s.nextInPort) {
            boolean overlaps = s.localIp() == 0 || ip == 0 || s.localIp() == ip;
            if (overlaps && !(reuseAddress && s.reuseAddress) && !(reusePort && s.reusePort)) return true;
        }
        return false;
    }

    /**
     * The member of {@code best}'s reuseport group that takes the flow from {@code srcIp:srcPort} to
     * {@code dstIp:dstPort}: {@code best} itself unless it is in a group of several.
     */
    private UdpSocket reusePortMember(UdpSocket best, int dstIp, int dstPort, int srcIp, int srcPort) {
        if (!best.reusePort) return best;
        int n = 0;
        for (UdpSocket s = ports[dstPort]; s != null; s = s.nextInPort) {
            if (s.sharesPortWith(best)) n++;
        }
        if (n < 2) return best;
        int skip = FlowHash.pick(FlowHash.of(reusePortKey, dstIp, dstPort, srcIp, srcPort), n);
        for (UdpSocket s = ports[dstPort]; ; s = s.nextInPort) {
            if (s.sharesPortWith(best) && skip-- == 0) return s;
        }
    }

    /** A port of the ephemeral range no socket uses, starting at a random point and wrapping. */
    private int ephemeralPort() throws BindException {
        int span = ephemeralHigh - ephemeralLow + 1;
        int start = random.nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = ephemeralLow + (start + i) % span;
            if (ports[port] == null) return port;
        }
        throw new BindException("No ports available");
    }

    void unbind(UdpSocket socket) {
        int port = socket.localPort();
        UdpSocket prev = null;
        for (UdpSocket s = ports[port]; s != null; prev = s, s = s.nextInPort) {
            if (s == socket) {
                if (prev == null) ports[port] = s.nextInPort;
                else prev.nextInPort = s.nextInPort;
                s.nextInPort = null;
                return;
            }
        }
    }

    /**
     * The device went away: every socket leaves the port table and fails with {@code cause} (its
     * receives and sends throw it, its waiters are woken); later {@link #open} calls fail. Returns
     * how many sockets failed.
     */
    public int fail(SocketException cause) {
        return removeAll(s -> s.failByStack(cause));
    }

    /** Closes every socket; later {@link #open} calls fail. */
    public void shutdown() {
        removeAll(UdpSocket::closeByStack);
    }

    /** Empties the port table, ending each socket with {@code end}; later opens fail. Returns how many. */
    private int removeAll(java.util.function.Consumer<UdpSocket> end) {
        shutdown = true;
        int removed = 0;
        for (int port = 0; port < ports.length; port++) {
            UdpSocket s = ports[port];
            ports[port] = null;
            while (s != null) {
                UdpSocket next = s.nextInPort;
                s.nextInPort = null;
                end.accept(s);
                removed++;
                s = next;
            }
        }
        return removed;
    }

    Egress egress() {
        return egress;
    }

    StackLock lock() {
        return lock;
    }

    StackCounters counters() {
        return counters;
    }

    @Override
    public boolean ingress(MemorySegment memory, long offset, int length, int srcIp, int dstIp, boolean checksumsVerified) {
        if (length < UdpSocket.HEADER) {
            counters.increment(Counter.DROP_UDP_MALFORMED);
            return true;
        }
        int srcPort = memory.get(SHORT_BE, offset) & 0xFFFF;
        int dstPort = memory.get(SHORT_BE, offset + 2) & 0xFFFF;
        int udpLength = memory.get(SHORT_BE, offset + 4) & 0xFFFF;
        int checksum = memory.get(SHORT_BE, offset + 6) & 0xFFFF;
        // Shorter than the IP payload is allowed (trailing bytes are ignored, RFC 768); longer is a lie.
        if (udpLength < UdpSocket.HEADER || udpLength > length) {
            counters.increment(Counter.DROP_UDP_MALFORMED);
            return true;
        }
        if (!checksumsVerified && checksum != 0
                && !Checksum.transportVerifies(memory, offset, udpLength, srcIp, dstIp, UdpSocket.PROTOCOL)) {
            counters.increment(Counter.DROP_UDP_CHECKSUM);
            return true;
        }
        if (dstPort == 0) {
            counters.increment(Counter.DROP_UDP_MALFORMED);
            return true;
        }
        long payload = offset + UdpSocket.HEADER;
        int payloadLength = udpLength - UdpSocket.HEADER;
        if (dstIp == Ipv4Address.BROADCAST || !egress.isLocalAddress(dstIp)) {
            return broadcast(memory, payload, payloadLength, srcIp, srcPort, dstIp, dstPort);
        }
        UdpSocket best = null;
        int bestScore = -1;
        for (UdpSocket s = ports[dstPort]; s != null; s = s.nextInPort) {
            if (!s.accepts(dstIp, srcIp, srcPort)) continue;
            int score = s.specificity();
            if (score > bestScore) {  // strict: the chain is newest first, so the newest wins ties
                best = s;
                bestScore = score;
            }
        }
        if (best == null) {
            counters.increment(Counter.DROP_UDP_NO_PORT);
            return false;
        }
        best = reusePortMember(best, dstIp, dstPort, srcIp, srcPort);
        if (best.deliver(memory, payload, payloadLength, srcIp, srcPort)) {
            counters.increment(Counter.UDP_DATAGRAMS_RX);
        } else {
            counters.increment(Counter.DROP_UDP_QUEUE_FULL);
        }
        return true;
    }

    /** Every accepting socket gets a copy; never an ICMP error for a broadcast or multicast (RFC 1122 3.2.2). */
    private boolean broadcast(MemorySegment memory, long payload, int payloadLength, int srcIp, int srcPort,
                              int dstIp, int dstPort) {
        boolean any = false;
        boolean toGroup = Ipv4Address.isMulticast(dstIp);
        for (UdpSocket s = ports[dstPort]; s != null; s = s.nextInPort) {
            if (!s.accepts(dstIp, srcIp, srcPort) || toGroup && !s.acceptsGroup(dstIp, srcIp)) continue;
            any = true;
            if (s.deliver(memory, payload, payloadLength, srcIp, srcPort)) {
                counters.increment(Counter.UDP_DATAGRAMS_RX);
            } else {
                counters.increment(Counter.DROP_UDP_QUEUE_FULL);
            }
        }
        if (!any) counters.increment(Counter.DROP_UDP_NO_PORT);
        return true;
    }

    /**
     * Port unreachable for a datagram a connected socket sent to its peer makes that socket's next
     * receive fail once, as Linux reports ECONNREFUSED. Other codes (host or network unreachable)
     * are not reported to UDP sockets, as the JDK's DatagramChannel does not surface them either.
     */
    @Override
    public void destinationUnreachable(int code, int srcIp, int srcPort, int dstIp, int dstPort) {
        if (code != ICMP_PORT_UNREACHABLE || srcPort < 0 || srcPort > 65535) return;
        for (UdpSocket s = ports[srcPort]; s != null; s = s.nextInPort) {
            if ((s.localIp() == 0 || s.localIp() == srcIp) && s.connectedTo(dstIp, dstPort)) {
                s.portUnreachable();
            }
        }
    }
}
