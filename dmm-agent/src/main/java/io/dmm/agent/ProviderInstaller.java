package io.dmm.agent;

import io.dmm.core.DmmSelectorProvider;
import java.nio.channels.spi.SelectorProvider;

/**
 * Makes DMM the JVM's SelectorProvider. The JDK reads the property once, the first time anything
 * calls {@code SelectorProvider.provider()}; premain runs before the application's main, and the
 * JDK's own start-up does not open channels, so setting the property here is in time. If it was
 * not (something asked earlier, or the command line names another provider), the JVM must not run
 * half-routed: this fails, naming what is installed instead.
 */
final class ProviderInstaller {
    static final String PROPERTY = "java.nio.channels.spi.SelectorProvider";

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
}
