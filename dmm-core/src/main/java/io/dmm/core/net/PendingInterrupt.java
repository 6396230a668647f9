package io.dmm.core.net;

/**
 * Keeps an interrupt that is already pending on a platform thread away from a blocking call.
 *
 * <p>The JDK's platform SocketImpl ignores interrupts on platform threads: a thread whose interrupt
 * status is set (say, one cleaning up after catching InterruptedException) still reads, writes and
 * connects normally, and keeps its status. DMM's delegates are JDK channels, which close themselves
 * when a blocking call starts with the status set. So for the call's duration the status is
 * cleared, and set again afterwards. (An interrupt that arrives while the call is blocked still
 * closes the channel: see {@link SocketErrors}.) Virtual threads are left alone: for them the
 * JDK's socket does honour interrupts.
 */
final class PendingInterrupt {
    private PendingInterrupt() {
    }

    /** Clears a pending interrupt of a platform thread; true if there was one, for {@link #restore}. */
    static boolean suspend() {
        Thread t = Thread.currentThread();
        return !t.isVirtual() && t.isInterrupted() && Thread.interrupted();
    }

    /**
     * For a read: also a virtual thread's pending interrupt is kept away when {@code dataReady}.
     * The JDK's socket tries the read before it parks, so an interrupted virtual thread still gets
     * data that is already there, and fails ("Closed by interrupt") only when it would block.
     */
    static boolean suspendForRead(boolean dataReady) {
        Thread t = Thread.currentThread();
        if (!t.isInterrupted()) {
            return false;
        }
        return (!t.isVirtual() || dataReady) && Thread.interrupted();
    }

    /** Sets the interrupt status again if {@link #suspend} cleared it. */
    static void restore(boolean suspended) {
        if (suspended) {
            Thread.currentThread().interrupt();
        }
    }
}
