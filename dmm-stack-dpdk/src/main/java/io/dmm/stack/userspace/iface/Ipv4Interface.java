package io.dmm.stack.userspace.iface;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.StackCounters;
import io.dmm.stack.userspace.phy.Device;
import io.dmm.stack.userspace.phy.RxHandler;
import io.dmm.stack.userspace.time.Clock;
import io.dmm.stack.userspace.wire.EthernetFrame;
import io.dmm.stack.userspace.wire.IcmpPacket;
import io.dmm.stack.userspace.wire.Ipv4Address;
import io.dmm.stack.userspace.wire.Ipv4Header;
import io.dmm.stack.userspace.wire.MacAddress;
import io.dmm.stack.userspace.wire.NetworkOrder;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Objects;

/**
 * The stack's one IPv4 interface over an Ethernet {@link Device}: ARP (answering, resolving,
 * queueing while resolving), address filtering, ICMP (echo, unreachables both ways, time exceeded
 * for reassembly; errors we send are rate-limited), fragment reassembly, and dispatch to the
 * transports; and, as {@link Egress}, the transports' way out. Hosts only: nothing is forwarded,
 * so TTL is only ever set, never decremented; nothing is fragmented on the way out either (DF is
 * set, the transports size segments to {@link #l4Capacity()}).
 *
 * <p>Multicast: frames to the MACs of joined groups are taken, datagrams to joined groups (and
 * 224.0.0.1) go up, IGMP is answered by {@link MulticastGroups}; a datagram sent to a group is
 * also delivered to this host's members when the sender's IP_MULTICAST_LOOP is on.
 *
 * <p>Not handled: 802.1Q tags and IPv6 (dropped as unknown ethertypes), ICMP redirects and the MTU of "fragmentation needed" (the transport hears the code
 * only, as {@link TransportHandler#destinationUnreachable} carries no MTU).
 *
 * <p>Everything runs under the stack's lock, on the poll loop or an application thread doing I/O;
 * nothing is allocated per packet (views are reused, queues live in preallocated arenas).
 *
 * <p>Transmission and flushing: frames are submitted to the device as they are sent. Sends made
 * while the interface is itself processing ({@link #frame}, {@link #poll}, {@link #drainLocal})
 * are flushed once at the end of that processing, as one burst; a send from outside (an
 * application thread writing) is flushed at once.
 *
 * <p>Packets to our own addresses never touch the device: they are queued in a local ring and
 * handed to our own ingress from {@link #drainLocal()}, which runs at the end of every
 * {@link #frame} and {@link #poll} (so never inside a transport's call into {@link #send}, which
 * would re-enter the transport half-way through its own state change). The optional
 * {@link #setLocalNotifier notifier} tells an idle poll loop that such packets are waiting, and
 * {@link #poll} reports "now" as its next deadline while any are left.
 *
 * <p>Frames waiting for ARP are copied into a pending arena and the device buffer is released at
 * once (see {@link PendingFrames}); when the reply comes they are copied back into fresh device
 * buffers, in the order they were sent.
 */
public final class Ipv4Interface implements RxHandler, Egress {
    private static final int OPEN_NONE = 0;
    private static final int OPEN_DEVICE = 1;
    private static final int OPEN_LOCAL = 2;
    /** A TCP packet for the device to segment (TSO), to a next hop already resolved. */
    private static final int OPEN_SEGMENTED = 3;
    private static final int IP_OFFSET = EthernetFrame.HEADER_LENGTH;
    private static final int L4_OFFSET = EthernetFrame.HEADER_LENGTH + Ipv4Header.MIN_LENGTH;
    /** The IPv4 Router Alert option (RFC 2113) every IGMP message carries (RFC 2236 2, RFC 3376 4). */
    private static final byte[] ROUTER_ALERT = {(byte) 0x94, 0x04, 0, 0};
    /** IGMP goes out as Internetwork Control (precedence 6), as Linux sends it. */
    private static final int IGMP_TOS = 0xC0;
    private static final int PROTOCOL_IGMP = 2;

    private final Device device;
    private final InterfaceConfig config;
    private final Clock clock;
    private final StackCounters counters;
    private final long mac;
    private final int mtu;
    private final int[] addresses;
    private final int[] prefixes;
    private final int[] masks;
    private final int[] broadcasts;
    private final int gateway;
    private final TransportHandler[] transports = new TransportHandler[256];

