package io.dmm.stack.userspace.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.dmm.stack.userspace.wire.Checksum;
import io.dmm.stack.userspace.wire.TcpHeader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * A TCP segment for scenario tests: built fluently to send ({@code seg().syn().seq(1000)...}),
 * decoded from what the stack emitted, and used as a pattern where only the fields set are checked.
 */
final class Seg {
    Integer srcPort, dstPort, seq, ack, window, flags, mss, wscale, tsVal, tsEcr;
    Boolean sackPerm, hasTs;
    int[] sack; // left,right pairs
    byte[] payload;
    Integer payloadLen;
    /** The IPv4 TOS byte the segment went out with (set on segments the stack sent). */
    Integer tos;
    /** The urgent pointer (with URG) of a segment to send, and as decoded. */
    Integer urgent;
    /** For a packet the stack sent for TCP segmentation offload, the segment payload size asked; 0 for an ordinary one. */
    Integer segmentSize;

    static Seg seg() {
        return new Seg();
    }

    Seg flags(int f) { flags = f; return this; }
    Seg syn() { return flags(TcpHeader.SYN); }
    Seg synAck() { return flags(TcpHeader.SYN | TcpHeader.ACK); }
    Seg ackOnly() { return flags(TcpHeader.ACK); }
    Seg rst() { return flags(TcpHeader.RST); }
    Seg rstAck() { return flags(TcpHeader.RST | TcpHeader.ACK); }
    Seg fin() { return flags(TcpHeader.FIN | TcpHeader.ACK); }
    Seg psh() { return flags(TcpHeader.PSH | TcpHeader.ACK); }
    Seg seq(int v) { seq = v; return this; }
    Seg ack(int v) { ack = v; if (flags == null) flags = TcpHeader.ACK; return this; }
    Seg window(int v) { window = v; return this; }
    Seg mss(int v) { mss = v; return this; }
    Seg wscale(int v) { wscale = v; return this; }
    Seg sackPerm() { sackPerm = true; return this; }
    Seg noSackPerm() { sackPerm = false; return this; }
    Seg ts(Integer val, Integer ecr) { tsVal = val; tsEcr = ecr; hasTs = true; return this; }
    Seg noTs() { hasTs = false; return this; }
    Seg sack(int... pairs) { sack = pairs; return this; }
    Seg payload(byte[] p) { payload = p; payloadLen = p.length; return this; }
    Seg payload(String s) { return payload(s.getBytes()); }
    Seg len(int n) { payloadLen = n; return this; }
    Seg ports(int src, int dst) { srcPort = src; dstPort = dst; return this; }
    Seg tos(int v) { tos = v; return this; }
    Seg segmentSize(int v) { segmentSize = v; return this; }
    /** The urgent pointer; a pointer other than 0 sets URG too. */
    Seg urgent(int pointer) {
        urgent = pointer;
        if (pointer != 0) flags = (flags == null ? TcpHeader.ACK : flags) | TcpHeader.URG;
        return this;
    }

    boolean has(int flag) { return flags != null && (flags & flag) != 0; }
    int len() { return payload == null ? 0 : payload.length; }

    /** Encodes this segment from srcIp to dstIp (checksum filled). */
    byte[] encode(int srcIp, int dstIp, int defaultSrcPort, int defaultDstPort) {
        MemorySegment m = MemorySegment.ofArray(new byte[60 + len()]);
        TcpHeader h = new TcpHeader().wrap(m, 0);
        int hl;
        int f = flags == null ? TcpHeader.ACK : flags;
        if ((f & TcpHeader.SYN) != 0) {
            hl = h.putSynOptions(mss == null ? 1460 : mss, Boolean.TRUE.equals(sackPerm), Boolean.TRUE.equals(hasTs),
                    tsVal == null ? 0 : tsVal, tsEcr == null ? 0 : tsEcr, wscale == null ? -1 : wscale);
            if (mss != null && mss < 0) { // a SYN without MSS option: rewrite without it
                hl = 20;
            }
        } else {
            int n = sack == null ? 0 : sack.length / 2;
            int[] l = new int[Math.max(n, 1)], r = new int[Math.max(n, 1)];
            for (int i = 0; i < n; i++) { l[i] = sack[2 * i]; r[i] = sack[2 * i + 1]; }
            hl = h.putSegmentOptions(Boolean.TRUE.equals(hasTs), tsVal == null ? 0 : tsVal, tsEcr == null ? 0 : tsEcr, l, r, n);
        }
        h.srcPort(srcPort == null ? defaultSrcPort : srcPort).dstPort(dstPort == null ? defaultDstPort : dstPort)
                .seq(seq == null ? 0 : seq).ack(ack == null ? 0 : ack).headerLength(hl).flags(f)
                .window(window == null ? 65535 : window).checksum(0).urgent(urgent == null ? 0 : urgent);
        if (payload != null) MemorySegment.copy(MemorySegment.ofArray(payload), 0, m, hl, payload.length);
        int total = hl + len();
        h.checksum(Checksum.transport(m, 0, total, srcIp, dstIp, 6));
        return Arrays.copyOf(m.toArray(ValueLayout.JAVA_BYTE), total);
    }

