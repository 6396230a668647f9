package io.dmm.stack.userspace.tcp;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.FlowHash;
import io.dmm.stack.userspace.FlowSteering;
import io.dmm.stack.userspace.StackCounters;
import io.dmm.stack.userspace.StackLock;
import io.dmm.stack.userspace.iface.Egress;
import io.dmm.stack.userspace.iface.SegmentBatch;
import io.dmm.stack.userspace.iface.TransportHandler;
import io.dmm.stack.userspace.time.Clock;
import io.dmm.stack.userspace.wire.Checksum;
import io.dmm.stack.userspace.wire.Ipv4Address;
import io.dmm.stack.userspace.wire.TcpHeader;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.BindException;
import java.net.SocketException;
import java.security.SecureRandom;

/**
 * TCP for one stack instance: demultiplexes segments to connections and listeners, owns the port
 * space and the timers. Every method runs under the stack's {@link StackLock}.
 *
 * <p>Connections live in a {@link ConnectionTable} by exact 4-tuple, listeners in a per-port
 * chain (exact address before wildcard; listeners that share an address with SO_REUSEPORT take the
 * new connections by a hash of their 4-tuple, as Linux's reuseport groups); timers in a {@link TimerHeap} of connections keyed by
 * their earliest deadline, so {@link #poll} touches only connections whose timers are due.
 *
 * <p>An instance of several shards has a TcpStack per shard ({@link #sibling}), each with its own
 * lock, connections, listeners and timers; the port space, the ISN and timestamp secrets are the
 * instance's, shared. A listener is on every shard (see {@link #listenReplica}).
 */
public final class TcpStack implements TransportHandler {
    static final int PROTOCOL = 6;
    /** How soon to retry output after the interface had no transmit buffer. */
    static final long RETRY_NANOS = 100_000L;

    final Egress egress;
    /** While a local segment whose payload stayed in its sender's ring is processed, that sender; else null. */
    TcpConnection payloadSender;
    /** While segments merged by GRO are processed as one, they (their payloads are the segment's); else null. */
    private SegmentBatch merged;
    private int mergedHeaderLength;
    final StackLock lock;
    final Clock clock;
    final StackCounters counters;
    final TcpConfig config;
    /** The memory of every connection's send and receive buffers. */
    final ChunkPool pool;
    private final IsnGenerator isnGenerator;
    private final ConnectionTable table = new ConnectionTable();
    private final TimerHeap timers = new TimerHeap();
    private final PortTable ports;
    private final TcpListener[] listeners = new TcpListener[65536];
    /** Which shard owns which flow, and which shard this is; null for an instance of one shard. */
    private FlowSteering steering;
    private int shard;
    private final long seed;
    private final long tsSecret;
    /** The key of the flow hash that spreads new connections over SO_REUSEPORT listeners. */
    private final long reusePortKey;
    final SynCookies synCookies;
    private int active;

    // Scratch reused for every segment.
    private final TcpHeader rxHeader = new TcpHeader();
    final TcpHeader txHeader = new TcpHeader();
    final int[] sackScratch = new int[2 * TcpHeader.MAX_SACK_BLOCKS];
    final int[] sackLeft = new int[TcpHeader.MAX_SACK_BLOCKS];
    final int[] sackRight = new int[TcpHeader.MAX_SACK_BLOCKS];
    final int[] holeEnd = new int[1];

    // RFC 5961 §7 challenge ACK limit, stack-wide.
    private long challengeWindowStart = Long.MIN_VALUE;
    private int challengeAcksInWindow;

    public TcpStack(Egress egress, StackLock lock, Clock clock, StackCounters counters, TcpConfig config) {
        this(egress, lock, clock, counters, config, new IsnGenerator(), new SecureRandom().nextLong());
    }

    /** With a fixed ISN secret and random seed (ephemeral ports, timestamp offsets): deterministic tests. */
    public TcpStack(Egress egress, StackLock lock, Clock clock, StackCounters counters, TcpConfig config,
                    IsnGenerator isnGenerator, long seed) {
        this(egress, lock, clock, counters, config, isnGenerator, seed,
                new PortTable(config.ephemeralPortLow, config.ephemeralPortHigh, seed));
    }

