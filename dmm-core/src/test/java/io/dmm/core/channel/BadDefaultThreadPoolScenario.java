package io.dmm.core.channel;

import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.util.concurrent.Callable;

/**
 * Opens asynchronous channels in the default group, in a JVM started with a bad
 * {@code java.nio.channels.DefaultThreadPool.*} property ({@link BadDefaultThreadPoolTest}),
 * printing what each open threw: the JDK makes the default group at the first such open, which
 * then fails, and so does every later one.
 */
public final class BadDefaultThreadPoolScenario {
    private BadDefaultThreadPoolScenario() {
    }

    public static void main(String[] args) {
        System.out.println("R async provider " + java.nio.channels.spi.AsynchronousChannelProvider.provider()
                .getClass().getName());
        open("first socket", AsynchronousSocketChannel::open);
        open("second socket", AsynchronousSocketChannel::open);
        open("server", AsynchronousServerSocketChannel::open);
        System.out.println("DONE");
    }

    private static void open(String label, Callable<? extends AutoCloseable> opener) {
        try (AutoCloseable ch = opener.call()) {
            System.out.println("T " + label + " opened");
        } catch (Throwable t) {
            Throwable cause = t.getCause();
            System.out.println("T " + label + " ! " + t.getClass().getName() + ": " + t.getMessage()
                    + (cause == null ? "" : " caused by " + cause.getClass().getName() + ": " + cause.getMessage()));
        }
    }
}
