package io.dmm.stack.userspace.iface;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** A transport that records what the interface hands it, and says "taken" as told. */
final class RecordingTransport implements TransportHandler {
    record Delivery(byte[] bytes, int src, int dst, boolean verified) {}

    record Unreachable(int code, int src, int srcPort, int dst, int dstPort) {}

    final List<Delivery> deliveries = new ArrayList<>();
    final List<Unreachable> unreachables = new ArrayList<>();
    boolean accept = true;
    /** Runs inside ingress, e.g. to answer while the interface is delivering. */
    Runnable onIngress;

    @Override
    public boolean ingress(MemorySegment memory, long offset, int length, int srcIp, int dstIp, boolean checksumsVerified) {
        deliveries.add(new Delivery(memory.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE), srcIp, dstIp, checksumsVerified));
        if (onIngress != null) onIngress.run();
        return accept;
    }

    /** The size of every batch GRO handed up (its segments are recorded as deliveries too). */
    final List<Integer> batches = new ArrayList<>();

    @Override
    public void ingressBatch(SegmentBatch batch) {
        batches.add(batch.count());
        TransportHandler.super.ingressBatch(batch);
    }

    @Override
    public void destinationUnreachable(int code, int srcIp, int srcPort, int dstIp, int dstPort) {
        unreachables.add(new Unreachable(code, srcIp, srcPort, dstIp, dstPort));
    }
}
