package io.dmm.agent.compat;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.api.testing.OpenFileLimit;
import org.junit.jupiter.api.Test;

/** Netty 4.2's NIO transport under the agent: 1,000 concurrent echo connections (fewer under a low open-files limit). */
class NettyEchoCompatIT {
    @Test
    void thousandConcurrentNettyEchoesAreIntactAndRoutedAsThePolicySays() throws Exception {
        // both ends of each connection are in the app's JVM
        int n = OpenFileLimit.connections("NettyEchoCompatIT", NettyEchoApp.CONNECTIONS, 2, 300, 200);
        CompatRun r = CompatRun.app(NettyEchoApp.class, Integer.toString(n));
        String why = r.describe();
        long bytes = (long) n * NettyEchoApp.MESSAGE;
        assertEquals("true", r.facts().get("netty.noNative"), why);
        assertEquals(n, r.num("netty.echo.intact"), why);
        assertEquals(0, r.num("netty.echo.failed"), why);
        // one listening socket and the n connections it accepted, on "servers"
        assertEquals(1, r.num("stats.servers.decisions"), why);
        assertEquals(1 + n, r.num("stats.servers.opened"), why);
        assertEquals(0, r.num("stats.servers.connectsOk"), why);
        assertEquals(bytes, r.num("stats.servers.bytesIn"), why);
        assertEquals(bytes, r.num("stats.servers.bytesOut"), why);
        // the n clients on "clients"
        assertEquals(n, r.num("stats.clients.decisions"), why);
        assertEquals(n, r.num("stats.clients.opened"), why);
        assertEquals(n, r.num("stats.clients.connectsOk"), why);
        assertEquals(0, r.num("stats.clients.connectsFailed"), why);
        assertEquals(bytes, r.num("stats.clients.bytesOut"), why);
        assertEquals(bytes, r.num("stats.clients.bytesIn"), why);
    }
}
