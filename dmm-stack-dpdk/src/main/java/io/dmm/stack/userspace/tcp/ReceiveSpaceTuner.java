package io.dmm.stack.userspace.tcp;

/**
 * Receive-buffer auto-tuning (dynamic right-sizing), as Linux's tcp_rcv_space_adjust: the window a
 * connection offers starts at {@link #INITIAL_SPACE} and grows toward SO_RCVBUF when the
 * application reads more per round trip than the window held in the last one, so a fast reader on
 * a long path gets a large window and everybody else keeps a small one (and so little memory).
 * It never shrinks: the window's right edge is never moved left (RFC 9293 §3.8.6.2.2).
 *
 * <p>The round trip is the receiver's own estimate (Linux's tcp_rcv_rtt_measure): the time a
 * window's worth of data takes to arrive, the smallest seen. Until one is measured nothing grows.
 * An application that set SO_RCVBUF gets that window from the start and no tuning, as on Linux.
 * Sequence numbers compare with {@link SeqNum}; times are the stack clock's nanoseconds.
 */
final class ReceiveSpaceTuner {
    /** Where the window starts (Linux's is about 64 KiB with its default tcp_rmem). */
    static final int INITIAL_SPACE = 64 * 1024;

    private int max;
    private final int mss;
    private int space;
    /** The bytes read in the last period that made the window grow (Linux's rcvq_space.space). */
    private int lastCopied;
    /** Where and when the current period began: the application's read position and the time. */
    private int periodSeq;
    private long periodStart;
    /** The receiver's RTT estimate, 0 until measured; and the measurement under way. */
    private long rttNanos;
    private boolean rttMeasuring;
    private int rttSeq;
    private long rttStart;

    /** For a buffer of {@code max} bytes (SO_RCVBUF); {@code tuned} false: the whole of it at once. */
    ReceiveSpaceTuner(int max, boolean tuned, int mss) {
        this.max = max;
        this.mss = mss;
        this.space = tuned ? Math.min(max, INITIAL_SPACE) : max;
    }

    /** The most the window may offer now, readable bytes included. */
    int space() {
        return space;
    }

    /** SO_RCVBUF set by the application: the window may open to {@code size} at once, and is tuned no more (Linux). */
    void fix(int size) {
        max = size;
        space = size;
    }

    /** Whether the window may still grow (reads need the clock only while it may). */
    boolean growing() {
        return space < max;
    }

    /** The connection is established: the first period starts at the application's read position. */
    void start(int readSeq, long now) {
        lastCopied = Math.min(space, 10 * mss);
        periodSeq = readSeq;
        periodStart = now;
    }

    /** In-order data arrived; {@code rcvNxt} after it, {@code window} the window offered now. */
    void onDataReceived(int rcvNxt, int window, long now) {
        if (space >= max) return;
        if (rttMeasuring && SeqNum.lt(rcvNxt, rttSeq)) return;
        if (rttMeasuring) {
            long sample = Math.max(1, now - rttStart);
            if (rttNanos == 0 || sample < rttNanos) rttNanos = sample;
        }
        rttMeasuring = window > 0;
        rttSeq = rcvNxt + window;
        rttStart = now;
    }

    /** The application has read up to {@code readSeq}; true if the window may grow. */
    boolean onRead(int readSeq, long now) {
        if (space >= max || rttNanos == 0 || now - periodStart < rttNanos) return false;
        int copied = readSeq - periodSeq;
        periodSeq = readSeq;
        periodStart = now;
        if (copied <= lastCopied) return false;
        // Linux's: twice what was read (a window for the data in flight and one for the reader's
        // delay) plus 16 segments of cushion, more again while the reading rate still rises
        long window = 2L * copied + 16L * mss;
        window += 2 * (window * (copied - lastCopied) / Math.max(1, lastCopied));
        lastCopied = copied;
        if (window <= space) return false;
        space = (int) Math.min(window, max);
        return true;
    }
}
