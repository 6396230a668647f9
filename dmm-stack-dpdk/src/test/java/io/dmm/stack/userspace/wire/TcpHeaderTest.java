package io.dmm.stack.userspace.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Golden frames written by hand as Linux sends them (checksums for 10.0.0.1 ↔ 10.0.0.2). */
class TcpHeaderTest {
    static final int A = Ipv4Address.of(10, 0, 0, 1), B = Ipv4Address.of(10, 0, 0, 2);

    /** SYN: MSS 1460, SACK-permitted, timestamps, NOP, window scale 7; window 64240. */
    static final String SYN = "a2 c4 00 50 6f 1e 2b 7c 00 00 00 00 a0 02 fa f0 de c2 00 00"
            + " 02 04 05 b4 04 02 08 0a 00 0d 1c 8e 00 00 00 00 01 03 03 07";
    /** PSH|ACK with NOP NOP timestamps and "hello". */
    static final String DATA = "a2 c4 00 50 6f 1e 2b 7d 11 22 33 45 80 18 01 f6 3f 7f 00 00"
            + " 01 01 08 0a 00 0d 1c a2 3e 8f 00 11 68 65 6c 6c 6f";
    /** ACK with timestamps and one SACK block. */
    static final String SACK_ACK = "00 50 a2 c4 11 22 33 45 6f 1e 2b 82 b0 10 01 f5 0a f7 00 00"
            + " 01 01 08 0a 3e 8f 00 20 00 0d 1c a2 01 01 05 0a 6f 1e 30 00 6f 1e 34 00";

    static MemorySegment bytes(String hex) {
        return MemorySegment.ofArray(HexFormat.ofDelimiter(" ").parseHex(hex));
    }