    private final ArpResolver arp;
    private final FragmentReassembler reassembler;
    private final LocalDeliveryQueue local;
    private final IcmpErrorLimiter icmpErrors;
    private final MulticastGroups multicast;
    private Runnable localNotifier;
    /** Software GRO over the bursts of a device that holds them (else null). */
    private final TcpCoalescer gro;
    /** Set while a frame from the device is processed: only its TCP segments may be held for GRO. */
    private boolean inDeviceFrame;

    // Reused views: rx for what arrived, tx for what we write, quote for ICMP errors' payloads.
    private final EthernetFrame rxEth = new EthernetFrame();
    private final Ipv4Header rxIp = new Ipv4Header();
    private final IcmpPacket rxIcmp = new IcmpPacket();
    private final EthernetFrame txEth = new EthernetFrame();
    private final Ipv4Header txIp = new Ipv4Header();
    private final IcmpPacket txIcmp = new IcmpPacket();

    // The open packet (Egress is one packet at a time).
    private int openKind = OPEN_NONE;
    private MemorySegment openMemory;
    private long openFrame;
    private int openSrc;
    private int openDst;
    private int openProtocol;
    private int openNextHop;
    /** The next hop's MAC of an OPEN_SEGMENTED packet (resolved at begin: such packets never wait for ARP). */
    private long openNextHopMac;
    private int openTtl;
    private int openTos;
    private boolean openLoop;

    private int ipId;
    private int batchDepth;
    private boolean txDirty;
    private boolean draining;
    /** The payload source of the local packet being delivered now (see {@link #sendLocal}), else null. */
    private Object deliveringSource;

    public Ipv4Interface(Device device, InterfaceConfig config, Clock clock, StackCounters counters) {
        this.device = device;
        this.config = config;
        this.clock = clock;
        this.counters = counters;
        this.mac = device.macAddress();
        if (!MacAddress.isUnicast(mac)) {
            throw new IllegalArgumentException("device " + device.name() + " has no unicast MAC: " + MacAddress.toString(mac));
        }
        int frameMax = Math.min(device.mtu() + EthernetFrame.HEADER_LENGTH, device.txCapacity());
        if (frameMax < L4_OFFSET + 8) throw new IllegalArgumentException("device MTU too small: " + device.mtu());
        this.mtu = frameMax - EthernetFrame.HEADER_LENGTH;
        List<Ipv4Cidr> cidrs = config.addresses();
        int n = cidrs.size();
        addresses = new int[n];
        prefixes = new int[n];
        masks = new int[n];
        broadcasts = new int[n];
        for (int i = 0; i < n; i++) {
            Ipv4Cidr c = cidrs.get(i);
            addresses[i] = c.address();
            prefixes[i] = c.prefixLength();
            masks[i] = c.mask();
            broadcasts[i] = c.broadcast();
        }
        gateway = config.gateway();
        arp = new ArpResolver(this, device, config, counters, frameMax);
        reassembler = new FragmentReassembler(config.reassemblySlots(), config.reassemblyTimeoutNanos(), counters);
        local = new LocalDeliveryQueue(config.localQueueSize(), frameMax);
        icmpErrors = new IcmpErrorLimiter(config.icmpErrorsPerSecond(), config.icmpErrorBurst(), clock.nanos());
        multicast = new MulticastGroups(new IgmpOutput(), clock, counters, clock.nanos() ^ mac,
                mtu - Ipv4Header.MIN_LENGTH - ROUTER_ALERT.length);
        gro = device.holdsFramesForBurst() ? new TcpCoalescer(new GroOutput(), counters) : null;
        ipId = (int) (clock.nanos() ^ mac) & 0xFFFF;  // not 0 every start: stale fragments of an earlier run must not match
    }

    // ------------------------------------------------------------------ configuration and accessors

    /** Registers the handler for IP protocol {@code ipProtocol} (6 TCP, 17 UDP); null removes it. ICMP is ours. */
    public void setTransport(int ipProtocol, TransportHandler handler) {
        if (ipProtocol < 0 || ipProtocol > 255 || ipProtocol == Ipv4Header.PROTOCOL_ICMP) {
            throw new IllegalArgumentException("not a transport protocol number: " + ipProtocol);
        }
        transports[ipProtocol] = handler;
    }

    /** Called (under the lock, from a send) when a packet to a local address is queued for delivery; null for none. */
    public void setLocalNotifier(Runnable notifier) {
        this.localNotifier = notifier;
    }

