package io.dmm.stack.userspace.tcp;

/**
 * CUBIC (RFC 9438): cubic window growth in congestion avoidance, beta 0.7, fast convergence, TCP-friendly region; slow start as Reno.
 *
 * <p>CONTRACT SKELETON.
 */
public final class Cubic implements CongestionControl {
    public Cubic(int mss, int initialCwndSegments) { throw new UnsupportedOperationException("tcp-algo"); }
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
