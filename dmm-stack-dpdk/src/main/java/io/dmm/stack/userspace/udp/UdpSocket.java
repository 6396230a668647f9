package io.dmm.stack.userspace.udp;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.Notification;
import io.dmm.stack.userspace.iface.Egress;
import io.dmm.stack.userspace.wire.Checksum;
import io.dmm.stack.userspace.wire.Ipv4Address;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;

/**
 * A bound UDP socket. Methods run under the stack's lock and never block.
 *
 * <p>Received datagrams wait in an off-heap {@link DatagramQueue} bounded by the receive buffer
 * size; a datagram that does not fit is dropped and counted, as a kernel does. Sending writes the
 * header and payload straight into the interface's packet buffer.
 */
public final class UdpSocket {
    static final int PROTOCOL = 17;
    static final int HEADER = 8;
    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final UdpStack stack;
    private final int localIp;
    private final int localPort;
    final boolean reuseAddress;
    /** SO_REUSEPORT: shares its address and port with other such sockets, which take turns by flow hash. */
    final boolean reusePort;
    private final DatagramQueue queue;
    /** The next socket bound to the same port (the stack's port table chains them). */
    UdpSocket nextInPort;
    private Notification notification;
    private boolean connected;
    private int remoteIp;
    private int remotePort;
    private boolean portUnreachable;
    private boolean closed;
    /** Why the socket failed with its stack (the device went away), or null. */
    private SocketException failure;
    private int lastSourceIp;
    private int lastSourcePort;
    /** The direct (or read-only) buffer last sent from and a segment over it: apps reuse their buffers. */
    private ByteBuffer cachedSource;
    private MemorySegment cachedSourceMemory;
    /** IP_TOS: the TOS byte of every datagram sent (DSCP and ECN as given). */
    private int tos;
    /** IP_MULTICAST_TTL, IP_MULTICAST_LOOP and IP_MULTICAST_IF's address (0: the interface chooses). */
    private int multicastTtl = 1;
    private boolean multicastLoop = true;
    private int multicastSource;
    /** The groups the socket's channel joined, or null. */
    private Memberships memberships;

    UdpSocket(UdpStack stack, int localIp, int localPort, boolean reuseAddress, boolean reusePort,
              int receiveBufferBytes) {
        this.stack = stack;
        this.localIp = localIp;
        this.localPort = localPort;
        this.reuseAddress = reuseAddress;
        this.reusePort = reusePort;
        this.queue = new DatagramQueue(receiveBufferBytes);
    }

    public void setNotification(Notification n) {
        this.notification = n;
    }

    /** IP_TOS of what the socket sends. */
    public void setTrafficClass(int tos) {
        this.tos = tos & 0xFF;
    }

    /**
     * How datagrams to groups go out: their TTL, whether this host's members get a copy, and their
     * source address when the socket is not bound to one (0: the interface's choice).
     */
    public void setMulticastSending(int ttl, boolean loop, int sourceIp) {
        this.multicastTtl = ttl;
        this.multicastLoop = loop;
        this.multicastSource = sourceIp;
    }

    /** The groups this socket hears (its channel's memberships); null for none. */
    public void setMemberships(Memberships m) {
        this.memberships = m;
    }

    /** OP_READ when a datagram (or an error to report) is queued, or the socket failed; OP_WRITE always while open. */
    public int readyOps() {
        if (closed) return 0;
        int ops = SelectionKey.OP_WRITE;
        if (failure != null || portUnreachable || !queue.isEmpty()) ops |= SelectionKey.OP_READ;
        return ops;
    }

    /** Whether the socket failed with its stack: every receive and send throws why. */
    public boolean failed() {
        return failure != null;
    }