    public int addressCount() {
        return addresses.length;
    }

    public int address(int i) {
        return addresses[i];
    }

    public int prefix(int i) {
        return prefixes[i];
    }

    public int gateway() {
        return gateway;
    }

    public long macAddress() {
        return mac;
    }

    public InterfaceConfig config() {
        return config;
    }

    public Device device() {
        return device;
    }

    /** The multicast groups joined on this interface and its IGMP host side. */
    public MulticastGroups multicast() {
        return multicast;
    }

    /** The MAC known for {@code ip} now, or -1 (for tests and diagnostics). */
    public long arpLookup(int ip) {
        return arp.lookup(ip);
    }

    /** Frames waiting for ARP (walks a list: diagnostics and tests). */
    int framesAwaitingArp() {
        return arp.framesWaiting();
    }

    /** Packets to local addresses not yet delivered. */
    public int localPending() {
        return local.size();
    }

    // ------------------------------------------------------------------ timers

    /**
     * ARP retries and give-ups, reassembly timeouts, delivery of looped-back packets; flushes what
     * that sent. Returns when it next needs to run: the earliest ARP retry or reassembly timeout,
     * {@code nowNanos} if looped-back packets are still waiting, else Long.MAX_VALUE.
     */
    public long poll(long nowNanos) {
        batchDepth++;
        try {
            long next = arp.poll(nowNanos);
            for (int s; (s = reassembler.nextExpired(nowNanos)) >= 0; ) {
                if (reassembler.quotable(s)) {
                    sendIcmpError(IcmpPacket.TYPE_TIME_EXCEEDED, 1 /* fragment reassembly time exceeded */,
                            reassembler.memory(s), reassembler.datagramOffset(s));
                }
                reassembler.release(s);
            }
            next = Math.min(next, reassembler.nextDeadline());
            next = Math.min(next, multicast.poll(nowNanos));
            drainLocalInBatch();
            if (!local.isEmpty()) next = nowNanos;
            return next;
        } finally {
            endBatch();
        }
    }

    /** Hands queued looped-back packets to our own ingress (at most one ring's worth per call). */
    public void drainLocal() {
        batchDepth++;
        try {
            drainLocalInBatch();
        } finally {
            endBatch();
        }
    }

    /** Takes up to {@code budget} received frames from the device through {@link #frame}; how many it took. */
    public int receive(int budget) {
        return device.receive(this, budget);
    }

    /** Pushes submitted frames out of the device. */
    public void flush() {
        txDirty = false;
        device.txFlush();
    }

    private void drainLocalInBatch() {
        if (draining) return;
        draining = true;
        try {
            // Bounded, so two local endpoints answering each other cannot keep us here forever.
            for (int n = config.localQueueSize(); n > 0 && !local.isEmpty(); n--) {
                try {
                    deliveringSource = local.headPayloadSource();
                    ingress(local.memory(), local.headOffset(), local.headLength(), true);
                } finally {
                    deliveringSource = null;
                    local.pop();  // even if a transport failed on it: a frame that throws must not come back forever
                }
            }
        } finally {
            draining = false;
        }
    }

    private void endBatch() {
        if (--batchDepth == 0 && txDirty) flush();
    }

    // ------------------------------------------------------------------ ingress

    @Override
    public void frame(MemorySegment memory, long offset, int length, boolean checksumsVerified) {
        counters.increment(Counter.RX_FRAMES);
        counters.add(Counter.RX_BYTES, length);
        batchDepth++;
        try {
            inDeviceFrame = true;
            try {
                ingress(memory, offset, length, checksumsVerified);
            } finally {
                inDeviceFrame = false;
            }
            if (batchDepth == 1) drainLocalInBatch();
        } finally {
            endBatch();
        }
    }

    /** The device's burst ends: the TCP segments GRO held go up, merged, before the device frees them. */
    @Override
    public void endOfBurst() {
        if (gro == null || !gro.holding()) return;
        batchDepth++;
        try {
            gro.flush();
            if (batchDepth == 1) drainLocalInBatch();
        } finally {
            endBatch();
        }
    }

    /** Where GRO hands segments up: to TCP, one by one or merged. */
    private final class GroOutput implements TcpCoalescer.Sink {
        @Override
        public void single(MemorySegment memory, long offset, int length, int srcIp, int dstIp, boolean verified) {
            TransportHandler tcp = transports[Ipv4Header.PROTOCOL_TCP];
            if (tcp != null) tcp.ingress(memory, offset, length, srcIp, dstIp, verified);
        }

