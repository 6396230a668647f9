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
final class SpscLongRing extends SpscConsumerFields {
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(SpscConsumerFields.class, "head", long.class);
            TAIL = l.findVarHandle(SpscProducerFields.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long[] buffer;
    private final int mask;

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

/*
 * The producer's and the consumer's fields of a SpscLongRing sit on different cache lines, padded by
 * superclasses (the JVM lays a superclass's fields out before a subclass's, but may reorder fields
 * within a class), so the two threads do not invalidate each other's line on every element.
 */
class SpscLeadingPad {
    long p01, p02, p03, p04, p05, p06, p07, p08;
}

class SpscProducerFields extends SpscLeadingPad {
    long tail;
    long producerCachedHead;
}

class SpscMiddlePad extends SpscProducerFields {
    long p11, p12, p13, p14, p15, p16, p17, p18;
}

class SpscConsumerFields extends SpscMiddlePad {
    long head;
    long consumerCachedTail;
    long p21, p22, p23, p24, p25, p26, p27, p28;
}
