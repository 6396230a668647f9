package io.dmm.stack.userspace.tcp;

/**
 * The receive side of TCP urgent data as Linux keeps it (RFC 6093 §4: only the newest mark counts;
 * BSD's reading of the urgent pointer, which points at the byte after the urgent one): the
 * sequence number of the one urgent byte, which reads stop in front of, and which they skip unless
 * SO_OOBINLINE is on. Sequence numbers are the connection's; "read" is the next byte the
 * application will read (Linux's copied_seq). Under the stack lock.
 */
final class UrgentMark {
    private boolean valid;
    private int seq;

    /**
     * A segment starting at {@code segSeq} carried URG with {@code pointer}: marks its urgent byte
     * unless already read or past, not newer than the mark held, or behind {@code rcvNxt} (Linux's
     * tcp_check_urg). True when the old mark's byte must be skipped now: the reader stands on it,
     * not inline, with bytes to read (a new mark would otherwise turn it into ordinary data).
     */
    boolean onPointer(int segSeq, int pointer, int read, int rcvNxt, boolean inline, boolean readable) {
        int urgent = segSeq + (pointer > 0 ? pointer - 1 : 0);
        if (SeqNum.gt(read, urgent) || SeqNum.lt(urgent, rcvNxt)) return false;
        if (valid && !SeqNum.gt(urgent, seq)) return false;
        boolean skipOld = valid && seq == read && !inline && readable;
        valid = true;
        seq = urgent;
        return skipOld;
    }

    /** Whether the byte at {@code read} is the urgent one. */
    boolean at(int read) {
        return valid && seq == read;
    }

    /** How many bytes from {@code read} a read may take before it reaches the mark (it stops there), or MAX_VALUE. */
    int before(int read) {
        return valid && SeqNum.gt(seq, read) ? seq - read : Integer.MAX_VALUE;
    }

    /** The reader moved to {@code read}: a mark it has passed is spent. */
    void readTo(int read) {
        if (valid && SeqNum.gt(read, seq)) valid = false;
    }
}