        @Override
        public void batch(SegmentBatch batch) {
            TransportHandler tcp = transports[Ipv4Header.PROTOCOL_TCP];
            if (tcp != null) tcp.ingressBatch(batch);
        }
    }

    private void ingress(MemorySegment memory, long offset, int length, boolean checksumsVerified) {
        EthernetFrame eth = rxEth.wrap(memory, offset, length);
        if (!eth.isValid()) {
            counters.increment(Counter.DROP_MALFORMED_FRAME);
            return;
        }
        long dstMac = eth.destination();
        if (dstMac != mac && dstMac != MacAddress.BROADCAST && !multicast.acceptsMac(dstMac)) {
            counters.increment(Counter.DROP_NOT_FOR_US);
            return;
        }
        switch (eth.etherType()) {
            case EthernetFrame.TYPE_ARP -> arp.ingress(memory, eth.payloadOffset(), eth.payloadLength(), clock.nanos());
            case EthernetFrame.TYPE_IPV4 -> ipv4Ingress(memory, eth.payloadOffset(), eth.payloadLength(), checksumsVerified);
            default -> counters.increment(Counter.DROP_UNKNOWN_ETHERTYPE);  // IPv6, 802.1Q, LLDP...
        }
    }

    private void ipv4Ingress(MemorySegment memory, long offset, int length, boolean verified) {
        Ipv4Header ip = rxIp.wrap(memory, offset, length);
        if (!ip.isValid()) {
            counters.increment(Counter.DROP_IPV4_MALFORMED);
            return;
        }
        if (!verified && !ip.checksumValid()) {
            counters.increment(Counter.DROP_IPV4_CHECKSUM);
            return;
        }
        counters.increment(Counter.IPV4_RX);
        int src = ip.source();
        int dst = ip.destination();
        // "broadcast" below means any address many hosts receive: no ICMP errors or echo replies for it
        boolean broadcast = isBroadcastAddress(dst) || isMulticast(dst);
        if (broadcast ? isMulticast(dst) && !multicast.isMember(dst) : !isLocalAddress(dst)) {
            counters.increment(Counter.DROP_IPV4_NOT_FOR_US);
            return;
        }
        if (src == Ipv4Address.BROADCAST || (src >>> 28) >= 0xE || isSubnetBroadcast(src)) {
            counters.increment(Counter.DROP_IPV4_MALFORMED);  // RFC 1122 3.2.1.3: no broadcast or multicast sources
            return;
        }
        if (ip.isFragment()) {
            if (!config.reassembleFragments()) {
                counters.increment(Counter.DROP_IPV4_FRAGMENT);
                return;
            }
            int slot = reassembler.accept(ip, verified, clock.nanos());
            if (slot >= 0) {
                deliver(reassembler.memory(slot), reassembler.datagramOffset(slot), reassembler.datagramLength(slot),
                        reassembler.checksumsVerified(slot), broadcast, false);
                reassembler.release(slot);
            }
            return;
        }
        deliver(memory, offset, ip.totalLength(), verified, broadcast, inDeviceFrame);
    }

    /**
     * A whole datagram (header at {@code ipOffset}) for us: to ICMP or the transport. {@code holdable}:
     * it lies in a device frame that stays valid until the burst ends, so GRO may hold a TCP segment.
     */
    private void deliver(MemorySegment memory, long ipOffset, int totalLength, boolean verified, boolean broadcast,
                         boolean holdable) {
        Ipv4Header ip = rxIp.wrap(memory, ipOffset, totalLength);
        int protocol = ip.protocol();
        int src = ip.source();
        int dst = ip.destination();
        long l4 = ip.payloadOffset();
        int l4Length = ip.payloadLength();
        if (protocol == Ipv4Header.PROTOCOL_ICMP) {
            icmpIngress(memory, l4, l4Length, src, dst, broadcast);
            return;
        }
        if (protocol == PROTOCOL_IGMP) {
            multicast.ingress(memory, l4, l4Length, isOwnAddress(src), clock.nanos());
            return;
        }
        TransportHandler h = transports[protocol];
        if (h == null) {
            counters.increment(Counter.DROP_IPV4_UNKNOWN_PROTOCOL);
            if (!broadcast) sendIcmpError(IcmpPacket.TYPE_DESTINATION_UNREACHABLE, IcmpPacket.CODE_PROTOCOL_UNREACHABLE, memory, ipOffset);
            return;
        }
        if (protocol == Ipv4Header.PROTOCOL_TCP && holdable && gro != null && !broadcast) {
            gro.offer(memory, l4, l4Length, src, dst, verified);
            return;
        }
        boolean taken = h.ingress(memory, l4, l4Length, src, dst, verified);
        if (!taken && protocol == Ipv4Header.PROTOCOL_UDP && !broadcast) {
            sendIcmpError(IcmpPacket.TYPE_DESTINATION_UNREACHABLE, IcmpPacket.CODE_PORT_UNREACHABLE, memory, ipOffset);
        }
    }

