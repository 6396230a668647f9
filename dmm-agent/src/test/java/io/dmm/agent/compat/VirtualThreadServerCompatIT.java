package io.dmm.agent.compat;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.agent.it.ChildJvm;
import io.dmm.api.testing.OpenFileLimit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 10,000 virtual threads blocked in reads on routed channels at once, on two carriers (fewer under a
 * low open-files limit: the server and the clients each hold one descriptor per connection).
 */
class VirtualThreadServerCompatIT {
    @Test
    void tenThousandVirtualThreadsBlockInReadsOnRoutedChannelsAtOnce() throws Exception {
        int n = OpenFileLimit.connections("VirtualThreadServerCompatIT", VirtualThreadServerApp.CONNECTIONS, 1, 300, 500);
        CompatRun r = CompatRun.run(List.of("-Djdk.virtualThreadScheduler.parallelism=2"), VirtualThreadServerApp.class,
                List.of(ChildJvm.AGENT_JAR.toString(), CompatRun.POLICY, Integer.toString(n)));
        String why = r.describe();
        assertEquals(n, r.num("client.connected"), why);
        assertEquals(n, r.num("vt.readers"), why);
        assertEquals(0, r.num("vt.notVirtual"), why);
        assertEquals(n, r.num("vt.blockedInReadAtOnce"), why);
        assertEquals(n, r.num("vt.echoed"), why);
        assertEquals(n, r.num("client.echoed"), why);
        assertEquals(0, r.num("client.exit"), why);
        long carriers = r.num("vt.carriers");
        assertTrue(carriers >= 1 && carriers <= 2, why);
        // the server and its n connections on "servers", one byte each way on each
        assertEquals(1, r.num("stats.servers.decisions"), why);
        assertEquals(1 + n, r.num("stats.servers.opened"), why);
        assertEquals(n, r.num("stats.servers.bytesIn"), why);
        assertEquals(n, r.num("stats.servers.bytesOut"), why);
        // the client JVM's own counters: n connects on "clients"
        assertEquals(n, r.num("client.stats.clients.decisions"), why);
        assertEquals(n, r.num("client.stats.clients.connectsOk"), why);
        assertEquals(0, r.num("client.stats.clients.connectsFailed"), why);
        assertEquals(n, r.num("client.stats.clients.bytesOut"), why);
        assertEquals(n, r.num("client.stats.clients.bytesIn"), why);
        assertEquals(0, r.num("client.stats.servers.opened"), why);
    }
}
