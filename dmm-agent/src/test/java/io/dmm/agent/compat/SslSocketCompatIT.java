package io.dmm.agent.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** SSLSocket and TLS layered over a plain Socket, under the agent (DMM's java.net factories). */
class SslSocketCompatIT {
    @Test
    void sslSocketsDirectAndLayeredEchoOverRoutedSockets() throws Exception {
        CompatRun r = CompatRun.app(SslSocketApp.class);
        String why = r.describe();
        int n = SslSocketApp.CONNECTIONS;
        assertEquals("TLSv1.3", r.facts().get("tls.socket.protocol"), why);
        assertEquals(n, r.num("tls.socket.echo.intact"), why);
        assertEquals(1, r.num("stats.servers.decisions"), why);
        assertEquals(1 + n, r.num("stats.servers.opened"), why);
        assertEquals(n, r.num("stats.clients.connectsOk"), why);
        assertEquals(0, r.num("stats.clients.connectsFailed"), why);
        long appBytes = (long) n * SslSocketApp.MESSAGE;
        // TLS records carry more than the data each way; the server closes right after its echo, so
        // it never reads the clients' close_notify alerts: it reads less than the clients sent
        assertTrue(r.num("stats.servers.bytesIn") > appBytes, why);
        assertTrue(r.num("stats.servers.bytesIn") < r.num("stats.clients.bytesOut"), why);
        assertTrue(r.num("stats.clients.bytesIn") > appBytes, why);
        assertTrue(r.num("stats.clients.bytesIn") <= r.num("stats.servers.bytesOut"), why);
    }
}
