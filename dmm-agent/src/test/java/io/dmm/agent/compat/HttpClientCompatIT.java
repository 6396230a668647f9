package io.dmm.agent.compat;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The JDK's HttpClient against the JDK's HttpServer, under the agent. */
class HttpClientCompatIT {
    @Test
    void httpClientAgainstHttpServerIsRoutedAsThePolicySays() throws Exception {
        CompatRun r = CompatRun.app(HttpClientApp.class);
        String why = r.describe();
        assertEquals(EchoRequests.GETS, r.num("http.gets.ok"), why);
        assertEquals(EchoRequests.POSTS, r.num("http.posts.ok"), why);
        // the server socket was routed to "servers", and so were the connections it accepted
        assertEquals(1, r.num("stats.servers.decisions"), why);
        long accepted = r.num("stats.servers.opened") - 1;
        assertTrue(accepted >= 1, why);
        // every client connection went out on "clients", and each one is one the server accepted
        long connects = r.num("stats.clients.connectsOk");
        assertEquals(accepted, connects, why);
        assertEquals(connects, r.num("stats.clients.decisions"), why);
        assertEquals(connects, r.num("stats.clients.opened"), why);
        assertEquals(0, r.num("stats.clients.connectsFailed"), why);
        assertEquals(0, r.num("stats.servers.connectsOk"), why);
        // the POST bodies alone are > 100 kB each way
        assertTrue(r.num("stats.clients.bytesOut") > 100_000, why);
        assertTrue(r.num("stats.servers.bytesIn") > 100_000, why);
        assertEquals(r.num("stats.clients.bytesOut"), r.num("stats.servers.bytesIn"), why);
        assertEquals(r.num("stats.servers.bytesOut"), r.num("stats.clients.bytesIn"), why);
        // the server saw as many connections (distinct client ports) as DMM counted on each side
        assertEquals(connects, r.num("http.server.connections"), why);
        // and every routed socket was closed with the client or the server that owned it
        assertEquals(0, r.num("stats.clients.active"), why);
        assertEquals(0, r.num("stats.servers.active"), why);
    }
}
