package io.dmm.stack.userspace.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Big-endian (network order) unaligned reads and writes of the field sizes the headers use. Held
 * in one place so every view shares the same static final layouts (the JIT folds them) and no view
 * repeats the masking that turns Java's signed bytes and shorts into unsigned field values.
 */
public final class NetworkOrder {
    public static final ValueLayout.OfShort SHORT_BE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    public static final ValueLayout.OfInt INT_BE =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private NetworkOrder() {}

    public static int u8(MemorySegment m, long offset) {
        return m.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
    }

    public static void putU8(MemorySegment m, long offset, int value) {
        m.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
    }

    public static int u16(MemorySegment m, long offset) {
        return m.get(SHORT_BE, offset) & 0xFFFF;
    }

    public static void putU16(MemorySegment m, long offset, int value) {
        m.set(SHORT_BE, offset, (short) value);
    }

    public static int i32(MemorySegment m, long offset) {
        return m.get(INT_BE, offset);
    }

    public static void putI32(MemorySegment m, long offset, int value) {
        m.set(INT_BE, offset, value);
    }

    /** A 48-bit MAC address at {@code offset}, in the low 48 bits of the result. */
    public static long mac(MemorySegment m, long offset) {
        return (m.get(INT_BE, offset) & 0xFFFF_FFFFL) << 16 | (m.get(SHORT_BE, offset + 4) & 0xFFFFL);
    }

    public static void putMac(MemorySegment m, long offset, long mac) {
        m.set(INT_BE, offset, (int) (mac >>> 16));
        m.set(SHORT_BE, offset + 4, (short) mac);
    }
}