    /** Decodes an emitted segment. */
    static Seg decode(byte[] bytes) {
        MemorySegment m = MemorySegment.ofArray(bytes);
        TcpHeader h = new TcpHeader().wrap(m, 0);
        if (!h.parseOptions()) throw new AssertionError("stack emitted malformed options");
        Seg s = new Seg();
        s.srcPort = h.srcPort();
        s.dstPort = h.dstPort();
        s.seq = h.seq();
        s.ack = h.ack();
        s.flags = h.flags();
        s.window = h.window();
        s.urgent = h.urgent();
        s.mss = h.mss;
        s.wscale = h.windowScale;
        s.sackPerm = h.sackPermitted;
        s.hasTs = h.hasTimestamps;
        if (h.hasTimestamps) {
            s.tsVal = h.tsVal;
            s.tsEcr = h.tsEcr;
        }
        s.sack = new int[2 * h.sackCount];
        for (int i = 0; i < h.sackCount; i++) {
            s.sack[2 * i] = h.sackLeft[i];
            s.sack[2 * i + 1] = h.sackRight[i];
        }
        s.payload = Arrays.copyOfRange(bytes, h.headerLength(), bytes.length);
        s.payloadLen = s.payload.length;
        return s;
    }

    /** Asserts that {@code actual} has every field this pattern sets. */
    void check(Seg actual) {
        assertNotNull(actual);
        String ctx = "expected " + this + " but got " + actual;
        if (flags != null) assertEquals(flagString(flags), flagString(actual.flags), ctx);
        if (seq != null) assertEquals(Integer.toUnsignedString(seq), Integer.toUnsignedString(actual.seq), "seq: " + ctx);
        if (ack != null) assertEquals(Integer.toUnsignedString(ack), Integer.toUnsignedString(actual.ack), "ack: " + ctx);
        if (window != null) assertEquals(window, actual.window, "window: " + ctx);
        if (mss != null) assertEquals(mss, actual.mss, "mss: " + ctx);
        if (wscale != null) assertEquals(wscale, actual.wscale, "wscale: " + ctx);
        if (sackPerm != null) assertEquals(sackPerm, actual.sackPerm, "sackPerm: " + ctx);
        if (hasTs != null) assertEquals(hasTs, actual.hasTs, "ts: " + ctx);
        if (tsVal != null) assertEquals(tsVal, actual.tsVal, "tsVal: " + ctx);
        if (tsEcr != null) assertEquals(tsEcr, actual.tsEcr, "tsEcr: " + ctx);
        if (sack != null) assertEquals(Arrays.toString(sack), Arrays.toString(actual.sack), "sack: " + ctx);
        if (payload != null) assertEquals(new String(payload), new String(actual.payload), "payload: " + ctx);
        if (payloadLen != null) assertEquals(payloadLen, actual.payloadLen, "len: " + ctx);
        if (tos != null) assertEquals(tos, actual.tos, "tos: " + ctx);
        if (urgent != null) assertEquals(urgent, actual.urgent, "urgent pointer: " + ctx);
        if (segmentSize != null) assertEquals(segmentSize, actual.segmentSize, "TSO segment size: " + ctx);
    }

    static String flagString(int f) {
        StringBuilder b = new StringBuilder();
        if ((f & TcpHeader.SYN) != 0) b.append("SYN,");
        if ((f & TcpHeader.FIN) != 0) b.append("FIN,");
        if ((f & TcpHeader.RST) != 0) b.append("RST,");
        if ((f & TcpHeader.PSH) != 0) b.append("PSH,");
        if ((f & TcpHeader.URG) != 0) b.append("URG,");
        if ((f & TcpHeader.ACK) != 0) b.append("ACK,");
        return b.toString();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Seg[");
        if (flags != null) b.append(flagString(flags));
        if (seq != null) b.append(" seq=").append(Integer.toUnsignedString(seq));
        if (ack != null) b.append(" ack=").append(Integer.toUnsignedString(ack));
        if (window != null) b.append(" win=").append(window);
        if (segmentSize != null && segmentSize != 0) b.append(" tso=").append(segmentSize);
        if (mss != null && mss >= 0) b.append(" mss=").append(mss);
        if (wscale != null && wscale >= 0) b.append(" ws=").append(wscale);
        if (Boolean.TRUE.equals(sackPerm)) b.append(" sackOK");
        if (Boolean.TRUE.equals(hasTs)) b.append(" ts=").append(tsVal).append('/').append(tsEcr);
        if (sack != null && sack.length > 0) b.append(" sack=").append(Arrays.toString(sack));
        if (payloadLen != null) b.append(" len=").append(payloadLen);
        return b.append(']').toString();
    }
}
