package io.dmm.agent.logging;

import org.slf4j.event.Level;

/** Where DMM's log lines go: the JDK's logging, chosen once per JVM by {@link SystemLoggingProvider}. */
interface LogSink {
    boolean isEnabled(Level level);

    /** {@code thrown}: null, or the failure to show with its stack trace. */
    void log(Level level, String message, Throwable thrown);
}
