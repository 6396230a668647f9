package io.dmm.stack.userspace.channel;

import io.dmm.stack.userspace.StackLock;
import io.dmm.stack.userspace.iface.Egress;
import io.dmm.stack.userspace.iface.MulticastGroups;
import io.dmm.stack.userspace.tcp.TcpStack;
import io.dmm.stack.userspace.udp.UdpStack;
import io.dmm.stack.userspace.wire.Ipv4Address;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * A StackAccess without engines, for the checks a channel makes before it needs one: its interface
 * owns 10.0.0.1 only and sends nothing. {@link #tcp()}/{@link #udp()} fail the test if reached.
 */
final class FakeStackAccess implements StackAccess {
    static final int LOCAL_IP = Ipv4Address.of(10, 0, 0, 1);

    private final StackLock lock = new StackLock();
    private volatile boolean closed;

    void close() {
        closed = true;
    }

    @Override public String name() { return "fake0"; }
    @Override public StackLock lock() { return lock; }
    @Override public TcpStack tcp() { throw new AssertionError("the engine was reached"); }
    @Override public UdpStack udp() { throw new AssertionError("the engine was reached"); }
    @Override public Egress ip() { return EGRESS; }
    @Override public MulticastGroups multicast() { throw new AssertionError("the engine was reached"); }
    @Override public void ensureOpen() throws IOException {
        if (closed) throw new IOException("stack fake0 is closed");
    }
    @Override public long spinNanos() { return 0; }

    private static final Egress EGRESS = new Egress() {
        @Override public boolean begin(int srcIp, int dstIp, int protocol) { return false; }
        @Override public MemorySegment memory() { throw new IllegalStateException("no open packet"); }
        @Override public long l4Offset() { throw new IllegalStateException("no open packet"); }
        @Override public int l4Capacity() { throw new IllegalStateException("no open packet"); }
        @Override public void send(int l4Length) { throw new IllegalStateException("no open packet"); }
        @Override public void abort() { throw new IllegalStateException("no open packet"); }
        @Override public boolean txChecksumOffload() { return false; }
        @Override public int mtu() { return 1500; }
        @Override public boolean isLocalAddress(int ip) { return ip == LOCAL_IP; }
        @Override public int sourceAddressFor(int dstIp) { return LOCAL_IP; }
    };
}
