package io.dmm.agent.compat;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Embedded Tomcat 10.1 with each of its NIO connectors on DMM's userspace stack, the JDK's HttpClient as client. */
class TomcatUserspaceCompatIT {
    @Test
    void tomcatNioServesHttpOverTheUserspaceStack() throws Exception {
        check("org.apache.coyote.http11.Http11NioProtocol");
    }

    @Test
    void tomcatNio2ServesHttpOverTheUserspaceStack() throws Exception {
        check("org.apache.coyote.http11.Http11Nio2Protocol");
    }

    private static void check(String protocol) throws Exception {
        CompatRun r = UserspaceRun.app(TomcatApp.class, protocol);
        assertEquals(protocol, r.facts().get("tomcat.protocol"), r.describe());
        UserspaceRun.assertEchoedOverUserspace(r);
    }
}
