package io.dmm.stack.userspace.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.stack.userspace.wire.GoldenBytes;
import io.dmm.stack.userspace.wire.VirtioNetHeader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * The virtio-net headers a tap device writes before frames, against bytes worked out by hand from
 * linux/virtio_net.h, and the partial checksums against the kernel's own completion: summing from
 * csum_start to the end, partial field included, must give the checksum the frame would have had.
 */
class TxOffloadTest {
    /** UDP 192.168.1.100:54321 -> 192.168.1.1:53 carrying "hello dmm\n"; its full checksum is 0x9243. */
    static final String UDP_DATAGRAM = """
            525400abcdef 525400123456 0800
            4500 0026 beef 4000 4011 f821 c0a80164 c0a80101
            d431 0035 0012 9243
            68656c6c6f20646d6d0a
            """;

    /** A TCP ACK 10.0.0.2:8080 -> 10.0.0.1:40000 with 4 payload bytes "pong", PSH; full checksum 0xfff2 (worked out with Python's struct, independently of Checksum). */
    static final String TCP_SEGMENT = """
            020000000001 020000000002 0800
            4500 002c 0001 4000 4006 26c9 0a000002 0a000001
            1f90 9c40 00000064 000000c8 5018 ffff fff2 0000
            706f6e67
            """;

    @Test
    void aUdpDatagramGoesWithItsChecksumPartial() {
        MemorySegment m = framed(UDP_DATAGRAM);
        int length = (int) m.byteSize() - 16;
        m.set(ValueLayout.JAVA_SHORT_UNALIGNED, 16 + 34 + 6, (short) 0);  // the stack left it out
        TxOffload.ordinary(m, 16, length, new VirtioNetHeader().wrap(m, 6));
        // flags NEEDS_CSUM, no GSO, hdr_len 0, gso_size 0, csum_start 34, csum_offset 6 (little-endian)
        assertArrayEquals(bytes("01 00 0000 0000 2200 0600"), m.asSlice(6, 10).toArray(ValueLayout.JAVA_BYTE));
        assertEquals(0x9243, kernelCompletes(m, 16 + 34, length - 34));
    }

    @Test
    void aTcpSegmentGoesWithItsChecksumPartial() {
        MemorySegment m = framed(TCP_SEGMENT);
        int length = (int) m.byteSize() - 16;
        m.set(ValueLayout.JAVA_SHORT_UNALIGNED, 16 + 34 + 16, (short) 0);
        TxOffload.ordinary(m, 16, length, new VirtioNetHeader().wrap(m, 6));
        assertArrayEquals(bytes("01 00 0000 0000 2200 1000"), m.asSlice(6, 10).toArray(ValueLayout.JAVA_BYTE));
        assertEquals(0xfff2, kernelCompletes(m, 16 + 34, length - 34));
    }

    @Test
    void aSegmentationFrameCarriesItsHeadersLengthAndSegmentSize() {
        MemorySegment m = framed(TCP_SEGMENT);
        int length = (int) m.byteSize() - 16;
        TxOffload.segmented(m, 16, length, 1448, new VirtioNetHeader().wrap(m, 6));
        // NEEDS_CSUM, GSO_TCPV4, hdr_len 14+20+20 = 54, gso_size 1448, csum_start 34, csum_offset 16
        assertArrayEquals(bytes("01 01 3600 a805 2200 1000"), m.asSlice(6, 10).toArray(ValueLayout.JAVA_BYTE));
        VirtioNetHeader h = new VirtioNetHeader().wrap(m, 6);
        assertEquals(54, h.headerLength());
        assertEquals(1448, h.gsoSize());
        assertEquals(0xfff2, kernelCompletes(m, 16 + 34, length - 34));
    }

    @Test
    void fragmentsArpAndIcmpGoAsTheyAre() {
        MemorySegment m = framed(UDP_DATAGRAM);
        int length = (int) m.byteSize() - 16;
        m.set(ValueLayout.JAVA_SHORT_UNALIGNED, 16 + 14 + 6, (short) 0x0020);  // MF: a first fragment, big-endian 0x2000
        m.asSlice(6, 10).fill((byte) 0x55);
        TxOffload.ordinary(m, 16, length, new VirtioNetHeader().wrap(m, 6));
        assertArrayEquals(new byte[10], m.asSlice(6, 10).toArray(ValueLayout.JAVA_BYTE));
        assertEquals(0x9243, m.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 16 + 34 + 6) & 0xFFFF,
                "a fragment's checksum is the stack's to fill: untouched");

        MemorySegment arp = framed("ffffffffffff 525400123456 0806 0001 0800 06 04 0001 525400123456 c0a80164 "
                + "000000000000 c0a80101");
        arp.asSlice(6, 10).fill((byte) 0x55);
        TxOffload.ordinary(arp, 16, (int) arp.byteSize() - 16, new VirtioNetHeader().wrap(arp, 6));
        assertArrayEquals(new byte[10], arp.asSlice(6, 10).toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void headersTheKernelWritesParse() {
        MemorySegment m = Arena.ofAuto().allocate(10);
        MemorySegment.copy(bytes("02 00 0000 0000 0000 0000"), 0, m, ValueLayout.JAVA_BYTE, 0, 10);
        VirtioNetHeader h = new VirtioNetHeader().wrap(m, 0);
        assertEquals(VirtioNetHeader.F_DATA_VALID, h.flags());
        assertEquals(VirtioNetHeader.GSO_NONE, h.gsoType());
        MemorySegment.copy(bytes("01 81 4200 a805 2200 1000"), 0, m, ValueLayout.JAVA_BYTE, 0, 10);
        assertEquals(VirtioNetHeader.F_NEEDS_CSUM, h.flags());
        assertEquals(VirtioNetHeader.GSO_TCPV4 | VirtioNetHeader.GSO_ECN, h.gsoType());
        assertEquals(66, h.headerLength());
        assertEquals(1448, h.gsoSize());
        assertEquals(34, h.checksumStart());
        assertEquals(16, h.checksumOffset());
    }

    /** The frame at offset 16 of a segment, after 16 bytes of headroom, as the device lays out its slots. */
    private static MemorySegment framed(String hex) {
        MemorySegment frame = GoldenBytes.segment(hex);
        MemorySegment m = Arena.ofAuto().allocate(16 + frame.byteSize());
        MemorySegment.copy(frame, 0, m, 16, frame.byteSize());
        return m;
    }

    /** What the kernel puts in the field: the complement of the folded sum from start over length bytes. */
    private static int kernelCompletes(MemorySegment m, long start, int length) {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += ((m.get(ValueLayout.JAVA_BYTE, start + i) & 0xFF) << 8) | (m.get(ValueLayout.JAVA_BYTE, start + i + 1) & 0xFF);
        }
        if ((length & 1) != 0) sum += (m.get(ValueLayout.JAVA_BYTE, start + length - 1) & 0xFF) << 8;
        while ((sum >>> 16) != 0) sum = (sum & 0xFFFF) + (sum >>> 16);
        return (int) (~sum & 0xFFFF);
    }

    private static byte[] bytes(String hex) {
        String h = hex.replaceAll("\\s", "");
        byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        return b;
    }
}
