package io.dmm.stack.userspace.tcp;

/**
 * The sender's record of what the peer reported with SACK blocks (RFC 2018, RFC 6675): ranges of
 * sequence space above SND.UNA known received. Answers which holes to retransmit and how much is
 * in flight (pipe). Sequence numbers are absolute, compared with {@link SeqNum}. Allocation-free.
 *
 * <p>Kept as a small sorted array of disjoint, non-adjacent ranges: a receiver reports at most
 * four blocks per ACK and a window holds few holes in practice, so linear scans beat any tree. All
 * ranges lie within (SND.UNA, SND.MAX], less than 2^31 apart, so signed-difference comparison
 * orders them correctly across the 2^32 wrap. If the array is full, the highest range is
 * forgotten: losing SACK information only costs a spurious retransmission, never correctness.
 */
public final class SackScoreboard {
    /** Maximum number of disjoint ranges remembered. */
    public static final int CAPACITY = 64;

    private final int[] starts = new int[CAPACITY];
    private final int[] ends = new int[CAPACITY];
    private int count;

    public SackScoreboard() {}

    /** Records a SACK block [left, right) (ignored if not above sndUna or beyond sndMax). */
    public void onSack(int left, int right, int sndUna, int sndMax) {
        if (!SeqNum.lt(left, right) || SeqNum.le(right, sndUna) || SeqNum.gt(right, sndMax)) {
            return; // empty, entirely old (e.g. a D-SACK), or claims data never sent: not trusted
        }
        if (SeqNum.lt(left, sndUna)) {
            left = sndUna;
        }
        // i: first range that ends at or after left (touching ranges merge); j: first range that
        // starts after right. Ranges i..j-1 overlap or touch the new block.
        int i = 0;
        while (i < count && SeqNum.lt(ends[i], left)) {
            i++;
        }
        int j = i;
        while (j < count && SeqNum.le(starts[j], right)) {
            j++;
        }
        if (i == j) {
            if (count == CAPACITY) {
                if (i == count) {
                    return; // the new block would be the highest: it is the one forgotten
                }
                count--; // forget the highest range to make room
            }
            System.arraycopy(starts, i, starts, i + 1, count - i);
            System.arraycopy(ends, i, ends, i + 1, count - i);
            starts[i] = left;
            ends[i] = right;
            count++;
            return;
        }
        starts[i] = SeqNum.min(starts[i], left);
        ends[i] = SeqNum.max(ends[j - 1], right);
        int removed = j - i - 1;
        if (removed > 0) {
            System.arraycopy(starts, j, starts, i + 1, count - j);
            System.arraycopy(ends, j, ends, i + 1, count - j);
            count -= removed;
        }
    }

    /** Forgets everything at or below the new cumulative ACK. */
    public void onCumulativeAck(int sndUna) {
        int drop = 0;
        while (drop < count && SeqNum.le(ends[drop], sndUna)) {
            drop++;
        }
        if (drop > 0) {
            System.arraycopy(starts, drop, starts, 0, count - drop);
            System.arraycopy(ends, drop, ends, 0, count - drop);
            count -= drop;
        }
        if (count > 0 && SeqNum.lt(starts[0], sndUna)) {
            starts[0] = sndUna;
        }
    }

    public void clear() {
        count = 0;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Number of disjoint ranges held. */
    public int rangeCount() {
        return count;
    }

    public boolean isSacked(int seq) {
        for (int i = 0; i < count; i++) {
            if (SeqNum.lt(seq, starts[i])) {
                return false;
            }
            if (SeqNum.lt(seq, ends[i])) {
                return true;
            }
        }
        return false;
    }

    /** Bytes SACKed above sndUna. */
    public long sackedBytes() {
        long sum = 0;
        for (int i = 0; i < count; i++) {
            sum += SeqNum.diff(ends[i], starts[i]);
        }
        return sum;
    }

    /** The highest SACKed sequence number (exclusive end), or sndUna if none. */
    public int highestSacked(int sndUna) {
        return count == 0 ? sndUna : ends[count - 1];
    }

    /**
     * The start of the first un-SACKed hole at or after {@code from} that lies below the highest
     * SACKed byte (RFC 6675 IsLost simplified), or {@code -1L} if none; {@code holeEnd[0]} gets its end.
     * The start is returned as an unsigned 32-bit value, so sequence number 0xFFFFFFFF is not
     * confused with "none": cast it back with {@code (int)}.
     */
    public long nextHole(int from, int sndUna, int[] holeEnd) {
        int pos = SeqNum.max(from, sndUna);
        for (int i = 0; i < count; i++) {
            if (SeqNum.le(ends[i], pos)) {
                continue;
            }
            if (SeqNum.le(starts[i], pos)) {
                pos = ends[i]; // inside a SACKed range: the hole, if any, starts after it
                continue;
            }
            holeEnd[0] = starts[i];
            return pos & 0xFFFF_FFFFL;
        }
        return -1L;
    }
}