    private void icmpIngress(MemorySegment memory, long offset, int length, int src, int dst, boolean broadcast) {
        counters.increment(Counter.ICMP_RX);
        IcmpPacket icmp = rxIcmp.wrap(memory, offset, length);
        if (!icmp.isValid()) {
            counters.increment(Counter.DROP_ICMP_MALFORMED);
            return;
        }
        // Always verified: devices vouch for IPv4/TCP/UDP checksums, not ICMP's.
        if (!icmp.checksumValid()) {
            counters.increment(Counter.DROP_ICMP_CHECKSUM);
            return;
        }
        switch (icmp.type()) {
            case IcmpPacket.TYPE_ECHO_REQUEST -> {
                // Broadcast pings go unanswered (Linux's icmp_echo_ignore_broadcasts default): smurf amplification.
                if (!broadcast && icmp.code() == 0) echoReply(memory, offset, length, dst, src);
            }
            case IcmpPacket.TYPE_DESTINATION_UNREACHABLE -> {
                counters.increment(Counter.ICMP_UNREACHABLE_RX);
                if (!icmp.parseQuoted()) {
                    counters.increment(Counter.DROP_ICMP_MALFORMED);
                    return;
                }
                TransportHandler h = transports[icmp.quotedProtocol()];
                // Only errors about packets we sent: their quoted source is ours.
                if (h != null && isLocalAddress(icmp.quotedSource())) {
                    h.destinationUnreachable(icmp.code(), icmp.quotedSource(), icmp.quotedSourcePort(),
                            icmp.quotedDestination(), icmp.quotedDestinationPort());
                }
            }
            default -> { }  // echo replies (no ping sockets), time exceeded, redirects: counted, not acted on
        }
    }

    private void echoReply(MemorySegment memory, long offset, int length, int ourAddress, int peer) {
        if (length > l4CapacityFor() || !begin(ourAddress, peer, Ipv4Header.PROTOCOL_ICMP)) return;
        MemorySegment.copy(memory, offset, openMemory, l4Offset(), length);
        IcmpPacket reply = txIcmp.wrap(openMemory, l4Offset(), length);
        reply.emitHeader(IcmpPacket.TYPE_ECHO_REPLY, 0, NetworkOrder.i32(memory, offset + 4));  // id and sequence echoed
        reply.fillChecksum();
        send(length);
        counters.increment(Counter.ICMP_ECHO_REPLIES_SENT);
    }

    /**
     * An ICMP error about the datagram at {@code ipOffset}, quoting its header and first 8 payload
     * bytes. Never about datagrams sent to a broadcast address or from anything but a unicast
     * host (RFC 1122 3.2.2; errors about ICMP errors never reach here: we only report UDP, unknown
     * protocols and reassembly timeouts), and never faster than the configured rate.
     */
    private void sendIcmpError(int type, int code, MemorySegment memory, long ipOffset) {
        Ipv4Header orig = rxIp.wrap(memory, ipOffset, Ipv4Header.MAX_TOTAL_LENGTH);
        int origSrc = orig.source();
        int origDst = orig.destination();
        if (origSrc == 0 || (origSrc >>> 28) >= 0xE || isBroadcastAddress(origSrc) || !isLocalAddress(origDst)) return;
        int quote = Math.min(orig.headerLength() + IcmpPacket.QUOTED_PAYLOAD, orig.totalLength());
        int len = IcmpPacket.HEADER_LENGTH + quote;
        if (len > l4CapacityFor()) return;
        if (!icmpErrors.tryAcquire(clock.nanos())) {
            counters.increment(Counter.DROP_ICMP_RATE_LIMITED);
            return;
        }
        if (!begin(origDst, origSrc, Ipv4Header.PROTOCOL_ICMP)) return;
        MemorySegment.copy(memory, ipOffset, openMemory, l4Offset() + IcmpPacket.HEADER_LENGTH, quote);
        txIcmp.wrap(openMemory, l4Offset(), len).emitHeader(type, code, 0).fillChecksum();
        send(len);
        counters.increment(type == IcmpPacket.TYPE_TIME_EXCEEDED ? Counter.ICMP_TIME_EXCEEDED_SENT : Counter.ICMP_UNREACHABLE_SENT);
    }