    private TcpStack(Egress egress, StackLock lock, Clock clock, StackCounters counters, TcpConfig config,
                     IsnGenerator isnGenerator, long seed, PortTable ports) {
        this.egress = egress;
        this.lock = lock;
        this.clock = clock;
        this.counters = counters;
        this.config = config;
        this.pool = new ChunkPool(config.memoryLimit, counters);
        this.isnGenerator = isnGenerator;
        this.seed = seed;
        this.ports = ports;
        this.tsSecret = seed * 0x9E3779B97F4A7C15L;
        this.reusePortKey = seed * 0xC2B2AE3D27D4EB4FL;
        this.synCookies = isnGenerator.synCookies();
    }

    /**
     * TCP for another shard of this one's instance: its own lock, counters, connections, listeners
     * and timers on its own interface; the instance's ports and secrets, shared.
     */
    public TcpStack sibling(Egress egress, StackLock lock, StackCounters counters) {
        return new TcpStack(egress, lock, clock, counters, config, isnGenerator, seed, ports);
    }

    /** Makes this shard {@code shard} of the instance {@code steering} spreads flows over (setup, before any use). */
    public void steerBy(FlowSteering steering, int shard) {
        this.steering = steering;
        this.shard = shard;
        ports.ownersIn(steering.ports());
    }

    // =====================================================================================
    // Application entry points

    /**
     * Reserves {@code localIp:localPort} for a client socket (0 = any address; port 0 = an
     * ephemeral port) and returns the port. BindException("Address already in use") when taken.
     */
    public int bind(int localIp, int localPort, boolean reuseAddress) throws IOException {
        return bind(localIp, localPort, reuseAddress, false);
    }

    /**
     * As {@link #bind(int, int, boolean)} for a socket that set SO_REUSEPORT ({@code reusePort}) or
     * not: the port may then be shared with other such sockets and listeners, as on Linux.
     */
    public int bind(int localIp, int localPort, boolean reuseAddress, boolean reusePort) throws IOException {
        checkPort(localPort);
        // a client's port 0 on an instance of several shards: a port of this shard, whatever the peer
        if (localPort == 0 && !reusePort && steering != null) return ports.reserveClientPort(localIp, shard);
        return ports.reserve(localIp, localPort, reuseAddress, reusePort);
    }

    /**
     * Reserves an ephemeral port for an unbound connect and returns it (then {@link #connect} from
     * address 0). On an instance of several shards the port is this shard's ({@link
     * io.dmm.stack.userspace.PortOwners}), so the connection's segments come here.
     */
    public int bindEphemeral() throws IOException {
        return bind(Ipv4Address.ANY, 0, false, false);
    }

    /**
     * The shard that owns the flow from {@code localIp} (0: the source for the destination) to
     * {@code remoteIp:remotePort}; 0 on an instance of one shard.
     */
    public int shardOf(int localIp, int localPort, int remoteIp, int remotePort) {
        FlowSteering s = steering;
        if (s == null) return 0;
        int lip = localIp == Ipv4Address.ANY ? egress.sourceAddressFor(remoteIp) : localIp;
        return s.shardOf(lip, localPort, remoteIp, remotePort);
    }

    /** Releases a reservation from {@link #bind} that was not handed to {@link #connect}. */
    public void unbind(int localIp, int localPort) {
        unbind(localIp, localPort, false);
    }

    /** As {@link #unbind(int, int)}, for a reservation made with {@code reusePort} as given. */
    public void unbind(int localIp, int localPort, boolean reusePort) {
        ports.removeActive(localIp, localPort, reusePort);
    }

