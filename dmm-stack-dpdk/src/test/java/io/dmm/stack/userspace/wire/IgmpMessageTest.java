package io.dmm.stack.userspace.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The IGMP view against bytes worked out by hand from RFC 2236 and RFC 3376, and against hostile lengths. */
class IgmpMessageTest {
    private static final int GROUP = Ipv4Address.parse("239.1.2.3");

    @Test
    void aVersion2ReportIsEightBytesWithItsChecksum() {
        MemorySegment m = MemorySegment.ofArray(new byte[8]);
        new IgmpMessage().wrap(m, 0, 8).emitShort(IgmpMessage.TYPE_V2_REPORT, 0, GROUP);
        // 0x1600 + 0xef01 + 0x0203 = 0x10704, folded 0x0705, complemented 0xf8fa
        assertEquals("1600f8faef010203", GoldenBytes.of(m, 0, 8));
    }

    @Test
    void aVersion3ReportWithTwoRecordsParsesBack() {
        MemorySegment m = MemorySegment.ofArray(new byte[40]);
        IgmpMessage v = new IgmpMessage().wrap(m, 0, 40);
        v.emitV3ReportHeader(2);
        int at = v.putRecord(8, IgmpMessage.CHANGE_TO_EXCLUDE, GROUP, new int[0], 0);
        at = v.putRecord(at, IgmpMessage.ALLOW_NEW_SOURCES, GROUP + 1, new int[] {0x0A000001, 0x0A000002}, 2);
        v.fillChecksum(at);
        // checksum: the words sum to 0x22110, folded 0x2112, complemented 0xdeed
        assertEquals("2200" + "deed" + "0000" + "0002"
                + "04000000" + "ef010203"
                + "05000002" + "ef010204" + "0a000001" + "0a000002", GoldenBytes.of(m, 0, at));
        IgmpMessage r = new IgmpMessage().wrap(m, 0, at);
        assertTrue(r.isValid());
        assertTrue(r.checksumValid());
        assertEquals(2, r.reportRecordCount());
        int second = r.recordAt(1);
        assertEquals(IgmpMessage.ALLOW_NEW_SOURCES, r.recordType(second));
        assertEquals(GROUP + 1, r.recordGroup(second));
        assertEquals(0x0A000002, r.recordSource(second, 1));
    }

    @Test
    void queryVersionsAndMaxResponseTimes() {
        IgmpMessage q = new IgmpMessage().wrap(MemorySegment.ofArray(new byte[8]), 0, 8);
        q.emitShort(IgmpMessage.TYPE_QUERY, 0, 0);
        assertEquals(1, q.queryVersion());
        assertEquals(10_000_000_000L, q.maxResponseNanos(), "version 1: 10 s");
        q.emitShort(IgmpMessage.TYPE_QUERY, 100, 0);
        assertEquals(2, q.queryVersion());
        assertEquals(10_000_000_000L, q.maxResponseNanos(), "100 tenths");
        IgmpMessage q3 = new IgmpMessage().wrap(MemorySegment.ofArray(new byte[12]), 0, 12);
        q3.emitV3Query(0x8C, 0);
        assertEquals(3, q3.queryVersion());
        // RFC 3376 4.1.1: exp 0, mant 0xc: (0x1c) << 3 = 224 tenths
        assertEquals(22_400_000_000L, q3.maxResponseNanos());
        q3.emitV3Query(0xFF, 0);
        assertEquals(3_174_400_000_000L, q3.maxResponseNanos(), "the largest: 31744 tenths");
        q3.emitV3Query(127, 0);
        assertEquals(12_700_000_000L, q3.maxResponseNanos(), "below 128: tenths as they are");
    }

    @Test
    void declaredPartsMustFit() {
        IgmpMessage v = new IgmpMessage();
        assertFalse(v.wrap(MemorySegment.ofArray(new byte[7]), 0, 7).isValid(), "shorter than the header");
        byte[] tenByteQuery = new byte[10];
        tenByteQuery[0] = IgmpMessage.TYPE_QUERY;
        assertFalse(v.wrap(MemorySegment.ofArray(tenByteQuery), 0, 10).isValid(), "9 to 11 bytes: no query");
        byte[] query = new byte[16];
        v.wrap(MemorySegment.ofArray(query), 0, 16).emitV3Query(10, 0, 0x0A000001);
        assertTrue(v.wrap(MemorySegment.ofArray(query), 0, 16).isValid());
        assertFalse(v.wrap(MemorySegment.ofArray(query), 0, 15).isValid(), "its source does not fit");
        byte[] report = new byte[20];
        MemorySegment r = MemorySegment.ofArray(report);
        v.wrap(r, 0, 20).emitV3ReportHeader(1);
        v.putRecord(8, IgmpMessage.MODE_IS_INCLUDE, GROUP, new int[] {1}, 1);  // 12 bytes from 8: needs 20
        assertTrue(v.wrap(r, 0, 20).isValid());
        assertFalse(v.wrap(r, 0, 16).isValid(), "a record past the end");
    }

    @Test
    void anyBytesAreCheckedWithoutAnException() {
        Random random = new Random(14);
        IgmpMessage v = new IgmpMessage();
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(64)];
            random.nextBytes(b);
            if (b.length > 0 && random.nextBoolean()) b[0] = (byte) (random.nextBoolean() ? 0x11 : 0x22);
            if (v.wrap(MemorySegment.ofArray(b), 0, b.length).isValid()) {
                v.checksumValid();
                if (v.type() == IgmpMessage.TYPE_V3_REPORT) {
                    for (int k = 0; k < v.reportRecordCount(); k++) {
                        int at = v.recordAt(k);
                        for (int s = 0; s < v.recordSourceCount(at); s++) v.recordSource(at, s);
                    }
                } else if (v.type() == IgmpMessage.TYPE_QUERY) {
                    v.maxResponseNanos();
                    if (v.queryVersion() == 3) for (int s = 0; s < v.querySourceCount(); s++) v.querySource(s);
                }
            }
        }
    }
}
