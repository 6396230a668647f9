package io.dmm.benchmarks;

/** JVM options of the drop-in benchmarks' forks: DMM installed as the system-wide provider. */
final class SystemProviderFork {
    /** What {@code -javaagent:dmm-agent.jar} sets up, given on the command line instead. */
    static final String PROVIDER = "-Djava.nio.channels.spi.SelectorProvider=io.dmm.core.DmmSelectorProvider";
    static final String EXPORTS = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";

    private SystemProviderFork() {
    }
}