    /**
     * Starts an active open (sends the SYN) from a port reserved with {@link #bind}, which the
     * connection then owns. {@code localIp} 0 picks the interface's source address for the
     * destination. Options are copied. The connection is in SYN_SENT; completion or failure is
     * signalled through its notification.
     */
    public TcpConnection connect(int localIp, int localPort, int remoteIp, int remotePort, TcpSocketOptions options)
            throws IOException {
        return connect(localIp, localPort, remoteIp, remotePort, options, false);
    }

    /** As {@link #connect(int, int, int, int, TcpSocketOptions)} from a port reserved with {@code reusePort} as given. */
    public TcpConnection connect(int localIp, int localPort, int remoteIp, int remotePort, TcpSocketOptions options,
                                 boolean reusePort) throws IOException {
        checkPort(localPort);
        if (remotePort <= 0 || remotePort > 65535) throw new IllegalArgumentException("bad remote port " + remotePort);
        int lip = localIp == Ipv4Address.ANY ? egress.sourceAddressFor(remoteIp) : localIp;
        TcpConnection existing = table.find(lip, localPort, remoteIp, remotePort);
        if (existing != null) {
            if (existing.state != TcpState.TIME_WAIT) throw new BindException("Address already in use");
            existing.closeNow();
        }
        TcpConnection c = new TcpConnection(this, lip, localPort, remoteIp, remotePort, options);
        c.portHeld = true;
        c.portIp = localIp;
        c.portShared = reusePort;
        added(c);
        counters.increment(Counter.TCP_ACTIVE_OPENS);
        c.openActive(clock.nanos());
        return c;
    }

    /**
     * A listener on {@code localIp:localPort} (0 = any; port 0 = ephemeral). BindException when taken,
     * unless this listener and every one it overlaps set SO_REUSEPORT ({@code options.reusePort}).
     */
    public TcpListener listen(int localIp, int localPort, int backlog, TcpSocketOptions options) throws IOException {
        checkPort(localPort);
        for (TcpListener l = localPort == 0 ? null : listeners[localPort]; l != null; l = l.nextOnPort) {
            boolean overlap = l.localIp() == localIp || l.localIp() == Ipv4Address.ANY || localIp == Ipv4Address.ANY;
            if (overlap && !(options.reusePort && l.reusePort())) {
                throw new BindException("Address already in use");
            }
        }
        int port = ports.reserve(localIp, localPort, options.reuseAddress, options.reusePort);
        TcpListener l = new TcpListener(this, localIp, port, backlog > 0 ? backlog : config.defaultBacklog, options, true);
        chain(l);
        return l;
    }

    /**
     * {@code primary}'s twin on this shard, for the connections whose flows land here: same address,
     * port, backlog and options. The primary (on shard 0, whose chains hold every listener of the
     * instance) checked the address and holds the port; the twin does neither.
     */
    public TcpListener listenReplica(TcpListener primary) {
        TcpListener l = new TcpListener(this, primary.localIp(), primary.localPort(), primary.backlog(),
                primary.options(), false);
        chain(l);
        return l;
    }

