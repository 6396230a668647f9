package io.dmm.agent.compat;

import org.junit.jupiter.api.Test;

/** Undertow (XNIO's NIO transport) on DMM's userspace stack, the JDK's HttpClient as client. */
class UndertowUserspaceCompatIT {
    @Test
    void undertowServesHttpOverTheUserspaceStack() throws Exception {
        UserspaceRun.assertEchoedOverUserspace(UserspaceRun.app(UndertowApp.class));
    }
}
