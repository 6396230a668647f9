package io.dmm.benchmarks;

import java.lang.management.ManagementFactory;

/** The heap the live objects take: used heap after full GCs (a few KB of slack from other threads). */
final class LiveHeap {
    private LiveHeap() {}

    /** Used heap after three {@code System.gc()}, each given time to finish its reference processing. */
    static long bytes() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
