package io.dmm.stack.userspace.tcp;

/**
 * The congestion window of one connection (RFC 5681 and an algorithm's growth rule). Byte-counted.
 * The engine decides when recovery starts and ends (RFC 6582's "recover" point, SACK); this object
 * only does the window arithmetic.
 */
public interface CongestionControl {
    String name();
    long cwnd();
    long ssthresh();
    /** New data was cumulatively acknowledged outside recovery: grow (slow start or avoidance). */
    void onAck(long ackedBytes, long bytesInFlight, long nowNanos, long srttNanos);
    /** Loss detected by duplicate ACKs or SACK: ssthresh from the flight size, cwnd = ssthresh + 3·MSS. */
    void onEnterRecovery(long bytesInFlight, long nowNanos);
    /** A further duplicate ACK during recovery: inflate by one MSS. */
    void onDupAckInRecovery();
    /** A partial ACK during recovery (RFC 6582): deflate by the bytes acked, then add back one MSS. */
    void onPartialAck(long ackedBytes);
    /** Recovery ended (a full ACK): cwnd = min(ssthresh, flight + MSS). */
    void onExitRecovery(long bytesInFlight);
    /** Retransmission timeout: ssthresh from the flight size, cwnd = one MSS (the loss window). */
    void onTimeout(long bytesInFlight, long nowNanos);
    /**
     * The last loss response was spurious (RFC 4015): back to at least the window and threshold
     * from before it, as Linux's undo does.
     */
    void undo(long priorCwnd, long priorSsthresh);
    /** After an idle period longer than the RTO (RFC 5681 §4.1): cwnd = min(cwnd, restart window). */
    void onIdleRestart(long nowNanos);

    static CongestionControl create(TcpConfig.Congestion kind, int mss, int initialCwndSegments) {
        return switch (kind) {
            case NEWRENO -> new NewReno(mss, initialCwndSegments);
            case CUBIC -> new Cubic(mss, initialCwndSegments);
        };
    }
}
