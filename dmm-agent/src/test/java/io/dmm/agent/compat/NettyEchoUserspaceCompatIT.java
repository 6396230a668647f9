package io.dmm.agent.compat;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.agent.it.ChildJvm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Netty 4.2's NIO transport under the agent with every IPv4 socket on DMM's userspace stack (an
 * instance owning 127.0.0.1/8 on a loopback device): Netty's event loops select over userspace
 * channels through DMM's Selector, 1,000 concurrent echo connections.
 */
class NettyEchoUserspaceCompatIT {
    static final String POLICY = ChildJvm.TEST_CLASSES.resolve("compat-userspace-policy.json").toString();

    @Test
    void thousandConcurrentNettyEchoesOverTheUserspaceStack() throws Exception {
        // the userspace stack's connections take no file descriptors: always the full size
        CompatRun r = CompatRun.run(POLICY, List.of(), NettyEchoApp.class, List.of(Integer.toString(NettyEchoApp.CONNECTIONS)));
        String why = r.describe();
        int n = NettyEchoApp.CONNECTIONS;
        long bytes = (long) n * NettyEchoApp.MESSAGE;
        assertEquals(n, r.num("netty.echo.intact"), why);
        assertEquals(0, r.num("netty.echo.failed"), why);
        // the listening socket, the 1,000 clients and the 1,000 connections it accepted, all on "user"
        assertEquals(1 + 2L * n, r.num("stats.user.opened"), why);
        assertEquals(n, r.num("stats.user.connectsOk"), why);
        assertEquals(0, r.num("stats.user.connectsFailed"), why);
        assertEquals(2 * bytes, r.num("stats.user.bytesOut"), why);
        assertEquals(2 * bytes, r.num("stats.user.bytesIn"), why);
        assertEquals(0, r.num("stats.kernel.opened"), why);
    }
}
