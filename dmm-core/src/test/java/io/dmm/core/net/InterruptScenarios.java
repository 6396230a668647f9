package io.dmm.core.net;

import static io.dmm.core.net.Transcript.t;

import io.dmm.api.testing.BlockedThreads;
import java.io.IOException;
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
        try (ServerSocket ss = new ServerSocket(NetScenario.altPort(), 50, InetAddress.getLoopbackAddress());
             Socket c = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
             Socket s = ss.accept()) {
            s.getOutputStream().write(new byte[] {1, 2});
            Arrival.awaitAvailable(c.getInputStream(), 2);
            Thread vt = Thread.ofVirtual().start(() -> {
                Thread.currentThread().interrupt();
                Transcript.attempt("pending interrupt, data ready", () -> c.getInputStream().read());
                t("still interrupted " + Thread.currentThread().isInterrupted() + " closed " + c.isClosed());
                Transcript.attempt("pending interrupt, data ready again", () -> c.getInputStream().read());
                Transcript.attempt("pending interrupt, no data", () -> c.getInputStream().read());
                t("then interrupted " + Thread.currentThread().isInterrupted() + " closed " + c.isClosed());
            });
            vt.join(5000);
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

    /**
     * A platform thread blocked in a java.net.DatagramSocket's receive, interrupted: the JDK's legacy
     * socket is not closed, the thread stays blocked, receives the next datagram and keeps its
     * interrupt status (DatagramSocket.receive's javadoc: only a DatagramChannel's socket, or a
     * virtual thread, is closed by an interrupt).
     */
    static void datagramPlatformThread() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (java.net.DatagramSocket rx = new java.net.DatagramSocket(new java.net.InetSocketAddress(lo, 0));
             java.net.DatagramSocket tx = new java.net.DatagramSocket()) {
            AtomicReference<String> outcome = new AtomicReference<>("none");
            Thread receiver = Thread.ofPlatform().start(() -> {
                java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[4], 4);
                try {
                    rx.receive(p);
                    outcome.set("received " + p.getData()[0] + " interrupted " + Thread.currentThread().isInterrupted());
                } catch (Exception e) {
                    outcome.set(Transcript.describe(e) + " | interrupted " + Thread.currentThread().isInterrupted());
                }
            });
            BlockedThreads.awaitBlockedIn(receiver, "receive");
            receiver.interrupt();
            receiver.join(500); // an interrupt that closes the socket ends the receive at once
            t("receive interrupted: alive " + receiver.isAlive() + " closed " + rx.isClosed());
            tx.send(new java.net.DatagramPacket(new byte[] {7}, 1, rx.getLocalSocketAddress()));
            receiver.join(10_000);
            t("then " + outcome.get());
        }
    }

    /**
     * A platform thread whose interrupt status is already set (e.g. cleaning up after an
     * InterruptedException): the JDK's sockets connect, accept, read, write and receive as usual
     * and leave the status set — and so must DMM's.
     */
    static void pendingOnPlatformThread() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (ServerSocket ss = new ServerSocket(NetScenario.altPort(), 50, lo);
             java.net.DatagramSocket rx = new java.net.DatagramSocket(new java.net.InetSocketAddress(lo, 0));
             java.net.DatagramSocket tx = new java.net.DatagramSocket()) {
            Thread th = Thread.ofPlatform().start(() -> {
                Thread.currentThread().interrupt();
                try (Socket c = new Socket(lo, ss.getLocalPort()); Socket s = ss.accept()) {
                    t("connected and accepted, interrupted " + Thread.currentThread().isInterrupted());
                    c.getOutputStream().write(5);
                    t("read pending data " + s.getInputStream().read());
                    Thread reader = Thread.currentThread();
                    Thread.ofPlatform().start(() -> {
                        try {
                            BlockedThreads.awaitBlockedIn(reader, "read"); // blocked despite the interrupt status
                        } catch (Throwable e) {
                            failure.set(e);
                        }
                        try {
                            s.getOutputStream().write(6);
                        } catch (IOException e) {
                            failure.compareAndSet(null, e);
                        }
                    });
                    t("blocking read " + c.getInputStream().read() + " interrupted "
                            + Thread.currentThread().isInterrupted() + " closed " + c.isClosed());
                    tx.send(new java.net.DatagramPacket(new byte[] {9}, 1, rx.getLocalSocketAddress()));
                    java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[4], 4);
                    rx.receive(p);
                    t("datagram " + p.getData()[0] + " interrupted " + Thread.currentThread().isInterrupted());
                } catch (Exception e) {
                    failure.set(e);
                }
            });
            th.join(10_000);
        }
        t("failure " + (failure.get() == null ? "none" : Transcript.describe(failure.get())));
    }

    /** Closing a socket from another thread while a read or an accept is blocked in it. */
    static void asyncClose() throws Exception {
        for (Thread.Builder b : new Thread.Builder[] {Thread.ofPlatform(), Thread.ofVirtual()}) {
            String kind = b instanceof Thread.Builder.OfVirtual ? "virtual" : "platform";
            try (ServerSocket ss = new ServerSocket(NetScenario.altPort(), 50, InetAddress.getLoopbackAddress());
                 Socket c = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
                 Socket s = ss.accept()) {
                blockAndClose(kind + " read", "read", b, () -> c.getInputStream().read(), c::close);
                t("peer sees EOF " + s.getInputStream().read());
            }
            ServerSocket ss = new ServerSocket(NetScenario.altPort(), 50, InetAddress.getLoopbackAddress());
            blockAndClose(kind + " accept", "accept", b, ss::accept, ss::close);
        }
    }

    private interface Closer {
        void close() throws Exception;
    }

    /** Closes under {@code call} once it is blocked in {@code method}. */
    private static void blockAndClose(String what, String method, Thread.Builder builder, Blocking call,
                                      Closer closer) throws Exception {
        AtomicReference<String> outcome = new AtomicReference<>();
        Thread th = builder.start(() -> {
            try {
                outcome.set("returned " + call.call());
            } catch (Exception e) {
                outcome.set(Transcript.describe(e));
            }
        });
        BlockedThreads.awaitBlockedIn(th, method);
        closer.close();
        th.join(5000);
        t(what + " closed under it: alive " + th.isAlive() + " -> " + outcome.get());
    }

    private interface Blocking {
        Object call() throws Exception;
    }

    private interface Probe {
        boolean get();
    }

    /** Interrupts {@code call} once it is blocked in the method named {@code what}. */
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
        BlockedThreads.awaitBlockedIn(th, what);
        th.interrupt();
        th.join(5000);
        t(what + " interrupted: alive " + th.isAlive() + " -> " + outcome.get() + " | closed " + closed.get());
    }
}
