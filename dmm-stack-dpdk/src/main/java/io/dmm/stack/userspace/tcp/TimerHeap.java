package io.dmm.stack.userspace.tcp;

import java.util.Arrays;

/**
 * Connections ordered by their earliest timer deadline: an intrusive binary min-heap (each
 * connection knows its slot in {@link TcpConnection#heapIndex}), so re-arming a timer is
 * O(log n) and allocation-free, and an idle connection with no timer armed costs nothing per poll.
 */
final class TimerHeap {
    private TcpConnection[] heap = new TcpConnection[64];
    private int size;

    int size() {
        return size;
    }

    /** The earliest deadline, or Long.MAX_VALUE when empty. */
    long nextDeadline() {
        return size == 0 ? Long.MAX_VALUE : heap[0].heapDeadline;
    }

    TcpConnection peek() {
        return size == 0 ? null : heap[0];
    }

    /** Puts {@code c} at {@code deadline} (Long.MAX_VALUE removes it). */
    void update(TcpConnection c, long deadline) {
        if (deadline == Long.MAX_VALUE) {
            remove(c);
            return;
        }
        int i = c.heapIndex;
        if (i < 0) {
            if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
            c.heapDeadline = deadline;
            heap[size] = c;
            c.heapIndex = size;
            size++;
            up(size - 1);
            return;
        }
        long old = c.heapDeadline;
        c.heapDeadline = deadline;
        if (deadline < old) up(i);
        else if (deadline > old) down(i);
    }

    void remove(TcpConnection c) {
        int i = c.heapIndex;
        if (i < 0) return;
        size--;
        TcpConnection last = heap[size];
        heap[size] = null;
        c.heapIndex = -1;
        if (i == size) return;
        heap[i] = last;
        last.heapIndex = i;
        up(i);
        down(last.heapIndex);
    }

    private void up(int i) {
        TcpConnection c = heap[i];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            TcpConnection pc = heap[p];
            if (pc.heapDeadline <= c.heapDeadline) break;
            heap[i] = pc;
            pc.heapIndex = i;
            i = p;
        }
        heap[i] = c;
        c.heapIndex = i;
    }

    private void down(int i) {
        TcpConnection c = heap[i];
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) break;
            int r = l + 1;
            int m = r < size && heap[r].heapDeadline < heap[l].heapDeadline ? r : l;
            if (heap[m].heapDeadline >= c.heapDeadline) break;
            heap[i] = heap[m];
            heap[i].heapIndex = i;
            i = m;
        }
        heap[i] = c;
        c.heapIndex = i;
    }
}
