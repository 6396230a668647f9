package io.dmm.agent.logging;

import java.util.Optional;
import java.util.logging.Logger;
import org.slf4j.event.Level;

/**
 * Logs through java.util.logging when the JVM has it, as DMM always did: the record names the DMM
 * class and method that logged (found on the stack, past SLF4J's and this package's frames), which
 * {@link System.Logger} has no way to pass on. Loaded only when module java.logging is present.
 */
final class JulSink implements LogSink {
    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final String SLF4J_PACKAGE = org.slf4j.Logger.class.getPackageName() + ".";
    private static final String THIS_PACKAGE = JulSink.class.getPackageName() + ".";

    private final Logger logger;

    JulSink(String name) {
        this.logger = Logger.getLogger(name);
    }

    @Override
    public boolean isEnabled(Level level) {
        return logger.isLoggable(map(level));
    }

    @Override
    public void log(Level level, String message, Throwable thrown) {
        Optional<StackWalker.StackFrame> caller = WALKER.walk(frames -> frames
                .filter(f -> !f.getClassName().startsWith(SLF4J_PACKAGE) && !f.getClassName().startsWith(THIS_PACKAGE))
                .findFirst());
        logger.logp(map(level), caller.map(StackWalker.StackFrame::getClassName).orElse(logger.getName()),
                caller.map(StackWalker.StackFrame::getMethodName).orElse(null), message, thrown);
    }

    private static java.util.logging.Level map(Level level) {
        return switch (level) {
            case TRACE -> java.util.logging.Level.FINEST;
            case DEBUG -> java.util.logging.Level.FINE;
            case INFO -> java.util.logging.Level.INFO;
            case WARN -> java.util.logging.Level.WARNING;
            case ERROR -> java.util.logging.Level.SEVERE;
        };
    }
}
