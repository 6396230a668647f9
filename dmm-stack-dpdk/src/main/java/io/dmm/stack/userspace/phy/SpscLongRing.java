package io.dmm.stack.userspace.phy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded single-producer single-consumer queue of non-negative longs, lock-free. The producer
 * writes an element with a plain store and then publishes it by a release store of {@code tail};
 * the consumer reads {@code tail} with acquire semantics before reading the element, and gives the
 * slot back by a release store of {@code head}, which the producer reads with acquire before
 * overwriting. Each side caches the other's index so the shared fields are read only when the
 * cached value says the ring looks full (producer) or empty (consumer).
 *
 * <p>Exactly one thread may call the producer methods and one the consumer methods at a time.
 */
final class SpscLongRing {
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(SpscLongRing.class, "head", long.class);
            TAIL = l.findVarHandle(SpscLongRing.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long[] buffer;
    private final int mask;

    // Producer side.
    private long tail;
    private long producerCachedHead;
    // Padding between the two sides' fields would help throughput; correctness does not need it.
    private long consumerCachedTail;
    private long head;

    SpscLongRing(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive: " + capacity);
        int cap = Integer.highestOneBit(capacity);
        if (cap < capacity) cap <<= 1;
        buffer = new long[cap];
        mask = cap - 1;
    }

    int capacity() {
        return buffer.length;
    }

    /** Producer: appends {@code value} (>= 0); false when full. */
    boolean offer(long value) {
        long t = tail;  // only the producer writes tail
        if (t - producerCachedHead >= buffer.length) {
            producerCachedHead = (long) HEAD.getAcquire(this);
            if (t - producerCachedHead >= buffer.length) return false;
        }
        buffer[(int) t & mask] = value;
        TAIL.setRelease(this, t + 1);
        return true;
    }

    /** Consumer: removes and returns the oldest value, or -1 when empty. */
    long poll() {
        long h = head;  // only the consumer writes head
        if (h >= consumerCachedTail) {
            consumerCachedTail = (long) TAIL.getAcquire(this);
            if (h >= consumerCachedTail) return -1;
        }
        long v = buffer[(int) h & mask];
        HEAD.setRelease(this, h + 1);
        return v;
    }

    /** Consumer: whether {@link #poll} would return a value now. */
    boolean consumerHasNext() {
        if (head < consumerCachedTail) return true;
        consumerCachedTail = (long) TAIL.getAcquire(this);
        return head < consumerCachedTail;
    }
}
