package io.dmm.agent.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** SLF4J calls reach the sink formatted, with a trailing Throwable argument taken as the failure. */
class SinkLoggerTest {
    private record Line(Level level, String message, Throwable thrown) {
    }

    private static final class Recording implements LogSink {
        final List<Line> lines = new ArrayList<>();

        @Override
        public boolean isEnabled(Level level) {
            return level.toInt() >= Level.INFO.toInt();
        }

        @Override
        public void log(Level level, String message, Throwable thrown) {
            lines.add(new Line(level, message, thrown));
        }
    }

    @Test
    void messagesAreFormattedAndLevelsKept() {
        Recording sink = new Recording();
        SinkLogger log = new SinkLogger("io.dmm.test", sink);
        IllegalStateException failure = new IllegalStateException("boom");
        log.info("policy v{} applied ({})", 2, "file watch");
        log.warn("change rejected: {}", "why", failure);
        log.error("failed", failure);
        log.debug("not enabled {}", 1);
        assertEquals(3, sink.lines.size(), sink.lines::toString);
        assertEquals(new Line(Level.INFO, "policy v2 applied (file watch)", null), sink.lines.get(0));
        assertEquals(new Line(Level.WARN, "change rejected: why", failure), sink.lines.get(1));
        assertEquals(Level.ERROR, sink.lines.get(2).level());
        assertSame(failure, sink.lines.get(2).thrown());
        assertTrue(log.isInfoEnabled());
        assertFalse(log.isDebugEnabled());
        assertEquals("io.dmm.test", log.getName());
    }

    @Test
    void theProviderLogsThroughJavaUtilLoggingWhenTheJvmHasIt() {
        SystemLoggingProvider provider = new SystemLoggingProvider();
        provider.initialize();
        org.slf4j.Logger a = provider.getLoggerFactory().getLogger("io.dmm.x");
        assertSame(a, provider.getLoggerFactory().getLogger("io.dmm.x"), "one logger per name");
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("io.dmm.x");
        java.util.logging.Level before = jul.getLevel();
        try {
            jul.setLevel(java.util.logging.Level.FINE);
            assertTrue(a.isDebugEnabled(), "follows the JUL logger's level");
            jul.setLevel(java.util.logging.Level.WARNING);
            assertFalse(a.isInfoEnabled());
        } finally {
            jul.setLevel(before);
        }
        assertEquals(System.Logger.Level.WARNING, SystemLoggerSink.map(Level.WARN));
    }
}
