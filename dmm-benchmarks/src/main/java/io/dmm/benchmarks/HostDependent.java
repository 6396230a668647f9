package io.dmm.benchmarks;

import java.util.Set;

/**
 * A benchmark parameter's value (a {@link Transport}, a {@link LinuxPeer}) that runs only on hosts
 * with more than a JDK. Benchmarks keep such values out of their default {@code @Param} lists (JMH
 * runs every listed value), so a plain run works everywhere and these are opt-in.
 */
interface HostDependent {
    /** What the host must have for this value; empty when it runs anywhere. */
    Set<HostNeed> needs();
}
