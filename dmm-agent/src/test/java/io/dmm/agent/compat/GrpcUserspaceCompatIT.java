package io.dmm.agent.compat;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** gRPC-java on its shaded Netty, server and client, on DMM's userspace stack. */
class GrpcUserspaceCompatIT {
    @Test
    void grpcUnaryCallsGoOverTheUserspaceStack() throws Exception {
        // the shaded Netty's own name for io.netty.transport.noNative: its native epoll transport bypasses the JDK
        CompatRun r = UserspaceRun.app(List.of("-Dio.grpc.netty.shaded.io.netty.transport.noNative=true"), GrpcApp.class);
        assertEquals(GrpcApp.CALLS, r.num("grpc.ok"), r.describe());
        // all calls multiplexed over the one HTTP/2 connection
        assertEquals(1, r.num("stats.user.connectsOk"), r.describe());
        // at shutdownNow a few 17-byte HTTP/2 frames (GOAWAY, PING) may cross a close and go unread, as TCP
        // allows: a capture on a pair link showed the client closing with the server's last GOAWAY unread
        // (so a reset), and the server's FIN crossing the client's last frame; 17 to 98 bytes in 1 run in 5
        UserspaceRun.assertAllOnUserspace(r, 1, 100_000, 256);
    }
}
