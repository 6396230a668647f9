package io.dmm.stack.userspace.config;

/**
 * A device's {@code "faults"} object: seeded loss, duplication, reordering, corruption, delay and a
 * rate limit, applied to what the instance sends (and, with {@code "ingress": true}, to what it
 * receives). Probabilities are in [0, 1].
 */
public record FaultSpec(long seed, double loss, double duplicate, double reorder, double corrupt,
                        long delayNanos, long jitterNanos, long rateBytesPerSecond, boolean ingress) {
}