    /**
     * Takes the next datagram into {@code dst} (truncating what does not fit, as the JDK does) and
     * returns its source in {@link #lastSourceIp()}/{@link #lastSourcePort()}; returns false if none
     * is queued. Throws PortUnreachableException once after an ICMP port unreachable on a connected socket.
     */
    public boolean receive(ByteBuffer dst) throws IOException {
        if (closed) throw new ClosedChannelException();
        if (failure != null) throw new SocketException(failure.getMessage());
        if (portUnreachable) {
            portUnreachable = false;
            throw new PortUnreachableException("ICMP port unreachable from "
                    + Ipv4Address.toString(remoteIp) + ":" + remotePort);
        }
        if (queue.isEmpty()) return false;
        lastSourceIp = queue.headSourceIp();
        lastSourcePort = queue.headSourcePort();
        queue.copyHeadTo(dst);
        queue.removeHead();
        return true;
    }

    public int lastSourceIp() {
        return lastSourceIp;
    }

    public int lastSourcePort() {
        return lastSourcePort;
    }

    /**
     * Sends one datagram; returns the bytes sent (all of src), 0 if no transmit buffer was free. IOException("Message too long") when it exceeds the MTU.
     * On a connected socket the destination must be the peer, or 0/0 for it.
     */
    public int send(ByteBuffer src, int dstIp, int dstPort) throws IOException {
        if (closed) throw new ClosedChannelException();
        if (failure != null) throw new SocketException(failure.getMessage());
        if (connected) {
            if ((dstIp != 0 || dstPort != 0) && (dstIp != remoteIp || dstPort != remotePort)) {
                throw new AlreadyConnectedException();
            }
            dstIp = remoteIp;
            dstPort = remotePort;
        }
        if (dstPort < 1 || dstPort > 65535) throw new IllegalArgumentException("destination port must be in [1, 65535]: " + dstPort);
        if (dstIp == 0) throw new IllegalArgumentException("destination address 0.0.0.0");
        Egress egress = stack.egress();
        int length = src.remaining();
        if (length > egress.mtu() - 20 - HEADER) throw new IOException("Message too long");
        boolean toGroup = Ipv4Address.isMulticast(dstIp);
        int srcIp = sourceFor(dstIp, toGroup, egress);
        if (!egress.begin(srcIp, dstIp, PROTOCOL)) return 0;
        egress.ipFields(toGroup ? multicastTtl : -1, tos, multicastLoop);
        if (length > egress.l4Capacity() - HEADER) {
            egress.abort();
            throw new IOException("Message too long");
        }
        MemorySegment m = egress.memory();
        long at = egress.l4Offset();
        int udpLength = HEADER + length;
        m.set(SHORT_BE, at, (short) localPort);
        m.set(SHORT_BE, at + 2, (short) dstPort);
        m.set(SHORT_BE, at + 4, (short) udpLength);
        m.set(SHORT_BE, at + 6, (short) 0);
        copyPayload(src, m, at + HEADER, length);
        if (!egress.txChecksumOffload()) {
            int sum = Checksum.transport(m, at, udpLength, srcIp, dstIp, PROTOCOL);
            // 0 means "no checksum" in UDP, so a computed 0 goes out as its ones' complement twin.
            m.set(SHORT_BE, at + 6, (short) (sum == 0 ? 0xFFFF : sum));
        }
        egress.send(udpLength);
        src.position(src.position() + length);
        stack.counters().increment(Counter.UDP_DATAGRAMS_TX);
        return length;
    }

    /**
     * The bound address, unless it is a group (a socket bound to a group only receives with it, as
     * Linux sends from a multicast-bound socket as from a wildcard one); then IP_MULTICAST_IF's for a group.
     */
    private int sourceFor(int dstIp, boolean toGroup, Egress egress) {
        if (localIp != 0 && !Ipv4Address.isMulticast(localIp)) return localIp;
        if (toGroup && multicastSource != 0) return multicastSource;
        return egress.sourceAddressFor(dstIp);
    }

