package io.dmm.agent.logging;

import org.slf4j.event.Level;

/**
 * Logs through {@link System.Logger} (java.base), for a JVM without module java.logging: the JDK
 * then writes to System.err itself, in java.util.logging's default format.
 */
final class SystemLoggerSink implements LogSink {
    private final System.Logger logger;

    SystemLoggerSink(String name) {
        this.logger = System.getLogger(name);
    }

    @Override
    public boolean isEnabled(Level level) {
        return logger.isLoggable(map(level));
    }

    @Override
    public void log(Level level, String message, Throwable thrown) {
        logger.log(map(level), message, thrown);
    }

    static System.Logger.Level map(Level level) {
        return switch (level) {
            case TRACE -> System.Logger.Level.TRACE;
            case DEBUG -> System.Logger.Level.DEBUG;
            case INFO -> System.Logger.Level.INFO;
            case WARN -> System.Logger.Level.WARNING;
            case ERROR -> System.Logger.Level.ERROR;
        };
    }
}
