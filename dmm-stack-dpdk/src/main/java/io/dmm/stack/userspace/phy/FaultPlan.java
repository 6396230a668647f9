package io.dmm.stack.userspace.phy;

/**
 * What a {@link FaultInjector} does to frames, immutable. Probabilities are per frame, in [0, 1].
 * Build with {@link #builder()}; {@link #NONE} injects nothing.
 *
 * @param seed            seeds the injector's random source: same seed, plan and traffic, same faults
 * @param loss            probability a frame is dropped
 * @param duplication     probability a frame is sent twice
 * @param reorder         probability a frame is held back and released after {@code reorderDistance}
 *                        later frames (or after {@code reorderMaxHoldNanos}, whichever comes first)
 * @param reorderDistance how many later frames overtake a held-back one
 * @param reorderMaxHoldNanos the longest a held-back frame waits for later frames
 * @param corruption      probability one random bit beyond the Ethernet header is flipped; when
 *                        positive, the injector vouches for no checksum in either direction
 * @param delayNanos      fixed delay added to every frame (0 = none)
 * @param jitterNanos     extra delay drawn uniformly from [0, jitterNanos] (does not reorder:
 *                        frames leave in order, each no earlier than its due time)
 * @param rateBytesPerSecond token bucket rate; frames beyond it are dropped (0 = unlimited)
 * @param burstBytes      token bucket depth (0 = one tenth of a second at the rate, at least 64 KiB)
 * @param applyToReceive  also apply the faults to frames received from the wrapped device
 * @param holdSlots       frames the injector can hold (reordered or delayed) at once (default 256;
 *                        each slot takes mtu + 14 bytes off-heap, rounded to 64); beyond it,
 *                        frames that would be held pass through unharmed (counted as hold_full)
 */
public record FaultPlan(long seed, double loss, double duplication, double reorder, int reorderDistance,
                        long reorderMaxHoldNanos, double corruption, long delayNanos, long jitterNanos,
                        long rateBytesPerSecond, long burstBytes, boolean applyToReceive, int holdSlots) {

    public static final FaultPlan NONE = builder().build();

    public FaultPlan {
        probability("loss", loss);
        probability("duplication", duplication);
        probability("reorder", reorder);
        probability("corruption", corruption);
        if (reorderDistance < 1) throw new IllegalArgumentException("reorderDistance must be at least 1: " + reorderDistance);
        if (reorderMaxHoldNanos <= 0) throw new IllegalArgumentException("reorderMaxHoldNanos must be positive: " + reorderMaxHoldNanos);
        if (delayNanos < 0) throw new IllegalArgumentException("delayNanos must not be negative: " + delayNanos);
        if (jitterNanos < 0) throw new IllegalArgumentException("jitterNanos must not be negative: " + jitterNanos);
        if (rateBytesPerSecond < 0) throw new IllegalArgumentException("rateBytesPerSecond must not be negative (0 = unlimited): " + rateBytesPerSecond);
        if (burstBytes < 0) throw new IllegalArgumentException("burstBytes must not be negative (0 = default): " + burstBytes);
        if (holdSlots < 1) throw new IllegalArgumentException("holdSlots must be positive: " + holdSlots);
    }

    private static void probability(String name, double p) {
        if (!(p >= 0.0 && p <= 1.0)) {  // also rejects NaN
            throw new IllegalArgumentException(name + " is a probability and must be in [0, 1]: " + p);
        }
    }

    public boolean corrupts() {
        return corruption > 0;
    }

    public boolean delays() {
        return delayNanos > 0 || jitterNanos > 0;
    }

    /** The token bucket depth in effect. */
    public long effectiveBurstBytes() {
        if (burstBytes > 0) return burstBytes;
        return Math.max(rateBytesPerSecond / 10, 64 * 1024);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private long seed = 1;
        private double loss, duplication, reorder, corruption;
        private int reorderDistance = 3;
        private long reorderMaxHoldNanos = 10_000_000L;
        private long delayNanos, jitterNanos, rateBytesPerSecond, burstBytes;
        private boolean applyToReceive;
        private int holdSlots = 256;

        private Builder() {}

        public Builder seed(long seed) { this.seed = seed; return this; }
        public Builder loss(double p) { this.loss = p; return this; }
        public Builder duplication(double p) { this.duplication = p; return this; }
        public Builder reorder(double p, int distance) { this.reorder = p; this.reorderDistance = distance; return this; }
        public Builder reorderMaxHoldNanos(long nanos) { this.reorderMaxHoldNanos = nanos; return this; }
        public Builder corruption(double p) { this.corruption = p; return this; }
        public Builder delay(long delayNanos, long jitterNanos) { this.delayNanos = delayNanos; this.jitterNanos = jitterNanos; return this; }
        public Builder rateLimit(long bytesPerSecond, long burstBytes) { this.rateBytesPerSecond = bytesPerSecond; this.burstBytes = burstBytes; return this; }
        public Builder applyToReceive(boolean yes) { this.applyToReceive = yes; return this; }
        public Builder holdSlots(int slots) { this.holdSlots = slots; return this; }

        public FaultPlan build() {
            return new FaultPlan(seed, loss, duplication, reorder, reorderDistance, reorderMaxHoldNanos, corruption,
                    delayNanos, jitterNanos, rateBytesPerSecond, burstBytes, applyToReceive, holdSlots);
        }
    }
}
