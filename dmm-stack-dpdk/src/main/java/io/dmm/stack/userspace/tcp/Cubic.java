package io.dmm.stack.userspace.tcp;

/**
 * CUBIC (RFC 9438): cubic window growth in congestion avoidance, beta 0.7, fast convergence, TCP-friendly region; slow start as Reno.
 *
 * <p>Growth is computed in segments and seconds as in the RFC, with doubles (a handful of
 * operations per ACK, no allocation). The window is kept as a double number of bytes so that the
 * fractional per-ACK increments of congestion avoidance are not lost to truncation. Not
 * thread-safe; used under the stack lock.
 */
public final class Cubic implements CongestionControl {
    /** RFC 9438 §5: C = 0.4 (segments / second^3). */
    static final double C = 0.4;
    /** RFC 9438 §4.6: multiplicative decrease factor. */
    static final double BETA = 0.7;
    /** RFC 9438 §4.3: the Reno-friendly additive increase that matches Reno's average rate with beta 0.7. */
    static final double ALPHA = 3 * (1 - BETA) / (1 + BETA);
    private static final int ABC_LIMIT_SEGMENTS = 2;

    private final long mss;
    private final double mssD;
    private final long initialWindow;

    private double cwnd;
    private long ssthresh = NewReno.INITIAL_SSTHRESH;

    /** Window (segments) just before the last reduction; 0 before any congestion event. */
    private double wMax;
    /** Start of the current congestion-avoidance epoch, valid when {@link #epochActive}. */
    private long epochStartNanos;
    private boolean epochActive;
    /** Time (seconds) from the epoch start at which W_cubic reaches W_max. */
    private double k;
    /** The Reno-friendly estimate (segments). */
    private double wEst;

    public Cubic(int mss, int initialCwndSegments) {
        if (mss <= 0 || initialCwndSegments <= 0) {
            throw new IllegalArgumentException("mss and initialCwndSegments must be positive: " + mss + ", " + initialCwndSegments);
        }
        this.mss = mss;
        this.mssD = mss;
        this.initialWindow = (long) initialCwndSegments * mss;
        this.cwnd = initialWindow;
    }

    @Override public String name() { return "cubic"; }
    @Override public long cwnd() { return (long) cwnd; }
    @Override public long ssthresh() { return ssthresh; }

    /** W_max in segments (tests and diagnostics). */
    public double wMaxSegments() { return wMax; }

    /** K in seconds for the current epoch (tests and diagnostics). */
    public double kSeconds() { return k; }

    /** RFC 9438 equation (1): W_cubic(t) in segments, t in seconds since the epoch start. */
    public double wCubic(double tSeconds) {
        double d = tSeconds - k;
        return C * d * d * d + wMax;
    }

    @Override
    public void onAck(long ackedBytes, long bytesInFlight, long nowNanos, long srttNanos) {
        if (ackedBytes <= 0) {
            return;
        }
        if (cwnd < ssthresh) {
            cwnd += Math.min(ackedBytes, ABC_LIMIT_SEGMENTS * mss);
            return;
        }
        double cwndSeg = cwnd / mssD;
        if (!epochActive) {
            startEpoch(nowNanos, cwndSeg);
        }
        double segmentsAcked = ackedBytes / mssD;
        double t = (nowNanos - epochStartNanos) / 1e9;
        double rtt = Math.max(0, srttNanos) / 1e9;

        // §4.3: the Reno-friendly estimate; once it has passed W_max, Reno's own alpha of 1 applies.
        double alpha = wEst >= wMax ? 1.0 : ALPHA;
        wEst += alpha * segmentsAcked / cwndSeg;

        double cubicNow = wCubic(t);
        if (cubicNow < wEst) {
            cwndSeg = Math.max(cwndSeg, wEst);
        } else {
            // §4.4/4.5: aim at W_cubic one RTT ahead, never shrink, at most 1.5x per RTT.
            double target = wCubic(t + rtt);
            if (target < cwndSeg) {
                target = cwndSeg;
            } else if (target > 1.5 * cwndSeg) {
                target = 1.5 * cwndSeg;
            }
            // A stretch ACK covering more than a window must not overshoot the target.
            cwndSeg = Math.min(target, cwndSeg + (target - cwndSeg) / cwndSeg * segmentsAcked);
        }
        cwnd = cwndSeg * mssD;
    }

    private void startEpoch(long nowNanos, double cwndSeg) {
        epochActive = true;
        epochStartNanos = nowNanos;
        if (wMax < cwndSeg) {
            // No reduction below this point was ever seen (e.g. slow start ended at ssthresh
            // above the old W_max): the plateau is where we are now.
            wMax = cwndSeg;
        }
        k = Math.cbrt((wMax - cwndSeg) / C); // §4.2 equation (2) with cwnd_epoch
        wEst = cwndSeg;
    }

    /** §4.6/4.7: remember W_max (with fast convergence) and set ssthresh from cwnd·beta. */
    private void reduce() {
        double cwndSeg = cwnd / mssD;
        if (cwndSeg < wMax) {
            wMax = cwndSeg * (1 + BETA) / 2; // the flow is losing share: release bandwidth sooner
        } else {
            wMax = cwndSeg;
        }
        ssthresh = Math.max((long) (cwnd * BETA), 2 * mss);
        epochActive = false;
    }

    @Override
    public void onEnterRecovery(long bytesInFlight, long nowNanos) {
        reduce();
        cwnd = ssthresh + 3 * mss;
    }

    @Override
    public void onDupAckInRecovery() {
        cwnd += mss;
    }

    @Override
    public void onPartialAck(long ackedBytes) {
        cwnd = Math.max(mssD, cwnd - Math.max(0, ackedBytes));
        if (ackedBytes >= mss) {
            cwnd += mss;
        }
    }

    @Override
    public void onExitRecovery(long bytesInFlight) {
        cwnd = Math.min(ssthresh, Math.max(bytesInFlight, mss) + mss);
        epochActive = false;
    }

    @Override
    public void onTimeout(long bytesInFlight, long nowNanos) {
        reduce();
        cwnd = mss;
    }

    @Override
    public void undo(long priorCwnd, long priorSsthresh) {
        cwnd = Math.max(cwnd, (double) priorCwnd);
        epochActive = false;  // growth starts a fresh epoch from the restored window
        ssthresh = Math.max(ssthresh, priorSsthresh);
    }

    @Override
    public void onIdleRestart(long nowNanos) {
        cwnd = Math.min(cwnd, initialWindow);
        // Idle time must not count as growth time (RFC 9438 §5.8): start a fresh epoch later.
        epochActive = false;
    }
}
