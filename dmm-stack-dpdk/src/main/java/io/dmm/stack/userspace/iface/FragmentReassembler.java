package io.dmm.stack.userspace.iface;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.StackCounters;
import io.dmm.stack.userspace.wire.Ipv4Header;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Puts fragmented IPv4 datagrams back together (RFC 791 section 3.2, "fragment block bit table":
 * one bit per 8-byte block, which is what RFC 815's hole list tracks, without its list surgery).
 *
 * <p>Memory is bounded: a fixed number of slots, each a 64 KiB buffer allocated the first time the
 * slot is used and kept, so steady-state reassembly allocates nothing. A slot holds the first
 * fragment's header right before the payload, so a finished datagram is contiguous and can be
 * handed up like any other. When every slot is busy the oldest datagram is given up.
 *
 * <p>Overlaps: a fragment that repeats bytes already received is accepted only if it repeats them
 * exactly (a duplicate). Different bytes for the same offset, a second end, or data beyond the end
 * poison the whole datagram (RFC 5722's rule for IPv6, applied to IPv4 as Linux and FreeBSD do):
 * it and every later fragment of it are dropped until its timeout frees the slot, so an attacker
 * cannot choose which copy of overlapping bytes the transport sees.
 */
final class FragmentReassembler {
    static final int HELD = -1;
    static final int DROPPED = -2;

    /** Room for the longest header in front of the payload. */
    private static final int HEADER_ROOM = Ipv4Header.MAX_LENGTH;
    /** The largest payload a 65535-byte datagram with a minimal header can carry. */
    private static final int MAX_PAYLOAD = Ipv4Header.MAX_TOTAL_LENGTH - Ipv4Header.MIN_LENGTH;
    private static final int BLOCKS = (MAX_PAYLOAD + 7) / 8;

    private final StackCounters counters;
    private final Ipv4Header header = new Ipv4Header();
    private final long timeoutNanos;
    private final MemorySegment[] buffers;
    private final long[][] received;
    private final boolean[] inUse;
    private final boolean[] poisoned;
    private final boolean[] allVerified;
    private final int[] src;
    private final int[] dst;
    private final int[] protocol;
    private final int[] id;
    private final long[] deadline;
    /** Payload length once the last fragment (MF clear) arrived, else -1. */
    private final int[] payloadLength;
    /** The highest end of any fragment so far, to catch a last fragment that ends too early. */
    private final int[] maxEnd;
    private final int[] blocksReceived;
    /** The first fragment's header length, 0 until it arrives. */
    private final int[] headerLength;

    FragmentReassembler(int slots, long timeoutNanos, StackCounters counters) {
        this.counters = counters;
        this.timeoutNanos = timeoutNanos;
        buffers = new MemorySegment[slots];
        received = new long[slots][(BLOCKS + 63) / 64];
        inUse = new boolean[slots];
        poisoned = new boolean[slots];
        allVerified = new boolean[slots];
        src = new int[slots];
        dst = new int[slots];
        protocol = new int[slots];
        id = new int[slots];
        deadline = new long[slots];
        payloadLength = new int[slots];
        maxEnd = new int[slots];
        blocksReceived = new int[slots];
        headerLength = new int[slots];
    }

    /**
     * Takes one valid fragment. Returns the slot of the datagram it completed (read it with
     * {@link #memory}, {@link #datagramOffset}, {@link #datagramLength}, then {@link #release} it),
     * {@link #HELD} while incomplete, or {@link #DROPPED} (counted).
     */
    int accept(Ipv4Header ip, boolean checksumsVerified, long now) {
        int off = ip.fragmentOffset();
        int len = ip.payloadLength();
        boolean more = ip.moreFragments();
        int end = off + len;
        if ((more && (len == 0 || (len & 7) != 0)) || end > MAX_PAYLOAD) {
            counters.increment(Counter.DROP_IPV4_FRAGMENT);  // middle pieces come in whole blocks; no datagram exceeds 64 KiB
            return DROPPED;
        }
        int s = find(ip.source(), ip.destination(), ip.protocol(), ip.identification());
        if (s < 0) s = open(ip, now);
        if (poisoned[s]) {
            counters.increment(Counter.DROP_IPV4_FRAGMENT);
            return DROPPED;
        }
        if (!consistent(s, ip, off, end, more)) {
            poison(s);
            return DROPPED;
        }
        MemorySegment buf = buffers[s];
        MemorySegment.copy(ip.memory(), ip.payloadOffset(), buf, HEADER_ROOM + off, len);
        long[] bits = received[s];
        for (int b = off >>> 3, last = (end - 1) >>> 3; len > 0 && b <= last; b++) {
            long bit = 1L << (b & 63);
            if ((bits[b >>> 6] & bit) == 0) {
                bits[b >>> 6] |= bit;
                blocksReceived[s]++;
            }
        }
        if (end > maxEnd[s]) maxEnd[s] = end;
        if (!more) payloadLength[s] = end;
        allVerified[s] &= checksumsVerified;
        if (off == 0) {
            int hl = ip.headerLength();
            headerLength[s] = hl;
            MemorySegment.copy(ip.memory(), ip.offset(), buf, HEADER_ROOM - hl, hl);
        }
        int total = payloadLength[s];
        if (total < 0 || headerLength[s] == 0 || blocksReceived[s] != (total + 7) >>> 3) return HELD;
        Ipv4Header h = header.wrap(buf, HEADER_ROOM - headerLength[s], headerLength[s] + total);
        h.totalLength(headerLength[s] + total).fragment(h.dontFragment(), false, 0).fillChecksum();
        counters.increment(Counter.IPV4_FRAGMENTS_REASSEMBLED);
        return s;
    }

    /**
     * Whether the fragment agrees with what the slot already holds: it ends where the known end is
     * (or before it, for a middle piece), and bytes it repeats are the same bytes.
     */
    private boolean consistent(int s, Ipv4Header ip, int off, int end, boolean more) {
        int total = payloadLength[s];
        if (!more) {
            if (total >= 0 && total != end) return false;
            if (maxEnd[s] > end) return false;
        } else if (total >= 0 && end > total) {
            return false;
        }
        if (end == off) return true;
        long[] bits = received[s];
        MemorySegment buf = buffers[s];
        for (int b = off >>> 3, last = (end - 1) >>> 3; b <= last; b++) {
            if ((bits[b >>> 6] & (1L << (b & 63))) == 0) continue;
            int from = Math.max(off, b << 3);
            int to = Math.min(end, (b << 3) + 8);
            if (total >= 0) to = Math.min(to, total);
            long srcStart = ip.payloadOffset() + (from - off);
            if (to > from && MemorySegment.mismatch(ip.memory(), srcStart, srcStart + (to - from),
                    buf, HEADER_ROOM + from, HEADER_ROOM + to) != -1) {
                return false;
            }
        }
        return true;
    }

    private int find(int s, int d, int p, int ident) {
        for (int i = 0; i < inUse.length; i++) {
            if (inUse[i] && id[i] == ident && src[i] == s && dst[i] == d && protocol[i] == p) return i;
        }
        return -1;
    }

    private int open(Ipv4Header ip, long now) {
        int slot = -1;
        for (int i = 0; i < inUse.length; i++) {
            if (!inUse[i]) {
                slot = i;
                break;
            }
            if (slot < 0 || deadline[i] < deadline[slot]) slot = i;
        }
        if (inUse[slot] && !poisoned[slot]) counters.increment(Counter.DROP_IPV4_FRAGMENT);  // gave up the oldest
        if (buffers[slot] == null) buffers[slot] = Arena.ofAuto().allocate(HEADER_ROOM + MAX_PAYLOAD, 8);
        inUse[slot] = true;
        poisoned[slot] = false;
        allVerified[slot] = true;
        src[slot] = ip.source();
        dst[slot] = ip.destination();
        protocol[slot] = ip.protocol();
        id[slot] = ip.identification();
        deadline[slot] = now + timeoutNanos;
        payloadLength[slot] = -1;
        maxEnd[slot] = 0;
        blocksReceived[slot] = 0;
        headerLength[slot] = 0;
        java.util.Arrays.fill(received[slot], 0L);
        return slot;
    }

    private void poison(int s) {
        poisoned[s] = true;
        counters.increment(Counter.DROP_IPV4_FRAGMENT);
    }

    MemorySegment memory(int slot) {
        return buffers[slot];
    }

    /** Where the reassembled datagram's IPv4 header starts in {@link #memory}. */
    long datagramOffset(int slot) {
        return HEADER_ROOM - headerLength[slot];
    }

    /** Of a complete datagram. */
    int datagramLength(int slot) {
        return headerLength[slot] + payloadLength[slot];
    }

    /** Whether every fragment came with the device's checksum guarantee. */
    boolean checksumsVerified(int slot) {
        return allVerified[slot];
    }

    void release(int slot) {
        inUse[slot] = false;
    }

    /**
     * A datagram whose time is over, or -1. It stays held (so its first fragment can be quoted in
     * a time exceeded message) until the caller {@link #release}s it; counted here unless it was
     * already dropped as poisoned.
     */
    int nextExpired(long now) {
        for (int i = 0; i < inUse.length; i++) {
            if (inUse[i] && deadline[i] - now <= 0) {
                if (!poisoned[i]) counters.increment(Counter.DROP_IPV4_REASSEMBLY_TIMEOUT);
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether an expired datagram deserves an ICMP time exceeded (RFC 1122 3.3.2: only when
     * fragment zero arrived, whose header and first 8 bytes are then at {@link #datagramOffset}).
     */
    boolean quotable(int slot) {
        return !poisoned[slot] && headerLength[slot] != 0;
    }

    /** The earliest timeout, or Long.MAX_VALUE with nothing in progress. */
    long nextDeadline() {
        long d = Long.MAX_VALUE;
        for (int i = 0; i < inUse.length; i++) if (inUse[i] && deadline[i] < d) d = deadline[i];
        return d;
    }
}
