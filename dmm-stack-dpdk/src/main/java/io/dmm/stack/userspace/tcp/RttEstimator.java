package io.dmm.stack.userspace.tcp;

/**
 * RFC 6298 retransmission timeout: SRTT/RTTVAR from samples, RTO = SRTT + max(G, 4·RTTVAR, min)
 * clamped to [min, max], exponential backoff on timeouts that persists until a new sample (Karn).
 *
 * <p>The floor is added to SRTT, as Linux does ({@code tcp_set_rto}: its variance term is at least
 * {@code tcp_rto_min}), not only a bound on the sum as in RFC 6298 §2.4: with a steady RTT the
 * variance shrinks to nothing, and an RTO of max(min, SRTT) then fires on the first ACK a CPU
 * stall delays by a little more than the RTT (spurious timeouts under load, issue 15).
 *
 * <p>Integer nanosecond arithmetic: alpha = 1/8 and beta = 1/4 are exact shifts of the
 * differences, so no floating point is needed and results are reproducible. Not thread-safe; the
 * engine calls it under the stack lock.
 */
public final class RttEstimator {
    private final long initialRtoNanos;
    private final long minRtoNanos;
    private final long maxRtoNanos;
    private final long granularityNanos;

    private long srtt;
    private long rttvar;
    private boolean hasSample;
    /** The un-backed-off RTO (RFC 6298 §2), clamped. */
    private long baseRto;
    /** The RTO in force, including backoff; kept separately so doubling saturates at max exactly. */
    private long rto;
    private int backoffCount;

    /** {@code granularityNanos} is the clock granularity G. */
    public RttEstimator(long initialRtoNanos, long minRtoNanos, long maxRtoNanos, long granularityNanos) {
        if (minRtoNanos <= 0 || maxRtoNanos < minRtoNanos) {
            throw new IllegalArgumentException("need 0 < minRto <= maxRto, got " + minRtoNanos + ", " + maxRtoNanos);
        }
        if (initialRtoNanos <= 0 || granularityNanos < 0) {
            throw new IllegalArgumentException("need initialRto > 0 and G >= 0, got " + initialRtoNanos + ", " + granularityNanos);
        }
        this.initialRtoNanos = initialRtoNanos;
        this.minRtoNanos = minRtoNanos;
        this.maxRtoNanos = maxRtoNanos;
        this.granularityNanos = granularityNanos;
        // RFC 6298 §2.1: before any sample the RTO is the initial value; §2.4/2.5 bounds still apply.
        this.baseRto = clamp(initialRtoNanos);
        this.rto = baseRto;
    }

    /** A measured RTT (never from a retransmitted segment); clears the backoff. */
    public void sample(long rttNanos) {
        if (rttNanos < 0) {
            return; // a clock anomaly is not a measurement
        }
        if (!hasSample) {
            srtt = rttNanos;          // §2.2
            rttvar = rttNanos >> 1;
            hasSample = true;
        } else {
            long err = srtt - rttNanos; // §2.3: RTTVAR uses the old SRTT, so update it first
            rttvar += (Math.abs(err) - rttvar) >> 2;
            srtt += (rttNanos - srtt) >> 3;
        }
        long k = rttvar > Long.MAX_VALUE / 8 ? Long.MAX_VALUE / 2 : 4 * rttvar;
        long candidate = srtt + Math.max(Math.max(granularityNanos, k), minRtoNanos);
        if (candidate < 0) {
            candidate = Long.MAX_VALUE; // overflow: clamp handles it
        }
        baseRto = clamp(candidate);
        rto = baseRto;
        backoffCount = 0; // §5.7 "the backed-off RTO persists until a new sample"
    }

    /** The current RTO including backoff. */
    public long rtoNanos() {
        return rto;
    }

    /** Doubles the RTO (up to max) after a retransmission timeout. */
    public void backoff() {
        rto = rto > maxRtoNanos / 2 ? maxRtoNanos : Math.max(minRtoNanos, rto * 2);
        if (backoffCount < Integer.MAX_VALUE) {
            backoffCount++;
        }
    }

    public int backoffCount() {
        return backoffCount;
    }

    /** Smoothed RTT, or 0 before the first sample. */
    public long srttNanos() {
        return srtt;
    }

    public long rttvarNanos() {
        return rttvar;
    }

    public boolean hasSample() {
        return hasSample;
    }

    /** The initial RTO this estimator was configured with (before clamping). */
    public long initialRtoNanos() {
        return initialRtoNanos;
    }

    private long clamp(long v) {
        return Math.min(maxRtoNanos, Math.max(minRtoNanos, v));
    }
}
