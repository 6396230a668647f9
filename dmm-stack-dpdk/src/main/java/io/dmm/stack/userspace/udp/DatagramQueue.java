package io.dmm.stack.userspace.udp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/**
 * A socket's receive queue: datagrams (source address, port, payload) stored back to back in an
 * off-heap byte ring, bounded by bytes as a receive buffer is. Nothing is allocated per datagram.
 *
 * <p>A record is a 12-byte header (payload length, source IP, source port) and the payload, padded
 * to 8 bytes. Records never wrap: when one does not fit before the end of the ring, a marker (length
 * -1) fills the rest and it starts at 0. The bytes skipped count as used until the reader passes
 * them, so the ring never overwrites. Not thread-safe (used under the stack's lock).
 */
final class DatagramQueue {
    private static final int HEADER = 12;
    private static final int WRAP = -1;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private final MemorySegment memory;
    /** The same memory as a ByteBuffer, for allocation-free absolute bulk puts into a caller's buffer. */
    private final ByteBuffer view;
    private final int capacity;
    private long head;
    private long tail;
    private int count;

    DatagramQueue(int capacityBytes) {
        if (capacityBytes < 1) throw new IllegalArgumentException("receive buffer must be positive: " + capacityBytes);
        this.capacity = align(Math.max(capacityBytes, 64));
        // GC-managed: a socket's queue lives as long as the socket object, and closing it frees nothing early.
        this.memory = Arena.ofAuto().allocate(capacity, 8);
        this.view = memory.asByteBuffer();
    }

    private static int align(int n) {
        return (n + 7) & ~7;
    }

    int capacity() {
        return capacity;
    }

    /** Bytes in use (headers, padding and skipped ends included). */
    int usedBytes() {
        return (int) (tail - head);
    }

    int size() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Appends a datagram; false (nothing changed) when it does not fit in the free space. */
    boolean offer(MemorySegment src, long offset, int length, int sourceIp, int sourcePort) {
        long recordLength = align(HEADER + length);
        int pos = (int) (tail % capacity);
        int contiguous = capacity - pos;
        long need = recordLength <= contiguous ? recordLength : contiguous + recordLength;
        if (recordLength > capacity || (tail - head) + need > capacity) return false;
        if (recordLength > contiguous) {
            memory.set(INT, pos, WRAP);
            tail += contiguous;
            pos = 0;
        }
        memory.set(INT, pos, length);
        memory.set(INT, pos + 4, sourceIp);
        memory.set(INT, pos + 8, sourcePort);
        MemorySegment.copy(src, offset, memory, pos + HEADER, length);
        tail += recordLength;
        count++;
        return true;
    }

    /** The ring position of the head record (past a wrap marker). */
    private int headPosition() {
        int pos = (int) (head % capacity);
        if (memory.get(INT, pos) == WRAP) {
            head += capacity - pos;
            pos = 0;
        }
        return pos;
    }

    int headLength() {
        return memory.get(INT, headPosition());
    }

    int headSourceIp() {
        return memory.get(INT, headPosition() + 4);
    }

    int headSourcePort() {
        return memory.get(INT, headPosition() + 8);
    }

    /** Copies as much of the head payload as fits into {@code dst} (the rest is lost, as the JDK truncates); returns the bytes copied. */
    int copyHeadTo(ByteBuffer dst) {
        int pos = headPosition();
        int n = Math.min(memory.get(INT, pos), dst.remaining());
        dst.put(dst.position(), view, pos + HEADER, n);
        dst.position(dst.position() + n);
        return n;
    }

    void removeHead() {
        if (count == 0) throw new IllegalStateException("queue is empty");
        int pos = headPosition();
        head += align(HEADER + memory.get(INT, pos));
        count--;
        if (count == 0) {
            // Empty: start over at 0 so the next datagrams get the whole ring without a wrap.
            head = 0;
            tail = 0;
        }
    }

    void clear() {
        head = 0;
        tail = 0;
        count = 0;
    }
}
