package io.dmm.stack.userspace.tcp;

import io.dmm.stack.userspace.StackCounters;
import io.dmm.stack.userspace.StackLock;
import io.dmm.stack.userspace.tcp.TcpScaleAndAllocationTest.PipeEgress;
import io.dmm.stack.userspace.time.ManualClock;

/** Two stacks at {@code aIp} and {@code bIp} joined by {@link PipeEgress} pipes, on one lock and one virtual clock. */
final class PipedStacks {
    final ManualClock clock = new ManualClock();
    final StackLock lock = new StackLock();
    final PipeEgress ea;
    final PipeEgress eb;
    final TcpStack a;
    final TcpStack b;

    PipedStacks(int aIp, int bIp, TcpConfig cfg) {
        ea = new PipeEgress(aIp);
        eb = new PipeEgress(bIp);
        a = new TcpStack(ea, lock, clock, new StackCounters(), cfg, new IsnGenerator(1, 1), 1);
        b = new TcpStack(eb, lock, clock, new StackCounters(), cfg, new IsnGenerator(2, 2), 2);
    }
}