    private void copyPayload(ByteBuffer src, MemorySegment m, long at, int length) {
        if (length == 0) return;
        if (src.hasArray()) {
            MemorySegment.copy(src.array(), src.arrayOffset() + src.position(), m, ValueLayout.JAVA_BYTE, at, length);
            return;
        }
        if (src != cachedSource) {
            cachedSource = src;
            cachedSourceMemory = MemorySegment.ofBuffer(src.duplicate().clear());
        }
        MemorySegment.copy(cachedSourceMemory, src.position(), m, at, length);
    }

    /** Only datagrams from this peer are received; sends default to it. Datagrams already queued are discarded (as the JDK's connect does). */
    public void connect(int remoteIp, int remotePort) {
        if (closed) throw new IllegalStateException("socket is closed");
        if (remoteIp == 0) throw new IllegalArgumentException("cannot connect to 0.0.0.0");
        if (remotePort < 1 || remotePort > 65535) throw new IllegalArgumentException("remote port must be in [1, 65535]: " + remotePort);
        this.connected = true;
        this.remoteIp = remoteIp;
        this.remotePort = remotePort;
        this.portUnreachable = false;
        queue.clear();
    }

    public void disconnect() {
        connected = false;
        remoteIp = 0;
        remotePort = 0;
        portUnreachable = false;
    }

    public boolean isConnected() {
        return connected;
    }

    public int remoteIp() {
        return remoteIp;
    }

    public int remotePort() {
        return remotePort;
    }

    public int localIp() {
        return localIp;
    }

    public int localPort() {
        return localPort;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Datagrams waiting to be received. */
    public int queuedDatagrams() {
        return queue.size();
    }

    /** Unbinds; queued datagrams are dropped. Idempotent. */
    public void close() {
        if (closed) return;
        closed = true;
        stack.unbind(this);
        queue.clear();
        portUnreachable = false;
        cachedSource = null;  // do not keep the application's buffer alive
        cachedSourceMemory = null;
    }

    // ---- called by UdpStack under the lock ----

    /** Whether a datagram from {@code srcIp:srcPort} to {@code dstIp} may come to this socket. */
    boolean accepts(int dstIp, int srcIp, int srcPort) {
        if (localIp != 0 && localIp != dstIp) return false;
        return !connected || (remoteIp == srcIp && remotePort == srcPort);
    }

    /** Whether a datagram from {@code srcIp} to multicast {@code group} is for this socket: its memberships decide. */
    boolean acceptsGroup(int group, int srcIp) {
        Memberships m = memberships;
        return m != null && m.allows(group, srcIp);
    }

    /** How specific this socket's binding is, Linux-style: a connected peer counts most, then an exact local address. */
    int specificity() {
        return (connected ? 8 : 0) + (localIp != 0 ? 4 : 0);
    }

    /** Whether it is in a reuseport group with {@code other}'s address: both set SO_REUSEPORT, neither is connected. */
    boolean sharesPortWith(UdpSocket other) {
        return reusePort && other.reusePort && !connected && !other.connected && localIp == other.localIp;
    }

    boolean connectedTo(int ip, int port) {
        return connected && remoteIp == ip && remotePort == port;
    }

    /** Queues a datagram's payload; false when the receive buffer is full. */
    boolean deliver(MemorySegment m, long payloadOffset, int payloadLength, int srcIp, int srcPort) {
        if (!queue.offer(m, payloadOffset, payloadLength, srcIp, srcPort)) return false;
        notifyReadiness();
        return true;
    }

    void portUnreachable() {
        portUnreachable = true;
        notifyReadiness();
    }

    private void notifyReadiness() {
        Notification n = notification;
        if (n != null) stack.lock().schedule(n);
    }

    /** The stack's device went away: queued datagrams go, receives and sends throw {@code cause}, waiters are woken. */
    void failByStack(SocketException cause) {
        failure = cause;
        queue.clear();
        portUnreachable = false;
        notifyReadiness();
    }

    void closeByStack() {
        closed = true;
        queue.clear();
        portUnreachable = false;
    }
}
