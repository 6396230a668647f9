package io.dmm.core.net;

import static io.dmm.core.net.Transcript.t;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicReference;

/** Interrupting a thread blocked in a java.net read or accept. */
final class InterruptScenarios {
    private InterruptScenarios() {
    }

    /** Virtual threads: JDK-exact — "Closed by interrupt", the socket closed, the interrupt kept. */
    static void virtualThread() throws Exception {
        try (ServerSocket ss = new ServerSocket(NetScenario.altPort(), 50, InetAddress.getLoopbackAddress());
             Socket c = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
             Socket s = ss.accept()) {
            blockAndInterrupt("read", Thread.ofVirtual(), () -> c.getInputStream().read(), c::isClosed);
            t("peer sees EOF " + s.getInputStream().read());
        }
        ServerSocket ss = new ServerSocket(NetScenario.altPort(), 50, InetAddress.getLoopbackAddress());
        blockAndInterrupt("accept", Thread.ofVirtual(), ss::accept, ss::isClosed);
        ss.close();
    }

    /**
     * Platform threads: the JDK's socket ignores the interrupt and stays blocked, DMM's delegate
     * channel does not — the documented difference (docs/drop-in.md). Run for DMM only.
     */
    static void platformThread() throws Exception {
        try (ServerSocket ss = new ServerSocket(NetScenario.altPort(), 50, InetAddress.getLoopbackAddress());
             Socket c = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
             Socket s = ss.accept()) {
            blockAndInterrupt("read", Thread.ofPlatform(), () -> c.getInputStream().read(), c::isClosed);
            Transcript.attempt("read again", () -> c.getInputStream().read());
            t("peer sees EOF " + s.getInputStream().read());
        }
    }

    private interface Blocking {
        Object call() throws Exception;
    }

    private interface Probe {
        boolean get();
    }

    private static void blockAndInterrupt(String what, Thread.Builder builder, Blocking call, Probe closed)
            throws Exception {
        AtomicReference<String> outcome = new AtomicReference<>();
        Thread th = builder.start(() -> {
            try {
                outcome.set("returned " + call.call());
            } catch (Exception e) {
                outcome.set(Transcript.describe(e));
            }
            outcome.set(outcome.get() + " | interrupted " + Thread.currentThread().isInterrupted());
        });
        Thread.sleep(300); // let it block in the call
        th.interrupt();
        th.join(5000);
        t(what + " interrupted: alive " + th.isAlive() + " -> " + outcome.get() + " | closed " + closed.get());
    }
}
