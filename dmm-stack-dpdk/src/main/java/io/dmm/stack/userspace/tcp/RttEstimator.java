package io.dmm.stack.userspace.tcp;

/**
 * RFC 6298 retransmission timeout: SRTT/RTTVAR from samples, RTO = SRTT + max(G, 4·RTTVAR) clamped
 * to [min, max], exponential backoff on timeouts that persists until a new sample (Karn).
 *
 * <p>CONTRACT SKELETON.
 */
public final class RttEstimator {
    /** {@code granularityNanos} is the clock granularity G. */
    public RttEstimator(long initialRtoNanos, long minRtoNanos, long maxRtoNanos, long granularityNanos) { throw new UnsupportedOperationException("tcp-algo"); }
    /** A measured RTT (never from a retransmitted segment); clears the backoff. */
    public void sample(long rttNanos) { throw new UnsupportedOperationException("tcp-algo"); }
    /** The current RTO including backoff. */
    public long rtoNanos() { throw new UnsupportedOperationException("tcp-algo"); }
    /** Doubles the RTO (up to max) after a retransmission timeout. */
    public void backoff() { throw new UnsupportedOperationException("tcp-algo"); }
    public int backoffCount() { throw new UnsupportedOperationException("tcp-algo"); }
    /** Smoothed RTT, or 0 before the first sample. */
    public long srttNanos() { throw new UnsupportedOperationException("tcp-algo"); }
    public long rttvarNanos() { throw new UnsupportedOperationException("tcp-algo"); }
    public boolean hasSample() { throw new UnsupportedOperationException("tcp-algo"); }
}
