package io.dmm.stack.userspace.tcp;

import io.dmm.stack.userspace.iface.Egress;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;

/** An Egress that captures every packet a transport sends (as bytes with its addresses). */
final class FakeEgress implements Egress {
    /** A packet sent; {@code segmentSize} > 0 for one sent for the device to segment (TSO). */
    record Packet(int srcIp, int dstIp, int tos, byte[] l4, int segmentSize) {}

    static final long L4_OFFSET = 34; // where Ethernet + IPv4 would end
    final MemorySegment memory = Arena.ofAuto().allocate(70 * 1024);
    final ArrayDeque<Packet> sent = new ArrayDeque<>();
    final int[] localIps;
    int mtu = 1500;
    boolean offload;
    /** How many of the next begin() calls fail (no transmit buffer). */
    int failBegins;
    /** TCP segmentation offload: the largest packet beginSegmented opens, 0 for none. */
    int segmentationMax;
    /** beginSegmented refuses (as with no large buffer free) while set. */
    boolean refuseSegmented;
    private boolean open;
    private boolean segmented;
    private int src, dst, tos;

    FakeEgress(int... localIps) {
        this.localIps = localIps;
    }

    @Override
    public boolean begin(int srcIp, int dstIp, int protocol) {
        if (open) throw new IllegalStateException("packet already open");
        if (protocol != 6) throw new IllegalArgumentException("protocol " + protocol);
        if (failBegins > 0) {
            failBegins--;
            return false;
        }
        memory.asSlice(L4_OFFSET, l4Capacity()).fill((byte) 0x5A); // garbage: the transport must write every byte
        open = true;
        tos = 0;
        src = srcIp;
        dst = dstIp;
        return true;
    }

    @Override
    public void ipFields(int ttl, int tos, boolean multicastLoop) {
        if (!open) throw new IllegalStateException("no packet open");
        this.tos = tos;
    }

    @Override public MemorySegment memory() { return memory; }
    @Override public long l4Offset() { return L4_OFFSET; }
    @Override public int l4Capacity() { return (segmented ? segmentationMax : mtu) - 20; }
    @Override public int segmentationMaxBytes() { return segmentationMax; }

    @Override
    public boolean beginSegmented(int srcIp, int dstIp) {
        if (open) throw new IllegalStateException("packet already open");
        if (segmentationMax == 0 || refuseSegmented || isLocalAddress(dstIp)) return false;
        segmented = true;
        if (!begin(srcIp, dstIp, 6)) segmented = false;
        return segmented;
    }

    @Override
    public void send(int l4Length) {
        if (segmented) throw new IllegalStateException("a segmented packet is sent with sendSegmented");
        record(l4Length, 0);
    }

    @Override
    public void sendSegmented(int l4Length, int segmentSize) {
        if (!segmented) throw new IllegalStateException("no segmented packet open");
        if (segmentSize <= 0) throw new IllegalStateException("segment size " + segmentSize);
        record(l4Length, segmentSize);
        segmented = false;
    }

    private void record(int l4Length, int segmentSize) {
        if (!open) throw new IllegalStateException("no packet open");
        if (l4Length > l4Capacity()) throw new IllegalStateException("too long: " + l4Length);
        open = false;
        sent.addLast(new Packet(src, dst, tos, memory.asSlice(L4_OFFSET, l4Length).toArray(ValueLayout.JAVA_BYTE), segmentSize));
    }

    @Override
    public void abort() {
        open = false;
        segmented = false;
    }

    @Override public boolean txChecksumOffload() { return offload; }
    @Override public int mtu() { return mtu; }

    @Override
    public boolean isLocalAddress(int ip) {
        for (int a : localIps) if (a == ip) return true;
        return false;
    }

    @Override
    public int sourceAddressFor(int dstIp) {
        return localIps[0];
    }
}
