package io.dmm.stack.userspace.phy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Test frames: a 14-byte Ethernet-like header, then a big-endian sequence number, then filler bytes. */
final class Frames {
    static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Frames() {}

    /** Acquires a buffer, writes frame {@code seq} of {@code length} bytes and submits it; false if no buffer. */
    static boolean send(Device d, long seq, int length) {
        long o = d.txAcquire();
        if (o < 0) return false;
        write(d.memory(), o, seq, length);
        d.txSubmit(o, length);
        return true;
    }

    static void write(MemorySegment m, long o, long seq, int length) {
        for (int i = 0; i < 14; i++) m.set(ValueLayout.JAVA_BYTE, o + i, (byte) (0xE0 + i));
        m.set(LONG_BE, o + 14, seq);
        for (int i = 22; i < length; i++) m.set(ValueLayout.JAVA_BYTE, o + i, (byte) (seq * 31 + i));
    }

    static long seq(MemorySegment m, long o) {
        return m.get(LONG_BE, o + 14);
    }

    static byte[] bytes(MemorySegment m, long o, int length) {
        return m.asSlice(o, length).toArray(ValueLayout.JAVA_BYTE);
    }

    static byte[] expected(long seq, int length) {
        MemorySegment m = MemorySegment.ofArray(new byte[length]);
        write(m, 0, seq, length);
        return m.toArray(ValueLayout.JAVA_BYTE);
    }
}
