package io.dmm.stack.userspace.iface;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.StackCounters;
import io.dmm.stack.userspace.phy.Device;
import io.dmm.stack.userspace.wire.ArpPacket;
import io.dmm.stack.userspace.wire.EthernetFrame;
import io.dmm.stack.userspace.wire.MacAddress;
import java.lang.foreign.MemorySegment;

/**
 * ARP for one {@link Ipv4Interface} (RFC 826, Ethernet/IPv4 only): answers requests for our
 * addresses, learns and refreshes neighbours, resolves next hops for the interface's egress
 * (frames wait in a {@link PendingFrames} arena meanwhile, at most {@code pendingPerAddress} per
 * next hop), retries every {@code arpRetryInterval} and gives up after {@code arpMaxRequests},
 * dropping and counting what waited. Entries are fresh for {@code arpEntryLifetime}; a stale one
 * is still used, and its next use probes it with unicast requests to the known MAC (every
 * {@code arpRetryInterval}, {@code arpMaxRequests} of them) while frames go on to that MAC, as
 * Linux's neighbour states do: a busy peer's entry expiring must not hold its traffic back for a
 * round trip, or drop what overflows the queue meanwhile (at 75,000 frames/s, 50 to 350 segments
 * lost every 60 s, each then waiting for TCP's retransmission timeout). A probe answered refreshes
 * the entry; unanswered, the entry is forgotten and the next use asks by broadcast. A stale entry
 * nobody uses for another lifetime is forgotten. Transmits through its owner, which counts and
 * flushes.
 */
final class ArpResolver {
    private static final int ARP_FRAME_LENGTH = EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH;

    private final Ipv4Interface owner;
    private final Device device;
    private final InterfaceConfig config;
    private final StackCounters counters;
    private final long mac;
    private final ArpCache arp;
    private final PendingFrames pending;
    private final ArpPacket rxArp = new ArpPacket();
    private final EthernetFrame txEth = new EthernetFrame();
    private final ArpPacket txArp = new ArpPacket();

    ArpResolver(Ipv4Interface owner, Device device, InterfaceConfig config, StackCounters counters, int frameMax) {
        this.owner = owner;
        this.device = device;
        this.config = config;
        this.counters = counters;
        this.mac = device.macAddress();
        this.arp = new ArpCache(config.arpCacheSize());
        this.pending = new PendingFrames(config.pendingTotal(), frameMax);
    }

    /** The MAC for next hop {@code ip} if it has answered, else -1 (diagnostics and tests: no probing). */
    long lookup(int ip) {
        return arp.lookup(ip);
    }

    /**
     * The MAC to send a frame for next hop {@code ip} to now, or -1 when it must wait ({@link #hold}).
     * A stale entry is used, and probed from this use on.
     */
    long resolve(int ip, long now) {
        int i = arp.find(ip);
        if (i < 0 || arp.state[i] == ArpCache.INCOMPLETE) return -1;
        if (arp.state[i] == ArpCache.REACHABLE && arp.expiresAt[i] - now <= 0) {
            arp.state[i] = ArpCache.PROBE;
            requestFor(i, now);
        }
        return arp.mac[i];
    }

    /** Frames waiting for resolution (walks a list: diagnostics and tests). */
    int framesWaiting() {
        return config.pendingTotal() - pending.freeSlots();
    }

    /**
     * Retries due requests and probes, gives up on next hops that never answered or stopped
     * answering, forgets entries stale and unused for a lifetime. Returns the earliest next retry,
     * or Long.MAX_VALUE.
     */
    long poll(long now) {
        long next = Long.MAX_VALUE;
        for (int i = 0; i < arp.size(); i++) {
            byte st = arp.state[i];
            if (st == ArpCache.INCOMPLETE || st == ArpCache.PROBE) {
                if (arp.nextRequestAt[i] - now <= 0) retryOrGiveUp(i, now);
                if (arp.state[i] == st) next = Math.min(next, arp.nextRequestAt[i]);
            } else if (st == ArpCache.REACHABLE && arp.expiresAt[i] + config.arpEntryLifetimeNanos() - now <= 0) {
                arp.free(i);
            }
        }
        return next;
    }

    /** RFC 826's packet reception algorithm, for Ethernet/IPv4 only. */
    void ingress(MemorySegment memory, long offset, int length, long now) {
        counters.increment(Counter.ARP_RX);
        ArpPacket p = rxArp.wrap(memory, offset, length);
        if (!p.isValid()) {
            counters.increment(Counter.DROP_ARP_MALFORMED);
            return;
        }
        long sha = p.senderMac();
        int spa = p.senderIp();
        int tpa = p.targetIp();
        if (!MacAddress.isUnicast(sha)) {
            counters.increment(Counter.DROP_ARP_MALFORMED);  // a group sender address would poison the table
            return;
        }
        // spa 0 is an address probe (RFC 5227): nothing to learn, but it still deserves a reply.
        boolean learnable = spa != 0 && !owner.isOwnAddress(spa) && !owner.isBroadcastAddress(spa);
        boolean merged = false;
        if (learnable) {
            int i = arp.find(spa);
            if (i >= 0) {
                resolved(i, sha, now);
                merged = true;
            }
        }
        if (!owner.isOwnAddress(tpa)) return;  // includes gratuitous ARP, which only refreshes (merged above)
        if (learnable && !merged) resolved(newEntry(spa), sha, now);
        // A gratuitous request naming our own address is someone else's announcement, not a question.
        if (p.operation() == ArpPacket.OP_REQUEST && spa != tpa) {
            sendArp(ArpPacket.OP_REPLY, sha, tpa, sha, spa);
            counters.increment(Counter.ARP_REPLIES_SENT);
        }
    }

