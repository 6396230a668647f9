package io.dmm.agent.compat;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.agent.it.ChildJvm;
import java.util.List;
import org.junit.jupiter.api.Test;

/** 10,000 virtual threads blocked in reads on routed channels at once, on two carriers. */
class VirtualThreadServerCompatIT {
    @Test
    void tenThousandVirtualThreadsBlockInReadsOnRoutedChannelsAtOnce() throws Exception {
        long limit = openFileLimit();
        org.junit.jupiter.api.Assertions.assertTrue(limit >= 10_240, "this case needs about 10,100 file descriptors"
                + " per JVM, but 'Max open files' is " + limit + ": raise it with `ulimit -n 10240` (.ci/run"
                + " raises the soft limit to the hard limit)");
        CompatRun r = CompatRun.run(List.of("-Djdk.virtualThreadScheduler.parallelism=2"),
                VirtualThreadServerApp.class, List.of(ChildJvm.AGENT_JAR.toString(), CompatRun.POLICY));
        String why = r.describe();
        int n = VirtualThreadServerApp.CONNECTIONS;
        assertEquals(n, r.num("client.connected"), why);
        assertEquals(n, r.num("vt.readers"), why);
        assertEquals(0, r.num("vt.notVirtual"), why);
        assertEquals(n, r.num("vt.blockedInReadAtOnce"), why);
        assertEquals(n, r.num("vt.echoed"), why);
        assertEquals(n, r.num("client.echoed"), why);
        assertEquals(0, r.num("client.exit"), why);
        long carriers = r.num("vt.carriers");
        assertTrue(carriers >= 1 && carriers <= 2, why);
        // the server and its 10,000 connections on "servers", one byte each way on each
        assertEquals(1, r.num("stats.servers.decisions"), why);
        assertEquals(1 + n, r.num("stats.servers.opened"), why);
        assertEquals(n, r.num("stats.servers.bytesIn"), why);
        assertEquals(n, r.num("stats.servers.bytesOut"), why);
        // the client JVM's own counters: 10,000 connects on "clients"
        assertEquals(n, r.num("client.stats.clients.decisions"), why);
        assertEquals(n, r.num("client.stats.clients.connectsOk"), why);
        assertEquals(0, r.num("client.stats.clients.connectsFailed"), why);
        assertEquals(n, r.num("client.stats.clients.bytesOut"), why);
        assertEquals(n, r.num("client.stats.clients.bytesIn"), why);
        assertEquals(0, r.num("client.stats.servers.opened"), why);
    }

    /** The soft limit of open files this JVM (and so its children) runs with, from /proc/self/limits. */
    private static long openFileLimit() throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        throw new IllegalStateException("no 'Max open files' line in /proc/self/limits");
    }
}
