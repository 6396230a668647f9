package io.dmm.core.runtime;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The one daemon thread DMM's management plane runs on, shared by every runtime of the JVM: policy
 * file checks, health checks and stopping retired stack instances. Work on it is short; nothing
 * on it blocks on the network.
 */
public final class ManagementThread {
    private static final ScheduledExecutorService SCHEDULER = create();

    private ManagementThread() {
    }

    private static ScheduledExecutorService create() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "dmm-management");
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        return s;
    }

    public static ScheduledExecutorService scheduler() {
        return SCHEDULER;
    }
}
