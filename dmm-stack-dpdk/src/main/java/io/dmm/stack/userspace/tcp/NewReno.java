package io.dmm.stack.userspace.tcp;

/**
 * RFC 5681 slow start and congestion avoidance (appropriate byte counting, RFC 3465 L=2), RFC 6582 NewReno recovery arithmetic.
 *
 * <p>Byte counting rather than ACK counting so that delayed or stretch ACKs (and ACK division by
 * a misbehaving receiver) neither slow down nor inflate growth. Not thread-safe; used under the
 * stack lock.
 */
public final class NewReno implements CongestionControl {
    /** RFC 5681 §3.1: the initial ssthresh "MAY be arbitrarily high"; this leaves headroom for sums. */
    static final long INITIAL_SSTHRESH = Long.MAX_VALUE / 4;
    /** RFC 3465 limit L, in segments, on how much one ACK may grow cwnd in slow start. */
    private static final int ABC_LIMIT_SEGMENTS = 2;

    private final long mss;
    private final long initialWindow;
    private long cwnd;
    private long ssthresh = INITIAL_SSTHRESH;
    /** Congestion avoidance: acknowledged bytes not yet converted into one MSS of growth. */
    private long bytesAcked;

    public NewReno(int mss, int initialCwndSegments) {
        if (mss <= 0 || initialCwndSegments <= 0) {
            throw new IllegalArgumentException("mss and initialCwndSegments must be positive: " + mss + ", " + initialCwndSegments);
        }
        this.mss = mss;
        this.initialWindow = (long) initialCwndSegments * mss;
        this.cwnd = initialWindow;
    }

    @Override public String name() { return "newreno"; }
    @Override public long cwnd() { return cwnd; }
    @Override public long ssthresh() { return ssthresh; }

    @Override
    public void onAck(long ackedBytes, long bytesInFlight, long nowNanos, long srttNanos) {
        if (ackedBytes <= 0) {
            return;
        }
        if (cwnd < ssthresh) {
            cwnd += Math.min(ackedBytes, ABC_LIMIT_SEGMENTS * mss);
            return;
        }
        // RFC 3465 §2.1: one MSS of growth per cwnd's worth of acknowledged bytes.
        bytesAcked += ackedBytes;
        if (bytesAcked >= cwnd) {
            bytesAcked -= cwnd;
            cwnd += mss;
        }
    }

    @Override
    public void onEnterRecovery(long bytesInFlight, long nowNanos) {
        ssthresh = lossSsthresh(bytesInFlight);
        cwnd = ssthresh + 3 * mss;
        bytesAcked = 0;
    }

    @Override
    public void onDupAckInRecovery() {
        cwnd += mss;
    }

    @Override
    public void onPartialAck(long ackedBytes) {
        // RFC 6582 §3.2 step 5: deflate by what left the network, re-add one MSS if at least one
        // MSS was acknowledged, so about ssthresh stays in flight while holes are repaired.
        cwnd = Math.max(mss, cwnd - Math.max(0, ackedBytes));
        if (ackedBytes >= mss) {
            cwnd += mss;
        }
    }

    @Override
    public void onExitRecovery(long bytesInFlight) {
        // RFC 6582 §3.2 step 3 option 1, guarded against a tiny flight causing a burst-free but empty window.
        cwnd = Math.min(ssthresh, Math.max(bytesInFlight, mss) + mss);
        bytesAcked = 0;
    }

    @Override
    public void onTimeout(long bytesInFlight, long nowNanos) {
        ssthresh = lossSsthresh(bytesInFlight);
        cwnd = mss; // RFC 5681 §3.1: the loss window
        bytesAcked = 0;
    }

    @Override
    public void undo(long priorCwnd, long priorSsthresh) {
        cwnd = Math.max(cwnd, priorCwnd);
        bytesAcked = 0;
        ssthresh = Math.max(ssthresh, priorSsthresh);
    }

    @Override
    public void onIdleRestart(long nowNanos) {
        cwnd = Math.min(cwnd, initialWindow);
    }

    /** RFC 5681 equation (4). */
    private long lossSsthresh(long bytesInFlight) {
        return Math.max(Math.max(0, bytesInFlight) / 2, 2 * mss);
    }
}
