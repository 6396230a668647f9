package io.dmm.agent.compat;

import org.junit.jupiter.api.Test;

/** Jetty 12 with its default ServerConnector on DMM's userspace stack, the JDK's HttpClient as client. */
class JettyUserspaceCompatIT {
    @Test
    void jettyServesHttpOverTheUserspaceStack() throws Exception {
        UserspaceRun.assertEchoedOverUserspace(UserspaceRun.app(JettyApp.class));
    }
}
