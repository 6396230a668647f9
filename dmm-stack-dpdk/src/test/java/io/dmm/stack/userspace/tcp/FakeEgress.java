package io.dmm.stack.userspace.tcp;

import io.dmm.stack.userspace.iface.Egress;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;

/** An Egress that captures every packet a transport sends (as bytes with its addresses). */
final class FakeEgress implements Egress {
    record Packet(int srcIp, int dstIp, int tos, byte[] l4) {}

    static final long L4_OFFSET = 34; // where Ethernet + IPv4 would end
    final MemorySegment memory = Arena.ofAuto().allocate(16 * 1024);
    final ArrayDeque<Packet> sent = new ArrayDeque<>();
    final int[] localIps;
    int mtu = 1500;
    boolean offload;
    /** How many of the next begin() calls fail (no transmit buffer). */
    int failBegins;
    private boolean open;
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
        memory.asSlice(L4_OFFSET, mtu - 20).fill((byte) 0x5A); // garbage: the transport must write every byte
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
    @Override public int l4Capacity() { return mtu - 20; }

    @Override
    public void send(int l4Length) {
        if (!open) throw new IllegalStateException("no packet open");
        if (l4Length > l4Capacity()) throw new IllegalStateException("too long: " + l4Length);
        open = false;
        sent.addLast(new Packet(src, dst, tos, memory.asSlice(L4_OFFSET, l4Length).toArray(ValueLayout.JAVA_BYTE)));
    }

    @Override
    public void abort() {
        open = false;
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
