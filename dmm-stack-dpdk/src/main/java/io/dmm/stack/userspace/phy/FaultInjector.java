package io.dmm.stack.userspace.phy;

import io.dmm.stack.userspace.time.Clock;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Wraps a device and makes its link unreliable as a {@link FaultPlan} says: loss, duplication,
 * reordering, bit corruption, delay with jitter and a token-bucket rate limit (a policer: frames
 * beyond the rate are dropped, as a shaping router's full queue would). Faults apply to what the
 * stack transmits and, with {@link FaultPlan#applyToReceive()}, also to what it receives.
 *
 * <p>Random choices come from a {@link SplittableRandom} seeded from the plan, drawn in a fixed order
 * per frame, so a seed, a plan and the same traffic give the same faults. Time comes from the
 * injected {@link Clock}; held frames (reordered, delayed) are released by later
 * {@link #txSubmit}, {@link #txFlush()} and {@link #receive} calls once due, so a test drives them
 * with a {@code ManualClock}. Held frames are copied into the injector's own arena: the wrapped
 * device's buffers are never kept past a call.
 *
 * <p>A plan that corrupts turns checksum vouching off in both directions ({@link #txChecksumOffload()}
 * and {@code checksumsVerified} are false), so the stacks compute and verify every checksum and a
 * flipped bit is caught by them. The peer device must not vouch either: a {@link DevicePair} made with
 * {@code checksumOffload = false}, or a second injector.
 *
 * <p>{@link #counters()} adds, to the wrapped device's: {@code dropped}, {@code duplicated},
 * {@code reordered}, {@code corrupted}, {@code delayed}, {@code rate_limited} (faults applied),
 * {@code hold_full} (a frame that should have been held passed through: no slot free) and
 * {@code fault_tx_no_buffer} (a duplicate not sent: the wrapped device had no buffer for it). A held
 * frame the wrapped device has no buffer for when it falls due stays held until a later call.
 *
 * <p>The link itself can be made to fail: {@link #fail} makes the device go away for good (as a
 * deleted interface does: nothing passes any more and the {@link DeviceListener} hears it), and
 * {@link #setLinkUp} takes the link down and back (frames both ways are dropped meanwhile, counted
 * in {@code link_down_drops}). Tests use them to make a device fail deterministically.
 *
 * <p>Receive budgets are approximate: a duplicated or released frame may make one call hand over a
 * frame or two more than asked. Not thread-safe, like every device, except {@link #fail} and
 * {@link #setLinkUp}, which any thread may call.
 */
public final class FaultInjector extends ForwardingDevice {
    private final FaultPlan plan;
    private final Clock clock;
    private final SplittableRandom random;
    private final FrameArena held;
    private final TxPath tx;
    private final RxPath rx;
    private final Unvouched unvouched = new Unvouched();
    private final long burst;
    private static final int LINK_UP = 0;
    private static final int LINK_DOWN = 1;
    private static final int FAILED = 2;

    private boolean closed;
    /** LINK_UP, LINK_DOWN or FAILED: set by any thread, read once per call. */
    private volatile int link = LINK_UP;
    private volatile DeviceListener listener;
    private final LinkDownSink linkDownSink = new LinkDownSink();
    private long linkDownDrops;
    private long dropped, duplicated, reordered, corrupted, delayed, rateLimited, holdFull, txNoBuffer;

    public FaultInjector(Device inner, FaultPlan plan, Clock clock) {
        super(inner);
        this.plan = plan;
        this.clock = clock;
        this.random = new SplittableRandom(plan.seed());
        this.held = new FrameArena(inner.mtu(), plan.holdSlots());
        this.burst = plan.effectiveBurstBytes();
        this.tx = new TxPath();
        this.rx = new RxPath();
    }

    public FaultPlan plan() {
        return plan;
    }

    /** The earliest time a held frame becomes due (either direction), or Long.MAX_VALUE if none is held. */
    public long nextReleaseNanos() {
        return Math.min(tx.nextDue(), rx.nextDue());
    }

    /**
     * Makes the device go away for good, as a deleted interface does: from now on it receives and
     * sends nothing, and its listener hears {@code "device <name> went away: <reason>"}. Any thread;
     * idempotent.
     */
    public void fail(String reason) {
        synchronized (this) {
            if (link == FAILED) return;
            link = FAILED;
        }
        DeviceListener l = listener;
        if (l != null) l.deviceFailed("device " + inner.name() + " went away: " + reason);
    }

    /**
     * Takes the link down (frames both ways are dropped, the listener hears it) or brings it back.
     * Any thread; no effect once the device failed or when the link is already so.
     */
    public void setLinkUp(boolean up) {
        synchronized (this) {
            int want = up ? LINK_UP : LINK_DOWN;
            if (link == FAILED || link == want) return;
            link = want;
        }
        DeviceListener l = listener;
        if (l != null) l.linkChanged(up, up ? "" : "the link of device " + inner.name() + " is down (injected)");
    }

    @Override
    public void setListener(DeviceListener listener) {
        this.listener = listener;
        inner.setListener(listener);  // the wrapped device's own failures go straight to the owner
    }

    @Override public String name() { return inner.name() + "+faults"; }
    @Override public boolean txChecksumOffload() { return inner.txChecksumOffload() && !plan.corrupts(); }

    @Override
    public void txSubmit(long offset, int length) {
        if (link != LINK_UP) {
            inner.txRelease(offset);  // a link that is down or gone carries nothing
            linkDownDrops++;
            return;
        }
        tx.process(inner.memory(), offset, length, false, clock.nanos());
    }

    @Override
    public void txFlush() {
        if (link == FAILED) return;
        tx.releaseDue(clock.nanos());
        inner.txFlush();
    }

    @Override
    public int receive(RxHandler handler, int budget) {
        int state = link;
        if (state == FAILED) return 0;
        if (state == LINK_DOWN) {
            inner.receive(linkDownSink, budget);  // what reaches a link that is down is lost
            return 0;
        }
        long now = clock.nanos();
        if (tx.releaseDue(now)) inner.txFlush();
        if (!plan.applyToReceive()) {
            if (!plan.corrupts()) return inner.receive(handler, budget);
            // Our own corrupted frames may come back (loopback): vouch for nothing.
            unvouched.handler = handler;
            try {
                return inner.receive(unvouched, budget);
            } finally {
                unvouched.handler = null;
            }
        }
        rx.handler = handler;
        rx.delivered = 0;
        try {
            rx.releaseDue(now);
            while (rx.delivered < budget) {
                if (inner.receive(rx, 1) == 0) break;
            }
            return rx.delivered;
        } finally {
            rx.handler = null;
        }
    }

    @Override
    public boolean rxPending() {
        if (link == FAILED) return false;
        if (inner.rxPending()) return true;
        long now = clock.nanos();
        // Transmit frames that fell due are released by the next receive, so it is worth a call.
        return tx.hasDue(now) || plan.applyToReceive() && rx.hasDue(now);
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>(inner.counters());
        m.put("dropped", dropped);
        m.put("duplicated", duplicated);
        m.put("reordered", reordered);
        m.put("corrupted", corrupted);
        m.put("delayed", delayed);
        m.put("rate_limited", rateLimited);
        m.put("hold_full", holdFull);
        m.put("fault_tx_no_buffer", txNoBuffer);
        m.put("link_down_drops", linkDownDrops);
        return m;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        inner.close();
        held.close();
    }

    /**
     * One direction's pipeline: rate limit, loss, duplication, corruption, then per copy reorder or
     * delay (held in the injector's arena) or straight out. A frame is "own" when it sits in the
     * injector's arena; "consume" says this copy may use the frame's buffer up.
     */
    private abstract class Path {
        final FrameQueue reorderQueue = new FrameQueue(plan.holdSlots());
        final FrameQueue delayQueue = new FrameQueue(plan.holdSlots());
        /** Frames sent on so far: reordered frames wait for this to pass their release count. */
        long passed;
        /** This direction's token bucket (bytes), full at the start. */
        private double tokens = burst;
        private long tokensAt = clock.nanos();

        private boolean rateLimited(int length, long now) {
            if (plan.rateBytesPerSecond() == 0) return false;
            if (now > tokensAt) {
                tokens = Math.min(burst, tokens + (now - tokensAt) * (plan.rateBytesPerSecond() / 1e9));
                tokensAt = now;
            }
            if (tokens < length) return true;
            tokens -= length;
            return false;
        }

        /** Emits a frame to where this direction goes (the wrapped device, or the stack). */
        abstract void emit(MemorySegment memory, long offset, int length, boolean own, boolean consume);

        /** Gives back a frame not sent on. */
        abstract void discardOriginal(long offset);

        /** Whether an original frame may be changed where it is (a transmit buffer still ours). */
        abstract boolean originalWritable();

        final void discard(long offset, boolean own) {
            if (own) held.release(offset);
            else discardOriginal(offset);
        }

        final void process(MemorySegment memory, long offset, int length, boolean own, long now) {
            if (rateLimited(length, now)) {
                rateLimited++;
                discard(offset, own);
                releaseDue(now);
                return;
            }
            if (plan.loss() > 0 && random.nextDouble() < plan.loss()) {
                dropped++;
                discard(offset, own);
                releaseDue(now);
                return;
            }
            boolean duplicate = plan.duplication() > 0 && random.nextDouble() < plan.duplication();
            if (plan.corruption() > 0 && random.nextDouble() < plan.corruption() && length > 14) {
                if (!own && !originalWritable()) {
                    long copy = held.acquire();
                    if (copy >= 0) {
                        MemorySegment.copy(memory, offset, held.memory(), copy, length);
                        memory = held.memory();
                        offset = copy;
                        own = true;
                    }
                }
                if (own || originalWritable()) {
                    int at = 14 + random.nextInt(length - 14);
                    int bit = random.nextInt(8);
                    byte b = memory.get(ValueLayout.JAVA_BYTE, offset + at);
                    memory.set(ValueLayout.JAVA_BYTE, offset + at, (byte) (b ^ (1 << bit)));
                    corrupted++;
                } else {
                    holdFull++;
                }
            }
            if (duplicate) {
                duplicated++;
                stage(memory, offset, length, own, false, now);
            }
            stage(memory, offset, length, own, true, now);
            releaseDue(now);
        }

        private void stage(MemorySegment memory, long offset, int length, boolean own, boolean consume, long now) {
            if (plan.reorder() > 0 && random.nextDouble() < plan.reorder()) {
                if (hold(reorderQueue, memory, offset, length, own, consume,
                        passed + plan.reorderDistance(), now + plan.reorderMaxHoldNanos())) {
                    reordered++;
                    return;
                }
            }
            delayOrEmit(memory, offset, length, own, consume, now);
        }

        private void delayOrEmit(MemorySegment memory, long offset, int length, boolean own, boolean consume, long now) {
            if (plan.delays()) {
                if (hold(delayQueue, memory, offset, length, own, consume, dueTime(now), 0)) {
                    delayed++;
                    return;
                }
            }
            passed++;
            emit(memory, offset, length, own, consume);
        }

        private long dueTime(long now) {
            long jitter = plan.jitterNanos() > 0 ? random.nextLong(plan.jitterNanos() + 1) : 0;
            return now + plan.delayNanos() + jitter;
        }

        private boolean hold(FrameQueue queue, MemorySegment memory, long offset, int length, boolean own,
                             boolean consume, long tag, long tag2) {
            if (queue.isFull()) {
                holdFull++;
                return false;
            }
            long slot;
            if (own && consume) {
                slot = offset;  // already ours: keep it where it is
            } else {
                slot = held.acquire();
                if (slot < 0) {
                    holdFull++;
                    return false;
                }
                MemorySegment.copy(memory, offset, held.memory(), slot, length);
                if (consume) discard(offset, own);
            }
            queue.offer(slot, length, tag, tag2);
            return true;
        }

        /**
         * Sends on every held frame that is due, oldest first; true if any was. A frame the wrapped
         * device has no buffer for stays held (and so do the ones behind it) until a later call.
         */
        final boolean releaseDue(long now) {
            boolean any = false;
            while (true) {
                if (!reorderQueue.isEmpty() && (reorderQueue.headTag() <= passed || reorderQueue.headTag2() <= now)) {
                    long offset = reorderQueue.headOffset();
                    int length = reorderQueue.headLength();
                    if (plan.delays() && !delayQueue.isFull()) {
                        reorderQueue.removeHead();
                        delayQueue.offer(offset, length, dueTime(now), 0);  // the slot moves along
                        delayed++;
                    } else {
                        if (!emitHeld(offset, length)) return any;
                        reorderQueue.removeHead();
                        passed++;
                    }
                    any = true;
                } else if (!delayQueue.isEmpty() && delayQueue.headTag() <= now) {
                    // Frames leave in order: a later frame with less jitter waits for the head.
                    if (!emitHeld(delayQueue.headOffset(), delayQueue.headLength())) return any;
                    delayQueue.removeHead();
                    passed++;
                    any = true;
                } else {
                    return any;
                }
            }
        }

        /** Sends on a held frame from the injector's arena and frees its slot; false (still held) when it cannot now. */
        abstract boolean emitHeld(long offset, int length);

        final boolean hasDue(long now) {
            return (!reorderQueue.isEmpty() && reorderQueue.headTag2() <= now)
                    || (!delayQueue.isEmpty() && delayQueue.headTag() <= now);
        }

        final long nextDue() {
            long due = Long.MAX_VALUE;
            if (!reorderQueue.isEmpty()) due = reorderQueue.headTag2();
            if (!delayQueue.isEmpty()) due = Math.min(due, delayQueue.headTag());
            return due;
        }
    }

    /** Counts and drops the frames that arrive while the link is down. */
    private final class LinkDownSink implements RxHandler {
        @Override
        public void frame(MemorySegment memory, long offset, int length, boolean checksumsVerified) {
            linkDownDrops++;
        }
    }

    /** Hands frames up unchanged but with checksumsVerified false. */
    private static final class Unvouched implements RxHandler {
        RxHandler handler;

        @Override
        public void frame(MemorySegment memory, long offset, int length, boolean checksumsVerified) {
            handler.frame(memory, offset, length, false);
        }
    }

    private final class TxPath extends Path {
        @Override
        void emit(MemorySegment memory, long offset, int length, boolean own, boolean consume) {
            if (!own && consume) {
                inner.txSubmit(offset, length);
                return;
            }
            long buffer = inner.txAcquire();
            if (buffer >= 0) {
                MemorySegment.copy(memory, offset, inner.memory(), buffer, length);
                inner.txSubmit(buffer, length);
            } else {
                txNoBuffer++;
            }
            if (consume) discard(offset, own);
        }

        @Override
        boolean emitHeld(long offset, int length) {
            long buffer = inner.txAcquire();
            if (buffer < 0) return false;
            MemorySegment.copy(held.memory(), offset, inner.memory(), buffer, length);
            inner.txSubmit(buffer, length);
            held.release(offset);
            return true;
        }

        @Override
        void discardOriginal(long offset) {
            inner.txRelease(offset);
        }

        @Override
        boolean originalWritable() {
            return true;
        }
    }

    private final class RxPath extends Path implements RxHandler {
        RxHandler handler;
        int delivered;
        private boolean vouched;

        @Override
        public void frame(MemorySegment memory, long offset, int length, boolean checksumsVerified) {
            vouched = checksumsVerified && !plan.corrupts();
            process(memory, offset, length, false, clock.nanos());
        }

        @Override
        void emit(MemorySegment memory, long offset, int length, boolean own, boolean consume) {
            delivered++;
            try {
                // Held frames carry the device's word as of the last frame (a device vouches for all or none).
                handler.frame(memory, offset, length, vouched);
            } finally {
                if (own && consume) held.release(offset);
            }
        }

        @Override
        boolean emitHeld(long offset, int length) {
            emit(held.memory(), offset, length, true, true);
            return true;
        }

        @Override
        void discardOriginal(long offset) {
            // The wrapped device releases its receive buffer after the call.
        }

        @Override
        boolean originalWritable() {
            return false;
        }
    }
}
