package io.dmm.stack.userspace.phy;

import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * A device that passes every call to another: the base of the wrappers ({@link FaultInjector},
 * {@link PcapWriter}), which override only what they change. The offloads are not passed on
 * ({@link #tsoMaxBytes()}, {@link #holdsFramesForBurst()} keep their defaults): a wrapper works on
 * single frames as they cross the wire, so through one the stack sends MTU-sized segments and
 * merges nothing.
 */
public abstract class ForwardingDevice implements Device {
    protected final Device inner;

    protected ForwardingDevice(Device inner) {
        this.inner = inner;
    }

    @Override public String name() { return inner.name(); }
    @Override public long macAddress() { return inner.macAddress(); }
    @Override public int mtu() { return inner.mtu(); }
    @Override public boolean txChecksumOffload() { return inner.txChecksumOffload(); }
    @Override public MemorySegment memory() { return inner.memory(); }
    @Override public int receive(RxHandler handler, int budget) { return inner.receive(handler, budget); }
    @Override public boolean rxPending() { return inner.rxPending(); }
    @Override public int txCapacity() { return inner.txCapacity(); }
    @Override public long txAcquire() { return inner.txAcquire(); }
    @Override public void txSubmit(long offset, int length) { inner.txSubmit(offset, length); }
    @Override public void txRelease(long offset) { inner.txRelease(offset); }
    @Override public void txFlush() { inner.txFlush(); }
    @Override public void txFlushAfterRelease() { inner.txFlushAfterRelease(); }
    @Override public void setRxNotifier(Runnable notifier) { inner.setRxNotifier(notifier); }
    @Override public void setListener(DeviceListener listener) { inner.setListener(listener); }
    @Override public void probe() { inner.probe(); }
    @Override public boolean reflectsTransmit() { return inner.reflectsTransmit(); }
    @Override public void multicastFilter(long[] groupMacs) { inner.multicastFilter(groupMacs); }
    @Override public Map<String, Long> counters() { return inner.counters(); }
    @Override public void close() { inner.close(); }
}
