package io.dmm.stack.userspace.tcp;

/**
 * The sender's record of what the peer reported with SACK blocks (RFC 2018, RFC 6675): ranges of
 * sequence space above SND.UNA known received. Answers which holes to retransmit and how much is
 * in flight (pipe). Sequence numbers are absolute, compared with {@link SeqNum}. Allocation-free.
 *
 * <p>CONTRACT SKELETON.
 */
public final class SackScoreboard {
    public SackScoreboard() { throw new UnsupportedOperationException("tcp-algo"); }
    /** Records a SACK block [left, right) (ignored if not above sndUna or beyond sndMax). */
    public void onSack(int left, int right, int sndUna, int sndMax) { throw new UnsupportedOperationException("tcp-algo"); }
    /** Forgets everything at or below the new cumulative ACK. */
    public void onCumulativeAck(int sndUna) { throw new UnsupportedOperationException("tcp-algo"); }
    public void clear() { throw new UnsupportedOperationException("tcp-algo"); }
    public boolean isEmpty() { throw new UnsupportedOperationException("tcp-algo"); }
    public boolean isSacked(int seq) { throw new UnsupportedOperationException("tcp-algo"); }
    /** Bytes SACKed above sndUna. */
    public long sackedBytes() { throw new UnsupportedOperationException("tcp-algo"); }
    /** The highest SACKed sequence number (exclusive end), or sndUna if none. */
    public int highestSacked(int sndUna) { throw new UnsupportedOperationException("tcp-algo"); }
    /**
     * The start of the first un-SACKed hole at or after {@code from} that lies below the highest
     * SACKed byte (RFC 6675 IsLost simplified), or {@code -1L} if none; {@code holeEnd[0]} gets its end.
     */
    public long nextHole(int from, int sndUna, int[] holeEnd) { throw new UnsupportedOperationException("tcp-algo"); }
}
