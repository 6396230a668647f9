package io.dmm.stack.userspace.phy;

/**
 * A bounded FIFO of frames as (offset, length, tag, tag2) in primitive arrays: no allocation per
 * frame. The tags are whatever the owner needs to remember per frame (a due time, a release count).
 * Not thread-safe.
 */
final class FrameQueue {
    private final long[] offsets;
    private final int[] lengths;
    private final long[] tags;
    private final long[] tags2;
    private final int mask;
    private int head;
    private int size;

    FrameQueue(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive: " + capacity);
        int cap = Integer.highestOneBit(capacity);
        if (cap < capacity) cap <<= 1;
        offsets = new long[cap];
        lengths = new int[cap];
        tags = new long[cap];
        tags2 = new long[cap];
        mask = cap - 1;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean isFull() {
        return size == offsets.length;
    }

    /** Appends a frame; false when full. */
    boolean offer(long offset, int length, long tag) {
        return offer(offset, length, tag, 0);
    }

    /** Appends a frame with two tags; false when full. */
    boolean offer(long offset, int length, long tag, long tag2) {
        if (size == offsets.length) return false;
        int i = (head + size) & mask;
        offsets[i] = offset;
        lengths[i] = length;
        tags[i] = tag;
        tags2[i] = tag2;
        size++;
        return true;
    }

    long headOffset() {
        return offsets[head];
    }

    int headLength() {
        return lengths[head];
    }

    long headTag() {
        return tags[head];
    }

    long headTag2() {
        return tags2[head];
    }

    void removeHead() {
        if (size == 0) throw new IllegalStateException("queue is empty");
        head = (head + 1) & mask;
        size--;
    }

    void clear() {
        head = 0;
        size = 0;
    }
}
