package io.dmm.stack.userspace.tcp;

/**
 * SYN cookies as Linux makes them (RFC 4987 §3.6): when a listener's SYN queue is full, the
 * SYN-ACK's ISN carries everything needed to build the connection from the handshake's final ACK,
 * so a flood of spoofed SYNs costs no memory.
 *
 * <p>cookie = H1(tuple) + peer ISN + (counter &lt;&lt; 24) + ((H2(tuple, counter) + MSS index) mod 2^24),
 * H1 and H2 keyed SipHash-2-4 ({@link IsnGenerator#tupleHash}) under secrets of the stack instance,
 * the counter a coarse clock ticking every {@link #PERIOD_NANOS}. A cookie is valid in the period it
 * was made and the next one. The peer's window scale and SACK-permitted cannot fit in the ISN; when
 * the SYN had timestamps they travel in the low bits of our TSval and come back in the ACK's TSecr.
 */
final class SynCookies {
    /** The counter's period: Linux's 60 s. */
    static final long PERIOD_NANOS = 60_000_000_000L;
    /** The MSS values a cookie can say (Linux's IPv4 msstab); the peer's is rounded down to one of them. */
    static final int[] MSS_TABLE = {536, 1300, 1440, 1460};
    /** How many periods a cookie stays valid (Linux's MAX_SYNCOOKIE_AGE): the current and the previous. */
    private static final int MAX_AGE = 2;
    private static final int COUNTER_SHIFT = 24;
    private static final int LOW_MASK = (1 << COUNTER_SHIFT) - 1;
    /** TSval low bits that carry options (Linux's TSBITS / TSMASK). */
    static final int TS_OPTION_BITS = 6;
    private static final int TS_OPTION_MASK = (1 << TS_OPTION_BITS) - 1;
    /** Window scale field of the TSval options; all ones: the peer sent no window scale. */
    private static final int TS_WSCALE_MASK = 0xF;
    private static final int TS_SACK = 0x10;
    /** Linux's ECN bit: never set by us, as the stack does no ECN. */
    private static final int TS_ECN = 0x20;

    private final long key0;
    private final long key1;

    SynCookies(long key0, long key1) {
        this.key0 = key0;
        this.key1 = key1;
    }

    /** The ISN for a SYN-ACK to the SYN {@code peerIsn} from {@code remoteIp:remotePort} that announced {@code peerMss}. */
    int cookie(int localIp, int localPort, int remoteIp, int remotePort, int peerIsn, int peerMss, long now) {
        int counter = counter(now);
        return hash1(localIp, localPort, remoteIp, remotePort) + peerIsn + (counter << COUNTER_SHIFT)
                + ((hash2(localIp, localPort, remoteIp, remotePort, counter) + mssIndex(peerMss)) & LOW_MASK);
    }

    /**
     * The MSS encoded in {@code cookie} (the final ACK's ack - 1, for the peer ISN seq - 1), or -1 if
     * it is not a cookie of ours from this period or the previous one.
     */
    int check(int localIp, int localPort, int remoteIp, int remotePort, int peerIsn, int cookie, long now) {
        int rest = cookie - hash1(localIp, localPort, remoteIp, remotePort) - peerIsn;
        int counter = counter(now);
        int age = (counter - (rest >>> COUNTER_SHIFT)) & (0xFFFF_FFFF >>> COUNTER_SHIFT);
        if (age >= MAX_AGE) return -1;
        int index = (rest - hash2(localIp, localPort, remoteIp, remotePort, counter - age)) & LOW_MASK;
        return index < MSS_TABLE.length ? MSS_TABLE[index] : -1;
    }

    private static int counter(long now) {
        return (int) Math.floorDiv(now, PERIOD_NANOS);
    }

    /** The largest table entry not above the peer's MSS (the smallest if the peer's is below them all). */
    static int mssIndex(int peerMss) {
        int i = MSS_TABLE.length - 1;
        while (i > 0 && MSS_TABLE[i] > peerMss) i--;
        return i;
    }

    private int hash1(int localIp, int localPort, int remoteIp, int remotePort) {
        return (int) IsnGenerator.tupleHash(key0, key1, localIp, localPort, remoteIp, remotePort);
    }

    private int hash2(int localIp, int localPort, int remoteIp, int remotePort, int counter) {
        return (int) IsnGenerator.tupleHash(key1, key0 + counter, localIp, localPort, remoteIp, remotePort);
    }

    /**
     * Our TSval {@code tsNow} with its low bits replaced by the options (peer window scale, or -1 for
     * none; SACK-permitted), moved back a step if that put it ahead of the clock, as Linux does.
     */
    static int encodeTsOptions(int tsNow, int peerWindowScale, boolean sack) {
        int options = (peerWindowScale >= 0 ? Math.min(peerWindowScale, 14) : TS_WSCALE_MASK) | (sack ? TS_SACK : 0);
        int ts = (tsNow & ~TS_OPTION_MASK) | options;
        if (SeqNum.gt(ts, tsNow)) ts -= 1 << TS_OPTION_BITS;
        return ts;
    }

    /** Whether the ACK's TSecr has option bits we could have sent (Linux rejects ECN it did not offer). */
    static boolean optionsValid(int tsEcr) {
        return (tsEcr & TS_ECN) == 0;
    }

    /** The peer's window scale from the ACK's TSecr, or -1 for none. */
    static int windowScale(int tsEcr) {
        int ws = tsEcr & TS_WSCALE_MASK;
        return ws == TS_WSCALE_MASK ? -1 : ws;
    }

    /** Whether the peer offered SACK, from the ACK's TSecr. */
    static boolean sackPermitted(int tsEcr) {
        return (tsEcr & TS_SACK) != 0;
    }
}
