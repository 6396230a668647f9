package io.dmm.stack.userspace.udp;

import io.dmm.stack.userspace.iface.Egress;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** An interface stand-in: captures what UDP sends, answers address questions from a fixed list. */
final class FakeEgress implements Egress {
    static final long L4_OFFSET = 14 + 20;

    record Sent(int srcIp, int dstIp, int protocol, byte[] l4, int ttl, int tos, boolean loop) {}

    final List<Sent> sent = new ArrayList<>();
    final int[] localAddresses;
    final MemorySegment memory = Arena.ofAuto().allocate(70_000);
    int mtu = 1500;
    boolean checksumOffload;
    boolean noBuffer;
    int aborts;
    /** When false, send only counts (for allocation measurements: capturing allocates). */
    boolean capture = true;
    long sendCount;
    private boolean open;
    private int srcIp, dstIp, protocol;
    private int ttl, tos;
    private boolean loop;

    FakeEgress(int... localAddresses) {
        this.localAddresses = localAddresses;
    }

    @Override
    public boolean begin(int srcIp, int dstIp, int protocol) {
        if (open) throw new IllegalStateException("a packet is already open");
        if (noBuffer) return false;
        open = true;
        this.srcIp = srcIp;
        this.dstIp = dstIp;
        this.protocol = protocol;
        this.ttl = -1;
        this.tos = 0;
        this.loop = true;
        if (capture) memory.fill((byte) 0x5A);  // garbage, so a field left unwritten shows
        return true;
    }

    @Override
    public void ipFields(int ttl, int tos, boolean multicastLoop) {
        if (!open) throw new IllegalStateException("no open packet");
        this.ttl = ttl;
        this.tos = tos;
        this.loop = multicastLoop;
    }

    @Override public MemorySegment memory() { return memory; }
    @Override public long l4Offset() { return L4_OFFSET; }
    @Override public int l4Capacity() { return mtu - 20; }

    @Override
    public void send(int l4Length) {
        if (!open) throw new IllegalStateException("no open packet");
        open = false;
        sendCount++;
        if (capture) sent.add(new Sent(srcIp, dstIp, protocol, memory.asSlice(L4_OFFSET, l4Length).toArray(ValueLayout.JAVA_BYTE),
                ttl, tos, loop));
    }

    @Override
    public void abort() {
        if (!open) throw new IllegalStateException("no open packet");
        open = false;
        aborts++;
    }

    @Override public boolean txChecksumOffload() { return checksumOffload; }
    @Override public int mtu() { return mtu; }

    @Override
    public boolean isLocalAddress(int ip) {
        for (int a : localAddresses) if (a == ip) return true;
        return false;
    }

    @Override
    public int sourceAddressFor(int dstIp) {
        return localAddresses[0];
    }
}
