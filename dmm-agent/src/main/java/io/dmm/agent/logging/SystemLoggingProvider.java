package io.dmm.agent.logging;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The agent's SLF4J binding (relocated with SLF4J into the jar, so it never meets the
 * application's): DMM's log lines go to java.util.logging when the JVM has module java.logging,
 * else to {@link System.Logger}, which java.base always has — so the agent runs in a JVM started
 * with {@code --limit-modules java.base,java.instrument}, where slf4j-jdk14 could not load.
 */
public final class SystemLoggingProvider implements SLF4JServiceProvider {
    /** The SLF4J API version this binding is written for. */
    private static final String API_VERSION = "2.0.99";

    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();
    private ILoggerFactory loggers;

    @Override
    public void initialize() {
        Function<String, LogSink> sinks = ModuleLayer.boot().findModule("java.logging").isPresent()
                ? JulSink::new : SystemLoggerSink::new;
        Map<String, Logger> byName = new ConcurrentHashMap<>();
        loggers = name -> byName.computeIfAbsent(name, n -> new SinkLogger(n, sinks.apply(n)));
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return API_VERSION;
    }
}
