package io.dmm.agent.compat;

import io.dmm.api.DmmSockets;
import io.dmm.api.StackStats;
import java.net.InetAddress;

/** What the compatibility apps share: {@code key=value} facts on stdout, and DMM's counters as facts. */
final class Compat {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private Compat() {
    }

    static void fact(String key, Object value) {
        System.out.println(key + "=" + value);
    }

    /** Says which SelectorProvider this JVM has: the suite checks that the agent installed DMM's. */
    static void provider() {
        fact("provider", java.nio.channels.spi.SelectorProvider.provider().getClass().getName());
    }

    /** {@code stats.<stack>.<counter>=n} for every stack of the policy, from {@link DmmSockets#stats()}. */
    static void stats() {
        for (StackStats s : DmmSockets.stats().stacks()) {
            String p = "stats." + s.name() + ".";
            fact(p + "decisions", s.decisions());
            fact(p + "opened", s.socketsOpened());
            fact(p + "active", s.socketsActive());
            fact(p + "connectsOk", s.connectsOk());
            fact(p + "connectsFailed", s.connectsFailed());
            fact(p + "bytesIn", s.bytesIn());
            fact(p + "bytesOut", s.bytesOut());
        }
    }
}