    // ------------------------------------------------------------------ egress

    @Override
    public boolean begin(int srcIp, int dstIp, int protocol) {
        if (openKind != OPEN_NONE) throw new IllegalStateException("a packet is already open; send or abort it first");
        if (isLocalAddress(dstIp)) {
            long slot = local.reserve();
            if (slot < 0) {
                counters.increment(Counter.DROP_TX_NO_BUFFER);
                return false;
            }
            openKind = OPEN_LOCAL;
            openMemory = local.memory();
            openFrame = slot;
            openNextHop = dstIp;
        } else {
            int hop = nextHop(dstIp);
            if (hop == 0) {
                counters.increment(Counter.DROP_IPV4_NO_ROUTE);
                return false;
            }
            long buf = acquireTxBuffer();
            if (buf < 0) {
                counters.increment(Counter.DROP_TX_NO_BUFFER);
                return false;
            }
            openKind = OPEN_DEVICE;
            openMemory = device.memory();
            openFrame = buf;
            openNextHop = hop;
        }
        openAddresses(srcIp, dstIp, protocol);
        return true;
    }

    private void openAddresses(int srcIp, int dstIp, int protocol) {
        openSrc = srcIp == 0 ? sourceAddressFor(dstIp) : srcIp;
        openDst = dstIp;
        openProtocol = protocol;
        openTtl = -1;
        openTos = 0;
        openLoop = true;
    }

    @Override
    public int segmentationMaxBytes() {
        return device.tsoMaxBytes();
    }

    @Override
    public boolean beginSegmented(int srcIp, int dstIp) {
        if (openKind != OPEN_NONE) throw new IllegalStateException("a packet is already open; send or abort it first");
        if (device.tsoMaxBytes() == 0 || isLocalAddress(dstIp)) return false;
        int hop = nextHop(dstIp);
        if (hop == 0 || hop == Ipv4Address.BROADCAST || isMulticast(hop)) return false;
        long hw = arp.resolve(hop, clock.nanos());
        if (hw < 0) return false;  // the ARP queue holds MTU-sized frames: an ordinary packet waits there instead
        long buf = device.txAcquireSegmented();
        if (buf < 0) return false;
        openKind = OPEN_SEGMENTED;
        openMemory = device.memory();
        openFrame = buf;
        openNextHop = hop;
        openNextHopMac = hw;
        openAddresses(srcIp, dstIp, Ipv4Header.PROTOCOL_TCP);
        return true;
    }

    @Override
    public void sendSegmented(int l4Length, int segmentSize) {
        if (openKind != OPEN_SEGMENTED) throw new IllegalStateException("no segmented packet is open");
        int max = device.tsoMaxBytes() - Ipv4Header.MIN_LENGTH;
        if (l4Length < 0 || l4Length > max || segmentSize <= 0) {
            throw new IllegalArgumentException("l4Length must be 0.." + max + " and segments positive: " + l4Length + ", " + segmentSize);
        }
        openKind = OPEN_NONE;
        int total = Ipv4Header.MIN_LENGTH + l4Length;
        int frameLength = EthernetFrame.HEADER_LENGTH + total;
        txIp.wrap(openMemory, openFrame + IP_OFFSET, total).emit(openSrc, openDst, openProtocol, total,
                ipId & 0xFFFF, openTtl < 0 ? config.defaultTtl() : openTtl, true, openTos);
        // the device numbers the segments' IPv4 ids upwards from this one
        ipId += Math.max(1, (l4Length + segmentSize - 1) / segmentSize);
        txEth.wrap(openMemory, openFrame, frameLength).destination(openNextHopMac).source(mac).etherType(EthernetFrame.TYPE_IPV4);
        counters.increment(Counter.IPV4_TX);
        device.txSubmitSegmented(openFrame, frameLength, segmentSize);
        counted(frameLength);
    }