    private void chain(TcpListener l) {
        l.nextOnPort = listeners[l.localPort()];
        listeners[l.localPort()] = l;
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    /** The instance's TCP settings (the defaults of the per-socket options). */
    public TcpConfig config() {
        return config;
    }

    /** Runs due timers; returns the next deadline in clock nanos, or Long.MAX_VALUE if none. */
    public long poll(long nowNanos) {
        TcpConnection c;
        while ((c = timers.peek()) != null && c.heapDeadline <= nowNanos) {
            timers.remove(c);
            c.onTimers(nowNanos);
        }
        return timers.nextDeadline();
    }

    /** The earliest timer deadline (cheap: the heap's top), or Long.MAX_VALUE if none. */
    public long nextDeadline() {
        return timers.nextDeadline();
    }

    /** Connections not yet fully closed (TIME_WAIT excluded). */
    public int activeConnections() {
        return active;
    }

    /** The pool the connections' buffers come from (diagnostics, tests). */
    public ChunkPool bufferPool() {
        return pool;
    }

    /** Connections with a timer armed (diagnostics, tests). */
    int timerCount() {
        return timers.size();
    }

    /** Connections in the table, TIME_WAIT included: what a leak check counts (diagnostics, tests). */
    public int tableSize() {
        return table.size();
    }

    /** Aborts everything (the stack is closing): connections reset, listeners closed, waiters woken. */
    public void shutdown() {
        for (TcpListener head : listeners) {
            for (TcpListener l = head; l != null; ) {
                TcpListener next = l.nextOnPort;
                l.close();
                l = next;
            }
        }
        for (TcpConnection c : table.toArray()) c.abort();
    }

    /**
     * The device went away: every connection and listener fails with {@code cause} at once, without
     * a RST (nothing can be sent), and their waiters are woken. Returns how many connections were
     * open (TIME_WAIT not counted).
     */
    public int fail(SocketException cause) {
        int open = active;
        TcpConnection[] all = table.toArray();
        // connections first: those queued on a listener leave its queue as they close
        for (TcpConnection c : all) c.fail(cause);
        for (TcpListener head : listeners) {
            for (TcpListener l = head; l != null; ) {
                TcpListener next = l.nextOnPort;
                l.fail(cause);
                l = next;
            }
        }
        return open;
    }

    // =====================================================================================
    // Ingress

    @Override
    public boolean ingress(MemorySegment memory, long offset, int length, int srcIp, int dstIp, boolean checksumsVerified) {
        counters.increment(Counter.TCP_SEGMENTS_RX);
        if (length < TcpHeader.MIN_LENGTH) {
            counters.increment(Counter.DROP_TCP_MALFORMED);
            return true;
        }
        TcpHeader h = rxHeader.wrap(memory, offset);
        int hl = h.headerLength();
        if (hl < TcpHeader.MIN_LENGTH || hl > length || !h.parseOptions()) {
            counters.increment(Counter.DROP_TCP_MALFORMED);
            return true;
        }
        if (!checksumsVerified && !Checksum.transportVerifies(memory, offset, length, srcIp, dstIp, PROTOCOL)) {
            counters.increment(Counter.DROP_TCP_CHECKSUM);
            return true;
        }
        int srcPort = h.srcPort();
        int dstPort = h.dstPort();
        if (srcPort == 0 || dstPort == 0 || !isUnicast(srcIp) || !isUnicast(dstIp)) {
            counters.increment(Counter.DROP_TCP_MALFORMED);
            return true;
        }
        int payLen = length - hl;
        TcpConnection sender = null;
        Object source = egress.localPayloadSource();
        if (source != null && payLen > 0) {
            // a segment between two of our connections whose payload stayed in the sender's ring
            sender = (TcpConnection) source;
            if (!sender.holdsPayload(h.seq(), payLen)) {
                // acknowledged or aborted meanwhile (a retransmission overtaken by its ACK): lost, as on a wire
                counters.increment(Counter.DROP_TCP_LOCAL_PAYLOAD_GONE);
                return true;
            }
            counters.increment(Counter.TCP_LOCAL_DIRECT_SEGMENTS);
        }
        payloadSender = sender;
        try {
            dispatch(h, memory, offset, length, hl, payLen, srcIp, dstIp, srcPort, dstPort);
        } finally {
            payloadSender = null;
        }
        return true;
    }

    /**
     * GRO's merged segments: processed as one segment with the first one's header (they share ACK
     * number, window and options) and all their payloads, so one ACK answers them.
     */
    @Override
    public void ingressBatch(SegmentBatch batch) {
        int n = batch.count();
        TcpHeader h = rxHeader.wrap(batch.memory(0), batch.offset(0));
        int hl = h.headerLength();
        int srcIp = batch.srcIp(), dstIp = batch.dstIp();
        if (!h.parseOptions() || h.srcPort() == 0 || h.dstPort() == 0 || !isUnicast(srcIp) || !isUnicast(dstIp)) {
            TransportHandler.super.ingressBatch(batch);  // one by one: each is dropped and counted as it deserves
            return;
        }
        counters.add(Counter.TCP_SEGMENTS_RX, n);
        int payLen = 0;
        for (int i = 0; i < n; i++) payLen += batch.length(i) - hl;
        merged = batch;
        mergedHeaderLength = hl;
        try {
            dispatch(h, batch.memory(0), batch.offset(0), batch.length(0), hl, payLen, srcIp, dstIp, h.srcPort(), h.dstPort());
        } finally {
            merged = null;
        }
    }

    /**
     * Stores the payload of the segment being processed, {@code offset} bytes after RCV.NXT, into
     * {@code rb}: from the frame, or piece by piece from GRO's merged segments. Returns how many
     * bytes became in-order, as {@link ReceiveBuffer#insert}.
     */
    int insertPayload(ReceiveBuffer rb, int offset, MemorySegment mem, long payOff, int payLen) {
        if (merged == null) return rb.insert(offset, mem, payOff, payLen);
        int advanced = 0;
        int at = offset;
        for (int i = 0; i < merged.count(); i++) {
            int len = merged.length(i) - mergedHeaderLength;
            // offsets are relative to RCV.NXT, which moved by what the earlier pieces advanced it
            advanced += rb.insert(at - advanced, merged.memory(i), merged.offset(i) + mergedHeaderLength, len);
            at += len;
        }
        return advanced;
    }

    private void dispatch(TcpHeader h, MemorySegment memory, long offset, int length, int hl, int payLen,
                          int srcIp, int dstIp, int srcPort, int dstPort) {
        long now = clock.nanos();
        int flags = h.flags();
        TcpConnection c = table.find(dstIp, dstPort, srcIp, srcPort);
        if (c != null && c.state == TcpState.TIME_WAIT && (flags & (TcpHeader.SYN | TcpHeader.ACK | TcpHeader.RST)) == TcpHeader.SYN
                && timeWaitAcceptsSyn(c, h)) {
            c.closeNow(); // RFC 6191: a new incarnation may reuse the 4-tuple
            c = null;
        }
        if (c != null) {
            c.onSegment(h, memory, offset + hl, payLen, now);
            return;
        }
        TcpListener l = findListener(dstIp, dstPort, srcIp, srcPort);
        if (l != null) {
            l.onSegment(h, srcIp, dstIp, memory, offset + hl, payLen, now);
            return;
        }
        counters.increment(Counter.DROP_TCP_NO_LISTENER);
        if ((flags & TcpHeader.RST) == 0) {
            if ((flags & TcpHeader.ACK) != 0) {
                sendReset(dstIp, srcIp, dstPort, srcPort, h.ack(), 0, false);
            } else {
                int segLen = payLen + ((flags & TcpHeader.SYN) != 0 ? 1 : 0) + ((flags & TcpHeader.FIN) != 0 ? 1 : 0);
                sendReset(dstIp, srcIp, dstPort, srcPort, 0, h.seq() + segLen, true);
            }
        }
    }

    /** RFC 6191 (and RFC 9293 Appendix B): a SYN above RCV.NXT, or with a newer timestamp. */
    private static boolean timeWaitAcceptsSyn(TcpConnection c, TcpHeader h) {
        if (c.tsOk && h.hasTimestamps) return SeqNum.gt(h.tsVal, c.tsRecent);
        return SeqNum.gt(h.seq(), c.rcvNxt);
    }

    private static boolean isUnicast(int ip) {
        return ip != Ipv4Address.ANY && ip != Ipv4Address.BROADCAST && (ip >>> 28) != 0xE;
    }

    /**
     * The listener for a segment of no connection: one bound to the exact address before one bound to
     * the wildcard. Several on that address (all set SO_REUSEPORT, or they could not have bound)
     * form a group, and the flow's hash picks one, so a flow's segments all reach the same listener.
     */
    private TcpListener findListener(int dstIp, int dstPort, int srcIp, int srcPort) {
        int exact = 0;
        int wildcard = 0;
        for (TcpListener l = listeners[dstPort]; l != null; l = l.nextOnPort) {
            if (l.localIp() == dstIp) exact++;
            else if (l.localIp() == Ipv4Address.ANY) wildcard++;
        }
        int ip = exact > 0 ? dstIp : Ipv4Address.ANY;
        int n = exact > 0 ? exact : wildcard;
        if (n == 0) return null;
        int skip = n == 1 ? 0 : FlowHash.pick(FlowHash.of(reusePortKey, dstIp, dstPort, srcIp, srcPort), n);
        for (TcpListener l = listeners[dstPort]; ; l = l.nextOnPort) {
            if (l.localIp() == ip && skip-- == 0) return l;
        }
    }

    @Override
    public void destinationUnreachable(int code, int srcIp, int srcPort, int dstIp, int dstPort) {
        TcpConnection c = table.find(srcIp, srcPort, dstIp, dstPort);
        if (c != null) c.onDestinationUnreachable(code);
    }

    // =====================================================================================
    // Shared helpers for connections and listeners

    /** A RST (RFC 9293 §3.10.7.1): with {@code withAck}, RST|ACK carrying {@code ack}. */
    void sendReset(int srcIp, int dstIp, int srcPort, int dstPort, int seq, int ack, boolean withAck) {
        if (!egress.begin(srcIp, dstIp, PROTOCOL)) return;
        MemorySegment m = egress.memory();
        long o = egress.l4Offset();
        txHeader.wrap(m, o).srcPort(srcPort).dstPort(dstPort).seq(seq).ack(withAck ? ack : 0)
                .headerLength(TcpHeader.MIN_LENGTH).flags(TcpHeader.RST | (withAck ? TcpHeader.ACK : 0))
                .window(0).checksum(0).urgent(0);
        finish(m, o, TcpHeader.MIN_LENGTH, srcIp, dstIp);
        counters.increment(Counter.TCP_RST_SENT);
    }

    /**
     * Answers {@code syn} with a SYN-ACK whose ISN is a SYN cookie, keeping nothing (the listener's
     * SYN queue is full). Without timestamps the options have nowhere to be kept, so the SYN-ACK
     * offers no window scale and no SACK, as Linux's; with them, our TSval carries the peer's.
     */
    void sendCookieSynAck(TcpHeader syn, int localIp, int localPort, int remoteIp, TcpSocketOptions options, long now) {
        int remotePort = syn.srcPort();
        int iss = synCookies.cookie(localIp, localPort, remoteIp, remotePort, syn.seq(), syn.mss > 0 ? syn.mss : 536, now);
        boolean ts = config.timestamps && syn.hasTimestamps;
        boolean sack = ts && config.sack && syn.sackPermitted;
        boolean ws = ts && config.windowScaling && syn.windowScale >= 0;
        int recvBuf = TcpConnection.receiveBufferSize(options, config);
        int tsVal = ts ? SynCookies.encodeTsOptions((int) (now / 1_000_000L) + tsOffset(localIp, localPort, remoteIp, remotePort),
                ws ? syn.windowScale : -1, sack) : 0;
        if (!egress.begin(localIp, remoteIp, PROTOCOL)) return;
        if (options.typeOfService != 0) egress.ipFields(-1, options.typeOfService, true);
        MemorySegment m = egress.memory();
        long o = egress.l4Offset();
        TcpHeader h = txHeader.wrap(m, o);
        int hl = h.putSynOptions(ourMss(), sack, ts, tsVal, syn.tsVal, ws ? TcpConnection.windowShift(recvBuf) : -1);
        h.srcPort(localPort).dstPort(remotePort).seq(iss).ack(syn.seq() + 1).headerLength(hl)
                .flags(TcpHeader.SYN | TcpHeader.ACK).window(Math.min(recvBuf, 65535)).checksum(0).urgent(0);
        finish(m, o, hl, localIp, remoteIp);
        counters.increment(Counter.TCP_SYNCOOKIES_SENT);
    }

    /** Checksums (unless offloaded) and sends the open packet. */
    void finish(MemorySegment m, long o, int l4Length, int srcIp, int dstIp) {
        finish(m, o, l4Length, srcIp, dstIp, null);
    }

    /**
     * Sends the open segment; with a {@code payloadSender} (a local segment, {@link Egress#openIsLocal()})
     * only its header was written and the receiver copies the payload from that connection's ring.
     */
    void finish(MemorySegment m, long o, int l4Length, int srcIp, int dstIp, TcpConnection payloadSender) {
        if (payloadSender != null) {
            // no checksum: local packets are never verified, and this one's payload is not here
            egress.sendLocal(l4Length, payloadSender);
            counters.increment(Counter.TCP_SEGMENTS_TX);
            return;
        }
        if (!egress.txChecksumOffload()) {
            txHeader.wrap(m, o).checksum(Checksum.transport(m, o, l4Length, srcIp, dstIp, PROTOCOL));
        }
        egress.send(l4Length);
        counters.increment(Counter.TCP_SEGMENTS_TX);
    }

    /**
     * Sends the packet opened with {@link Egress#beginSegmented}: {@code l4Length} TCP bytes, of
     * which {@code payload} are cut by the device into segments of {@code segmentSize}. Checksums
     * are the device's. Counted as the segments that reach the wire.
     */
    void finishSegmented(int l4Length, int segmentSize, int payload) {
        egress.sendSegmented(l4Length, segmentSize);
        counters.increment(Counter.TCP_TSO_SENDS);
        counters.add(Counter.TCP_SEGMENTS_TX, (payload + segmentSize - 1) / segmentSize);
    }

    boolean allowChallengeAck(long now) {
        if (now - challengeWindowStart >= 1_000_000_000L || challengeWindowStart == Long.MIN_VALUE) {
            challengeWindowStart = now;
            challengeAcksInWindow = 0;
        }
        if (challengeAcksInWindow >= config.challengeAcksPerSecond) return false;
        challengeAcksInWindow++;
        return true;
    }

    int ourMss() {
        return config.mss > 0 ? config.mss : egress.mtu() - 40;
    }

    int isn(int localIp, int localPort, int remoteIp, int remotePort, long now) {
        return isnGenerator.isn(localIp, localPort, remoteIp, remotePort, now);
    }

    /** A per-connection timestamp offset (RFC 7323 §7.1): the clock is not revealed across connections. */
    int tsOffset(int localIp, int localPort, int remoteIp, int remotePort) {
        return FlowHash.of(tsSecret, localIp, localPort, remoteIp, remotePort);
    }

    void reschedule(TcpConnection c) {
        if (c.state == TcpState.CLOSED) {
            timers.remove(c);
            return;
        }
        timers.update(c, c.earliestDeadline());
    }

    void added(TcpConnection c) {
        table.insert(c);
        active++;
    }

    void enteredTimeWait(TcpConnection c) {
        active--;
        if (c.portHeld) {
            ports.toLingering(c.portIp, c.localPort, c.portShared);
        } else {
            ports.addActive(c.localIp, c.localPort);
            ports.toLingering(c.localIp, c.localPort, false);
            c.portIp = c.localIp;
            c.portHeld = true;
        }
    }

    void removed(TcpConnection c, TcpState oldState) {
        table.remove(c);
        timers.remove(c);
        if (oldState == TcpState.TIME_WAIT) {
            ports.removeLingering(c.portIp, c.localPort);
        } else {
            active--;
            if (c.portHeld) ports.removeActive(c.portIp, c.localPort, c.portShared);
        }
        c.portHeld = false;
    }

    void removeListener(TcpListener l) {
        int port = l.localPort();
        TcpListener prev = null;
        for (TcpListener x = listeners[port]; x != null; prev = x, x = x.nextOnPort) {
            if (x == l) {
                if (prev == null) listeners[port] = x.nextOnPort;
                else prev.nextOnPort = x.nextOnPort;
                break;
            }
        }
        if (l.holdsPort()) ports.removeActive(l.localIp(), port, l.reusePort());
    }
}
