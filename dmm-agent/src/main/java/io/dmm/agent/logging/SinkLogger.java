package io.dmm.agent.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** An SLF4J logger of DMM's that formats the message and hands it to its {@link LogSink}. */
final class SinkLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    private final transient LogSink sink;

    SinkLogger(String name, LogSink sink) {
        this.name = name;
        this.sink = sink;
    }

    @Override
    public boolean isTraceEnabled() {
        return sink.isEnabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return sink.isEnabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return sink.isEnabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return sink.isEnabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return sink.isEnabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                               Throwable thrown) {
        sink.log(level, MessageFormatter.basicArrayFormat(pattern, arguments), thrown);
    }
}
