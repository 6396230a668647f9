package io.dmm.core.net;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/**
 * Waits for bytes the peer wrote to arrive, where a scenario needs them there before its next
 * step (data "ready" for a read): loopback delivery is quick but not synchronous on a loaded
 * machine, so a fixed sleep is a guess. Fails after 10 s instead of going on without them.
 */
final class Arrival {
    private Arrival() {
    }

    static void awaitAvailable(InputStream in, int bytes) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int available;
        while ((available = in.available()) < bytes) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(bytes + " bytes written by the peer did not arrive within 10 s ("
                        + available + " available)");
            }
            Thread.sleep(1);
        }
    }
}
