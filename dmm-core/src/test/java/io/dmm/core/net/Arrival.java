package io.dmm.core.net;

import java.io.IOException;
import java.io.InputStream;
import io.dmm.api.testing.Waits;
import java.time.Duration;

/**
 * Waits for bytes the peer wrote to arrive, where a scenario needs them there before its next
 * step (data "ready" for a read): loopback delivery is quick but not synchronous on a loaded
 * machine, so a fixed sleep is a guess. Fails after 10 s instead of going on without them.
 */
final class Arrival {
    private Arrival() {
    }

    static void awaitAvailable(InputStream in, int bytes) throws IOException, InterruptedException {
        int[] available = {0};
        Waits.until(() -> bytes + " bytes written by the peer to arrive (" + available[0] + " available)",
                Duration.ofSeconds(10), () -> (available[0] = in.available()) >= bytes);
    }
}
