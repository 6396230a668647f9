package io.dmm.agent.it;

import io.dmm.api.DmmSockets;
import io.dmm.api.RouteExplanation;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * Started with a socket on its standard input (as systemd, inetd or a supervisor would): says what
 * {@code System.inheritedChannel()} is, then greets the peer through it (a connected socket) or
 * accepts one connection and greets that (a listening socket).
 */
public final class InheritedProbe {
    private InheritedProbe() {
    }

    public static void main(String[] args) throws Exception {
        Channel ch = System.inheritedChannel();
        ProbeApp.fact("inherited", ch == null ? "null" : ch.getClass().getSimpleName());
        if (ch == null) {
            return;
        }
        ProbeApp.fact("inherited.stacks", route(ch));
        ProbeApp.fact("inherited.sameProvider", ((SelectableChannel) ch).provider() == SelectorProvider.provider());
        ProbeApp.fact("inherited.same", System.inheritedChannel() == ch);
        if (ch instanceof SocketChannel sc) {
            sc.write(ByteBuffer.wrap("hello from the inherited socket\n".getBytes()));
            ProbeApp.fact("done", true);
            // the JDK points fds 0, 1 and 2 at /dev/null when an inherited socket is closed (inetd
            // gives the socket as all three): nothing can be printed after this
            sc.close();
            return;
        } else if (ch instanceof ServerSocketChannel server) {
            try (SocketChannel accepted = server.accept()) {
                ProbeApp.fact("accepted", accepted.getClass().getSimpleName() + " on " + route(accepted));
                accepted.write(ByteBuffer.wrap("hello from the inherited listener\n".getBytes()));
            }
        }
        ProbeApp.fact("done", true);
    }

    private static String route(Channel ch) {
        return DmmSockets.routeOf(ch).map(RouteExplanation::stacks).map(s -> String.join("+", s)).orElse("unrouted");
    }
}
