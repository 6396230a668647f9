package io.dmm.stack.userspace.phy;

import java.lang.foreign.MemorySegment;

/**
 * Takes received frames from a {@link Device}. The frame is valid only during the call (the device
 * reuses its memory afterwards), so a handler that keeps bytes copies them — unless the device
 * {@linkplain Device#holdsFramesForBurst() holds the burst's frames} until {@link #endOfBurst()}.
 */
@FunctionalInterface
public interface RxHandler {
    /**
     * One received Ethernet frame (no FCS) at {@code [offset, offset + length)} of {@code memory}.
     * {@code checksumsVerified} is true when the device vouches for the IPv4/TCP/UDP checksums
     * (in-memory links, or a NIC's rx checksum offload), so the stack need not compute them.
     */
    void frame(MemorySegment memory, long offset, int length, boolean checksumsVerified);

    /**
     * A device that {@linkplain Device#holdsFramesForBurst() holds a burst's frames} calls this
     * after the last frame of a burst and before it releases them: what the handler kept of them
     * (GRO's held segments) must be used now.
     */
    default void endOfBurst() {}
}
