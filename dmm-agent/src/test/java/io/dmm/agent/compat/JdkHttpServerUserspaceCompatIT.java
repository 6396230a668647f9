package io.dmm.agent.compat;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Clients of the JDK's HttpServer, client and server both on DMM's userspace stack. */
class JdkHttpServerUserspaceCompatIT {
    @Test
    void jdkHttpClientTalksOverTheUserspaceStack() throws Exception {
        check(UserspaceRun.app(HttpClientApp.class));
    }

    @Test
    void apacheHttpAsyncClientTalksOverTheUserspaceStack() throws Exception {
        check(UserspaceRun.app(HttpAsyncClientApp.class));
    }

    private static void check(CompatRun r) {
        UserspaceRun.assertEchoedOverUserspace(r);
        // the server saw as many connections (distinct client ports) as DMM counted connects
        assertEquals(r.num("stats.user.connectsOk"), r.num("http.server.connections"), r.describe());
    }
}
