package io.dmm.agent;

import io.dmm.core.DmmAsynchronousChannelProvider;
import io.dmm.core.DmmSelectorProvider;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.nio.channels.spi.SelectorProvider;

/**
 * Makes DMM the JVM's SelectorProvider and AsynchronousChannelProvider. The JDK reads the property once, the first time anything
 * calls {@code SelectorProvider.provider()}; premain runs before the application's main, and the
 * JDK's own start-up does not open channels, so setting the property here is in time. If it was
 * not (something asked earlier, or the command line names another provider), the JVM must not run
 * half-routed: this fails, naming what is installed instead.
 */
final class ProviderInstaller {
    static final String PROPERTY = "java.nio.channels.spi.SelectorProvider";
    static final String ASYNC_PROPERTY = "java.nio.channels.spi.AsynchronousChannelProvider";

    private ProviderInstaller() {
    }

    static void install() {
        String wanted = DmmSelectorProvider.class.getName();
        String given = System.getProperty(PROPERTY);
        if (given != null && !given.equals(wanted)) {
            throw new AgentFailure("-D" + PROPERTY + "=" + given + " is set, but the DMM agent installs " + wanted
                    + "; remove the property (DMM routes INET/INET6 channels and hands the others to the JDK)");
        }
        System.setProperty(PROPERTY, wanted);
        SelectorProvider installed = SelectorProvider.provider();
        if (!(installed instanceof DmmSelectorProvider)) {
            throw new AgentFailure("the JVM's SelectorProvider was chosen before the DMM agent ran: it is "
                    + (installed == null ? "null" : installed.getClass().getName())
                    + ". Another agent or a JVM option opened a channel first; put -javaagent:dmm-agent.jar first"
                    + " on the command line, or use -D" + PROPERTY + "=" + wanted + " with --add-exports"
                    + " java.base/sun.nio.ch=ALL-UNNAMED and the jar on the class path");
        }
    }

    /**
     * The same for asynchronous channels: the JDK reads this property once too, at the first
     * {@code AsynchronousChannelProvider.provider()} (first async channel or group), and loads the
     * class with the system class loader, which has the agent jar.
     */
    static void installAsync() {
        String wanted = DmmAsynchronousChannelProvider.class.getName();
        String given = System.getProperty(ASYNC_PROPERTY);
        if (given != null && !given.equals(wanted)) {
            throw new AgentFailure("-D" + ASYNC_PROPERTY + "=" + given + " is set, but the DMM agent installs "
                    + wanted + "; remove the property");
        }
        System.setProperty(ASYNC_PROPERTY, wanted);
        AsynchronousChannelProvider installed = AsynchronousChannelProvider.provider();
        if (!(installed instanceof DmmAsynchronousChannelProvider)) {
            throw new AgentFailure("the JVM's AsynchronousChannelProvider was chosen before the DMM agent ran: it is "
                    + installed.getClass().getName() + ". Something opened an asynchronous channel or group first;"
                    + " put -javaagent:dmm-agent.jar first on the command line, or use -D" + ASYNC_PROPERTY + "="
                    + wanted + " with --add-exports java.base/sun.nio.ch=ALL-UNNAMED and the jar on the class path");
        }
    }
}