    static byte[] toArray(MemorySegment m, int len) {
        return m.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void parsesLinuxSyn() {
        MemorySegment m = bytes(SYN);
        TcpHeader h = new TcpHeader().wrap(m, 0);
        assertEquals(41668, h.srcPort());
        assertEquals(80, h.dstPort());
        assertEquals(0x6f1e2b7c, h.seq());
        assertEquals(0, h.ack());
        assertEquals(40, h.headerLength());
        assertEquals(TcpHeader.SYN, h.flags());
        assertEquals(64240, h.window());
        assertTrue(Checksum.transportVerifies(m, 0, 40, A, B, 6));
        assertTrue(h.parseOptions());
        assertEquals(1460, h.mss);
        assertTrue(h.sackPermitted);
        assertTrue(h.hasTimestamps);
        assertEquals(0x000d1c8e, h.tsVal);
        assertEquals(0, h.tsEcr);
        assertEquals(7, h.windowScale);
        assertEquals(0, h.sackCount);
    }

    @Test
    void emitsLinuxSynByteExact() {
        MemorySegment m = MemorySegment.ofArray(new byte[64]);
        TcpHeader h = new TcpHeader().wrap(m, 0);
        int len = h.putSynOptions(1460, true, true, 0x000d1c8e, 0, 7);
        h.srcPort(41668).dstPort(80).seq(0x6f1e2b7c).ack(0).headerLength(len).flags(TcpHeader.SYN).window(64240).checksum(0).urgent(0);
        h.checksum(Checksum.transport(m, 0, len, A, B, 6));
        assertArrayEquals(bytes(SYN).toArray(ValueLayout.JAVA_BYTE), toArray(m, len));
    }

    @Test
    void synWithoutTimestampsUsesLinuxNopLayout() {
        MemorySegment m = MemorySegment.ofArray(new byte[64]);
        TcpHeader h = new TcpHeader().wrap(m, 0);
        int len = h.putSynOptions(1460, true, false, 0, 0, 7);
        assertEquals(32, len);
        assertArrayEquals(HexFormat.ofDelimiter(" ").parseHex("02 04 05 b4 01 01 04 02 01 03 03 07"),
                m.asSlice(20, 12).toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void dataSegmentWithTimestampsParseAndEmit() {
        MemorySegment m = bytes(DATA);
        TcpHeader h = new TcpHeader().wrap(m, 0);
        assertEquals(32, h.headerLength());
        assertEquals(TcpHeader.PSH | TcpHeader.ACK, h.flags());
        assertEquals(0x11223345, h.ack());
        assertEquals(502, h.window());
        assertTrue(h.parseOptions());
        assertTrue(h.hasTimestamps);
        assertEquals(0x000d1ca2, h.tsVal);
        assertEquals(0x3e8f0011, h.tsEcr);
        assertEquals(-1, h.mss);
        assertTrue(Checksum.transportVerifies(m, 0, 37, A, B, 6));

        MemorySegment out = MemorySegment.ofArray(new byte[64]);
        TcpHeader e = new TcpHeader().wrap(out, 0);
        int len = e.putSegmentOptions(true, 0x000d1ca2, 0x3e8f0011, new int[0], new int[0], 0);
        e.srcPort(41668).dstPort(80).seq(0x6f1e2b7d).ack(0x11223345).headerLength(len).flags(0x18).window(502).checksum(0).urgent(0);
        MemorySegment.copy(MemorySegment.ofArray("hello".getBytes()), 0, out, len, 5);
        e.checksum(Checksum.transport(out, 0, len + 5, A, B, 6));
        assertArrayEquals(m.toArray(ValueLayout.JAVA_BYTE), toArray(out, len + 5));
    }

    @Test
    void sackAckParseAndEmit() {
        MemorySegment m = bytes(SACK_ACK);
        TcpHeader h = new TcpHeader().wrap(m, 0);
        assertEquals(44, h.headerLength());
        assertTrue(h.parseOptions());
        assertEquals(1, h.sackCount);
        assertEquals(0x6f1e3000, h.sackLeft[0]);
        assertEquals(0x6f1e3400, h.sackRight[0]);
        assertTrue(Checksum.transportVerifies(m, 0, 44, B, A, 6));

        MemorySegment out = MemorySegment.ofArray(new byte[64]);
        TcpHeader e = new TcpHeader().wrap(out, 0);
        int len = e.putSegmentOptions(true, 0x3e8f0020, 0x000d1ca2, new int[] {0x6f1e3000}, new int[] {0x6f1e3400}, 1);
        e.srcPort(80).dstPort(41668).seq(0x11223345).ack(0x6f1e2b82).headerLength(len).flags(TcpHeader.ACK).window(501).checksum(0).urgent(0);
        e.checksum(Checksum.transport(out, 0, len, B, A, 6));
        assertArrayEquals(m.toArray(ValueLayout.JAVA_BYTE), toArray(out, len));
    }

    @Test
    void sackBlocksAreCappedToWhatFitsWithTimestamps() {
        MemorySegment out = MemorySegment.ofArray(new byte[64]);
        TcpHeader e = new TcpHeader().wrap(out, 0);
        int[] l = {1, 3, 5, 7}, r = {2, 4, 6, 8};
        assertEquals(20 + 12 + 4 + 24, e.putSegmentOptions(true, 1, 2, l, r, 4));
        e.headerLength(60);
        assertTrue(e.parseOptions());
        assertEquals(3, e.sackCount);
        assertEquals(20 + 4 + 32, e.putSegmentOptions(false, 0, 0, l, r, 4));
    }

    @Test
    void unknownOptionsSkippedMalformedDetected() {
        // MSS, unknown kind 30 of length 4, EOL
        MemorySegment ok = bytes("00 01 00 02 00 00 00 01 00 00 00 00 80 02 ff ff 00 00 00 00"
                + " 02 04 05 78 1e 04 aa bb 00 00 00 00");
        TcpHeader h = new TcpHeader().wrap(ok, 0);
        assertTrue(h.parseOptions());
        assertEquals(1400, h.mss);
        // length 1
        assertFalse(new TcpHeader().wrap(bytes("00 01 00 02 00 00 00 01 00 00 00 00 60 02 ff ff 00 00 00 00 1e 01 00 00"), 0).parseOptions());
        // runs past the header
        assertFalse(new TcpHeader().wrap(bytes("00 01 00 02 00 00 00 01 00 00 00 00 60 02 ff ff 00 00 00 00 1e 08 00 00"), 0).parseOptions());
        // MSS of wrong length
        assertFalse(new TcpHeader().wrap(bytes("00 01 00 02 00 00 00 01 00 00 00 00 60 02 ff ff 00 00 00 00 02 03 05 00"), 0).parseOptions());
        // kind without room for its length byte
        assertFalse(new TcpHeader().wrap(bytes("00 01 00 02 00 00 00 01 00 00 00 00 60 02 ff ff 00 00 00 00 01 01 01 02"), 0).parseOptions());
        // SACK with a partial block
        assertFalse(new TcpHeader().wrap(bytes("00 01 00 02 00 00 00 01 00 00 00 00 70 10 ff ff 00 00 00 00 05 06 00 00 00 01 00 00"), 0).parseOptions());
    }
}