    @Override
    public void ipFields(int ttl, int tos, boolean multicastLoop) {
        if (openKind == OPEN_NONE) throw new IllegalStateException("no packet is open");
        openTtl = ttl;
        openTos = tos;
        openLoop = multicastLoop;
    }

    @Override
    public MemorySegment memory() {
        return openMemory;
    }

    @Override
    public long l4Offset() {
        return openFrame + L4_OFFSET;
    }

    @Override
    public int l4Capacity() {
        return openKind == OPEN_SEGMENTED ? device.tsoMaxBytes() - Ipv4Header.MIN_LENGTH : l4CapacityFor();
    }

    private int l4CapacityFor() {
        return mtu - Ipv4Header.MIN_LENGTH;
    }

    @Override
    public void send(int l4Length) {
        send(l4Length, null);
    }

    @Override
    public boolean openIsLocal() {
        return openKind == OPEN_LOCAL;
    }

    @Override
    public void sendLocal(int l4Length, Object payloadSource) {
        if (openKind != OPEN_LOCAL) throw new IllegalStateException("no local packet is open");
        send(l4Length, Objects.requireNonNull(payloadSource, "payloadSource"));
    }

    @Override
    public Object localPayloadSource() {
        return deliveringSource;
    }

    private void send(int l4Length, Object payloadSource) {
        if (openKind == OPEN_NONE || openKind == OPEN_SEGMENTED) throw new IllegalStateException("no packet is open to send whole");
        if (l4Length < 0 || l4Length > l4CapacityFor()) {
            throw new IllegalArgumentException("l4Length must be 0.." + l4CapacityFor() + ": " + l4Length);
        }
        int kind = openKind;
        openKind = OPEN_NONE;
        int total = Ipv4Header.MIN_LENGTH + l4Length;
        int frameLength = EthernetFrame.HEADER_LENGTH + total;
        txIp.wrap(openMemory, openFrame + IP_OFFSET, total).emit(openSrc, openDst, openProtocol, total,
                ipId++ & 0xFFFF, openTtl < 0 ? config.defaultTtl() : openTtl, true, openTos);
        EthernetFrame eth = txEth.wrap(openMemory, openFrame, frameLength).source(mac).etherType(EthernetFrame.TYPE_IPV4);
        counters.increment(Counter.IPV4_TX);
        if (kind == OPEN_LOCAL) {
            eth.destination(mac);
            boolean wasEmpty = local.isEmpty();
            local.commit(frameLength, payloadSource);
            if (wasEmpty && localNotifier != null) localNotifier.run();
            return;
        }
        if (openNextHop == Ipv4Address.BROADCAST) {
            eth.destination(MacAddress.BROADCAST);
            transmit(openFrame, frameLength);
            return;
        }
        if (isMulticast(openNextHop)) {
            eth.destination(MacAddress.ipv4Multicast(openNextHop));
            if (openLoop && multicast.isMember(openNextHop)) loopBack(openFrame, frameLength);
            // a loopback device reaches nobody else: the looped copy above is all there is
            if (device.reflectsTransmit()) device.txRelease(openFrame);
            else transmit(openFrame, frameLength);
            return;
        }
        long now = clock.nanos();
        long hw = arp.resolve(openNextHop, now);
        if (hw >= 0) {
            eth.destination(hw);
            transmit(openFrame, frameLength);
        } else {
            arp.hold(openNextHop, openFrame, frameLength, now);  // copied; the device buffer is given back
        }
    }

    /** A copy of a frame we send to a group this host is a member of, for our own members (IP_MULTICAST_LOOP). */
    private void loopBack(long frame, int frameLength) {
        long slot = local.reserve();
        if (slot < 0) {
            counters.increment(Counter.DROP_TX_NO_BUFFER);
            return;
        }
        MemorySegment.copy(openMemory, frame, local.memory(), slot, frameLength);
        boolean wasEmpty = local.isEmpty();
        local.commit(frameLength, null);
        if (wasEmpty && localNotifier != null) localNotifier.run();
    }

