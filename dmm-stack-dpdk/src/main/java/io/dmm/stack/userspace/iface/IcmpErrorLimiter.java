package io.dmm.stack.userspace.iface;

/**
 * A token bucket for the ICMP errors we send (RFC 1812 4.3.2.8, RFC 1122 3.2.2: errors SHOULD be
 * rate-limited), so a flood to closed ports or unknown protocols cannot turn us into a packet
 * amplifier. Credit is kept in nanoseconds: each error costs one interval, and at most a burst's
 * worth accumulates. Integer arithmetic, no allocation.
 */
final class IcmpErrorLimiter {
    private final long costNanos;
    private final long capacityNanos;
    private long credit;
    private long last;

    IcmpErrorLimiter(int perSecond, int burst, long nowNanos) {
        this.costNanos = 1_000_000_000L / perSecond;
        this.capacityNanos = costNanos * burst;
        this.credit = capacityNanos;
        this.last = nowNanos;
    }

    /** Whether one more error may go out at {@code nowNanos} (and if so, pays for it). */
    boolean tryAcquire(long nowNanos) {
        long elapsed = nowNanos - last;
        if (elapsed > 0) {
            credit = Math.min(capacityNanos, credit + Math.min(elapsed, capacityNanos));
            last = nowNanos;
        }
        if (credit < costNanos) return false;
        credit -= costNanos;
        return true;
    }
}
