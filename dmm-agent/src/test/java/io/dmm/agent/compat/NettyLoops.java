package io.dmm.agent.compat;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;

/** Shuts Netty's event loop groups down at once, each waiting for its own threads to end. */
final class NettyLoops {
    private NettyLoops() {
    }

    static void shutdown(EventLoopGroup... groups) throws InterruptedException {
        for (EventLoopGroup g : groups) {
            g.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