    /** How {@link MulticastGroups} sends IGMP and makes the device's multicast filter follow the joined groups. */
    private final class IgmpOutput implements MulticastGroups.Output {
        @Override
        public void sendIgmp(int dstIp, MemorySegment message, int length) {
            if (device.reflectsTransmit()) return;  // nobody but us on a loopback device: no router to tell
            long buf = acquireTxBuffer();
            if (buf < 0) {
                counters.increment(Counter.DROP_TX_NO_BUFFER);
                return;
            }
            MemorySegment m = device.memory();
            int headerLength = Ipv4Header.MIN_LENGTH + ROUTER_ALERT.length;
            int total = headerLength + length;
            txEth.wrap(m, buf, EthernetFrame.HEADER_LENGTH + total)
                    .destination(MacAddress.ipv4Multicast(dstIp)).source(mac).etherType(EthernetFrame.TYPE_IPV4);
            Ipv4Header ip = txIp.wrap(m, buf + IP_OFFSET, total)
                    .emit(addresses[0], dstIp, PROTOCOL_IGMP, total, ipId++ & 0xFFFF, 1, false);
            NetworkOrder.putU8(m, buf + IP_OFFSET, 0x40 | headerLength / 4);
            MemorySegment.copy(ROUTER_ALERT, 0, m, ValueLayout.JAVA_BYTE,
                    buf + IP_OFFSET + Ipv4Header.MIN_LENGTH, ROUTER_ALERT.length);
            ip.dscpEcn(IGMP_TOS >>> 2, 0).fillChecksum();
            MemorySegment.copy(message, 0, m, buf + IP_OFFSET + headerLength, length);
            counters.increment(Counter.IPV4_TX);
            transmit(buf, EthernetFrame.HEADER_LENGTH + total);
        }

        @Override
        public void membershipChanged() {
            device.multicastFilter(multicast.memberMacs());
        }
    }

    @Override
    public void abort() {
        if (openKind == OPEN_DEVICE || openKind == OPEN_SEGMENTED) device.txRelease(openFrame);
        openKind = OPEN_NONE;  // a reserved local slot is simply not committed
    }

    @Override
    public boolean txChecksumOffload() {
        return device.txChecksumOffload();
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public boolean isLocalAddress(int ip) {
        return isOwnAddress(ip) || (config.loopbackNet() && (ip >>> 24) == 127);
    }

    @Override
    public int sourceAddressFor(int dstIp) {
        for (int i = 0; i < addresses.length; i++) {
            if (((addresses[i] ^ dstIp) & masks[i]) == 0) return addresses[i];
        }
        return addresses[0];
    }

    boolean isOwnAddress(int ip) {
        for (int a : addresses) if (a == ip) return true;
        return false;
    }

    private boolean isSubnetBroadcast(int ip) {
        for (int b : broadcasts) if (b != 0 && b == ip) return true;
        return false;
    }

    private static boolean isMulticast(int ip) {
        return Ipv4Address.isMulticast(ip);
    }

    @Override
    public boolean isBroadcastAddress(int ip) {
        return ip == Ipv4Address.BROADCAST || isSubnetBroadcast(ip);
    }

    /**
     * Who gets the frame: BROADCAST, a multicast group itself (sent to its group MAC, no ARP), the
     * destination itself on a local subnet, the gateway, or 0 for no route.
     */
    private int nextHop(int dst) {
        if (isBroadcastAddress(dst)) return Ipv4Address.BROADCAST;
        if (isMulticast(dst)) return dst;
        if (dst == 0 || (dst >>> 28) == 0xF) return 0;  // 0.0.0.0 and class E are never destinations
        for (int i = 0; i < addresses.length; i++) {
            if (((addresses[i] ^ dst) & masks[i]) == 0) return dst;
        }
        return gateway;
    }

    /**
     * A transmit buffer; when none is free but frames we submitted are still unflushed (a batch in
     * progress), flushing them may give buffers back, so that is tried once before giving up.
     */
    long acquireTxBuffer() {
        long buf = device.txAcquire();
        if (buf < 0 && txDirty) {
            flush();
            buf = device.txAcquire();
        }
        return buf;
    }

    /** Submits a frame; flushed now, or at the end of the processing in progress. */
    void transmit(long frame, int frameLength) {
        device.txSubmit(frame, frameLength);
        counted(frameLength);
    }

    /** Counts a frame submitted to the device; flushed now, or at the end of the processing in progress. */
    private void counted(int frameLength) {
        counters.increment(Counter.TX_FRAMES);
        counters.add(Counter.TX_BYTES, frameLength);
        if (batchDepth == 0) flush();
        else txDirty = true;
    }
}
