package io.dmm.agent.compat;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** SSLEngine over SocketChannels driven by one Selector, under the agent. */
class SslEngineCompatIT {
    @Test
    void sslEngineHandshakesAndEchoesOverRoutedChannelsInDmmsSelector() throws Exception {
        CompatRun r = CompatRun.app(SslEngineApp.class);
        String why = r.describe();
        int n = SslEngineApp.CONNECTIONS;
        assertEquals("DmmSelector", r.facts().get("tls.selector"), why);
        assertEquals(n, r.num("tls.client.handshakes"), why);
        assertEquals(n, r.num("tls.server.handshakes"), why);
        assertEquals("TLSv1.3", r.facts().get("tls.protocols"), why);
        assertEquals(n, r.num("tls.echo.intact"), why);
        assertEquals(1, r.num("stats.servers.decisions"), why);
        assertEquals(1 + n, r.num("stats.servers.opened"), why);
        assertEquals(n, r.num("stats.clients.decisions"), why);
        assertEquals(n, r.num("stats.clients.connectsOk"), why);
        assertEquals(0, r.num("stats.clients.connectsFailed"), why);
        // TLS records carry more than the application data: each way, more than the messages
        long appBytes = (long) n * SslEngineApp.MESSAGE;
        assertTrue(r.num("stats.clients.bytesOut") > appBytes, why);
        assertTrue(r.num("stats.servers.bytesOut") > appBytes, why);
        assertEquals(r.num("stats.clients.bytesOut"), r.num("stats.servers.bytesIn"), why);
        assertEquals(r.num("stats.servers.bytesOut"), r.num("stats.clients.bytesIn"), why);
    }
}
