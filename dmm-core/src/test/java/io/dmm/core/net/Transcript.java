package io.dmm.core.net;

import io.dmm.api.DmmSockets;
import io.dmm.api.StackStats;
import java.net.SocketOption;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * What a scenario observed, printed for {@link SocketFactoriesTest}: "T " lines are the behaviour
 * (values, exception types and messages), which must be the same with and without DMM's factories;
 * "R " lines are routing facts, checked only for DMM runs.
 */
final class Transcript {
    static boolean dmm;

    private Transcript() {
    }

    static void t(String line) {
        System.out.println("T " + line);
    }

    static void r(String line) {
        System.out.println("R " + line);
    }

    /** Runs {@code call} and records its value, or its exception's type and message. */
    static void attempt(String label, Callable<?> call) {
        try {
            t(label + " = " + call.call());
        } catch (Exception e) {
            t(label + " ! " + describe(e));
        }
    }

    /**
     * Like {@link #attempt} but records only the exception's type: for the few messages that differ
     * because the JDK itself runs another class with a factory installed (java.net.NetMulticastSocket
     * instead of the NIO DatagramSocket adaptor) — not DMM's to change.
     */
    static void attemptType(String label, Callable<?> call) {
        try {
            t(label + " = " + call.call());
        } catch (Exception e) {
            t(label + " ! " + e.getClass().getName());
        }
    }

    /** A socket's supported options, by name, sorted. */
    static String names(Set<SocketOption<?>> options) {
        return options.stream().map(SocketOption::name).sorted().toList().toString();
    }

    static String describe(Throwable e) {
        return e.getClass().getName() + ": " + e.getMessage();
    }

    /** Each stack's opened-socket count, as "R stack <name> opened=<n>" (DMM runs only). */
    static void stacks() {
        if (!dmm) {
            return;
        }
        for (StackStats s : DmmSockets.stats().stacks()) {
            r("stack " + s.name() + " opened=" + s.socketsOpened() + " in=" + s.bytesIn() + " out=" + s.bytesOut());
        }
    }
}
