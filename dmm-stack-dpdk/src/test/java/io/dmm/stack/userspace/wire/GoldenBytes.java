package io.dmm.stack.userspace.wire;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

/** Golden frames are written as hex text (whitespace ignored) and compared as hex text. */
public final class GoldenBytes {
    private GoldenBytes() {}

    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    public static MemorySegment segment(String hex) {
        return MemorySegment.ofArray(bytes(hex));
    }

    public static String of(MemorySegment m, long offset, int length) {
        return HexFormat.of().formatHex(m.asSlice(offset, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    }

    public static String normalize(String hex) {
        return hex.replaceAll("\\s+", "").toLowerCase(java.util.Locale.ROOT);
    }
}
