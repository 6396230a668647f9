package io.dmm.agent.it;

import java.lang.instrument.Instrumentation;
import java.nio.channels.spi.SelectorProvider;

/** An agent listed before DMM's that asks for the SelectorProvider, fixing it to the JDK's. */
public final class EarlyAgent {
    private EarlyAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        System.out.println("early=" + SelectorProvider.provider().getClass().getName());
    }
}
