package io.dmm.agent.compat;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Netty 4.2's NIO transport under the agent: 1,000 concurrent echo connections. */
class NettyEchoCompatIT {
    @Test
    void thousandConcurrentNettyEchoesAreIntactAndRoutedAsThePolicySays() throws Exception {
        CompatRun r = CompatRun.app(NettyEchoApp.class);
        String why = r.describe();
        int n = NettyEchoApp.CONNECTIONS;
        long bytes = (long) n * NettyEchoApp.MESSAGE;
        assertEquals("true", r.facts().get("netty.noNative"), why);
        assertEquals(n, r.num("netty.echo.intact"), why);
        assertEquals(0, r.num("netty.echo.failed"), why);
        // one listening socket and the 1,000 connections it accepted, on "servers"
        assertEquals(1, r.num("stats.servers.decisions"), why);
        assertEquals(1 + n, r.num("stats.servers.opened"), why);
        assertEquals(0, r.num("stats.servers.connectsOk"), why);
        assertEquals(bytes, r.num("stats.servers.bytesIn"), why);
        assertEquals(bytes, r.num("stats.servers.bytesOut"), why);
        // the 1,000 clients on "clients"
        assertEquals(n, r.num("stats.clients.decisions"), why);
        assertEquals(n, r.num("stats.clients.opened"), why);
        assertEquals(n, r.num("stats.clients.connectsOk"), why);
        assertEquals(0, r.num("stats.clients.connectsFailed"), why);
        assertEquals(bytes, r.num("stats.clients.bytesOut"), why);
        assertEquals(bytes, r.num("stats.clients.bytesIn"), why);
    }
}
