package io.dmm.stack.userspace.tcp;

/**
 * RFC 5681 slow start and congestion avoidance (appropriate byte counting, RFC 3465 L=2), RFC 6582 NewReno recovery arithmetic.
 *
 * <p>CONTRACT SKELETON.
 */
public final class NewReno implements CongestionControl {
    public NewReno(int mss, int initialCwndSegments) { throw new UnsupportedOperationException("tcp-algo"); }
    @Override public String name() { throw new UnsupportedOperationException("tcp-algo"); }
    @Override public long cwnd() { throw new UnsupportedOperationException("tcp-algo"); }
    @Override public long ssthresh() { throw new UnsupportedOperationException("tcp-algo"); }
    @Override public void onAck(long ackedBytes, long bytesInFlight, long nowNanos, long srttNanos) { throw new UnsupportedOperationException("tcp-algo"); }
    @Override public void onEnterRecovery(long bytesInFlight, long nowNanos) { throw new UnsupportedOperationException("tcp-algo"); }
    @Override public void onDupAckInRecovery() { throw new UnsupportedOperationException("tcp-algo"); }
    @Override public void onPartialAck(long ackedBytes) { throw new UnsupportedOperationException("tcp-algo"); }
    @Override public void onExitRecovery(long bytesInFlight) { throw new UnsupportedOperationException("tcp-algo"); }
    @Override public void onTimeout(long bytesInFlight, long nowNanos) { throw new UnsupportedOperationException("tcp-algo"); }
    @Override public void onIdleRestart(long nowNanos) { throw new UnsupportedOperationException("tcp-algo"); }
}