    /** A mapping learned: refresh it, and if frames were waiting for it, send them in order. */
    private void resolved(int i, long hw, long now) {
        arp.mac[i] = hw;
        arp.expiresAt[i] = now + config.arpEntryLifetimeNanos();
        arp.requestsSent[i] = 0;  // a reachable entry has none out: its probing, if it comes, starts from 0
        if (arp.state[i] != ArpCache.INCOMPLETE) {
            arp.state[i] = ArpCache.REACHABLE;  // a probe answered, or a refresh
            return;
        }
        arp.state[i] = ArpCache.REACHABLE;
        int s = arp.pendingHead[i];
        arp.pendingHead[i] = PendingFrames.NONE;
        arp.pendingTail[i] = PendingFrames.NONE;
        arp.pendingCount[i] = 0;
        while (s != PendingFrames.NONE) {
            int next = pending.next(s);
            long buf = owner.acquireTxBuffer();
            if (buf < 0) {
                counters.increment(Counter.DROP_TX_NO_BUFFER);
            } else {
                int len = pending.length(s);
                MemorySegment.copy(pending.memory(), pending.offset(s), device.memory(), buf, len);
                txEth.wrap(device.memory(), buf, len).destination(hw);
                owner.transmit(buf, len);
            }
            pending.release(s);
            s = next;
        }
    }

    /**
     * Parks a frame until its next hop's MAC is known, asking for it unless a request is already out.
     * Only for a next hop {@link #resolve} gave no MAC for: it has no entry, or an incomplete one.
     */
    void hold(int hop, long frame, int frameLength, long now) {
        int i = arp.find(hop);
        if (i < 0) i = newEntry(hop);
        assert arp.state[i] == ArpCache.INCOMPLETE : "hold() for a next hop resolve() gave a MAC for";
        if (arp.pendingCount[i] >= config.pendingPerAddress()) {
            counters.increment(Counter.DROP_ARP_QUEUE_FULL);
            device.txRelease(frame);
            return;
        }
        int s = pending.store(device.memory(), frame, frameLength);
        device.txRelease(frame);
        if (s == PendingFrames.NONE) {
            counters.increment(Counter.DROP_ARP_QUEUE_FULL);
        } else {
            if (arp.pendingTail[i] == PendingFrames.NONE) arp.pendingHead[i] = s;
            else pending.link(arp.pendingTail[i], s);
            arp.pendingTail[i] = s;
            arp.pendingCount[i]++;
        }
        if (arp.requestsSent[i] == 0) requestFor(i, now);
    }

    /** A table entry for {@code address}, recycling one when none is free (see {@link ArpCache#victim}). */
    private int newEntry(int address) {
        int i = arp.victim();
        if (arp.state[i] == ArpCache.INCOMPLETE) dropPending(i);
        arp.take(i, address);
        return i;
    }

    /** Drops and counts the frames waiting for entry {@code i}: its next hop is given up. */
    private void dropPending(int i) {
        for (int s = arp.pendingHead[i]; s != PendingFrames.NONE; ) {
            int next = pending.next(s);
            pending.release(s);
            counters.increment(Counter.DROP_ARP_UNRESOLVED);
            s = next;
        }
    }

    /**
     * A request for entry {@code i}'s address: broadcast while it is incomplete, unicast to the MAC it
     * holds while it is probed (RFC 1122 2.3.2.1's unicast poll).
     */
    private void requestFor(int i, long now) {
        long to = arp.state[i] == ArpCache.PROBE ? arp.mac[i] : MacAddress.BROADCAST;
        sendArp(ArpPacket.OP_REQUEST, to, owner.sourceAddressFor(arp.ip[i]), MacAddress.ZERO, arp.ip[i]);
        counters.increment(Counter.ARP_REQUESTS_SENT);
        arp.requestsSent[i]++;
        arp.nextRequestAt[i] = now + config.arpRetryIntervalNanos();
    }

    private void retryOrGiveUp(int i, long now) {
        if (arp.requestsSent[i] < config.arpMaxRequests()) {
            requestFor(i, now);
            return;
        }
        if (arp.state[i] == ArpCache.INCOMPLETE) dropPending(i);
        arp.free(i);  // a probed neighbour stopped answering: the next use asks by broadcast
    }

    private void sendArp(int op, long ethDst, int spa, long tha, int tpa) {
        long buf = owner.acquireTxBuffer();
        if (buf < 0) {
            counters.increment(Counter.DROP_TX_NO_BUFFER);
            return;
        }
        MemorySegment m = device.memory();
        txEth.wrap(m, buf, ARP_FRAME_LENGTH).emit(ethDst, mac, EthernetFrame.TYPE_ARP);
        txArp.wrap(m, buf + EthernetFrame.HEADER_LENGTH, ArpPacket.LENGTH).emit(op, mac, spa, tha, tpa);
        owner.transmit(buf, ARP_FRAME_LENGTH);
    }
}
