package io.dmm.systemtest.host;

import java.util.concurrent.TimeUnit;

/** Ending a process and everything it started (socat fork children, a shell's commands). */
public final class Processes {
    private Processes() {}

    /** Kills the process tree now: these are test peers, nothing of theirs needs a graceful end. */
    public static void kill(Process p) {
        kill(p.toHandle());
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void kill(ProcessHandle h) {
        // Children first: once the parent is gone they are re-parented and no longer its descendants.
        h.descendants().forEach(ProcessHandle::destroyForcibly);
        h.destroyForcibly();
    }
}
