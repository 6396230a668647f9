package io.dmm.agent.compat;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Netty 4.2's NIO transport with its HTTP codec, server and clients, on DMM's userspace stack. */
class NettyHttpUserspaceCompatIT {
    @Test
    void nettyHttpServerAndClientsTalkOverTheUserspaceStack() throws Exception {
        CompatRun r = UserspaceRun.app(NettyHttpApp.class);
        assertEquals(NettyHttpApp.CONNECTIONS, r.num("netty.http.ok"), r.describe());
        assertEquals(NettyHttpApp.CONNECTIONS, r.num("stats.user.connectsOk"), r.describe());
        UserspaceRun.assertAllOnUserspace(r, 1, 100_000);
    }
}
