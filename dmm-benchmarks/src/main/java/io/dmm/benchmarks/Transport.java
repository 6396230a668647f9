package io.dmm.benchmarks;

import io.dmm.api.DmmSockets;
import io.dmm.api.RouteHints;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** The ways a benchmark opens its sockets: straight from the JDK, or through DMM to a stack. */
public enum Transport {
    /** Raw JDK NIO channels: the baseline. */
    JDK {
        @Override
        SocketChannel openClient() throws IOException {
            return SocketChannel.open();
        }

        @Override
        ServerSocketChannel openServer() throws IOException {
            return ServerSocketChannel.open();
        }
    },
    /** DMM routed channels on the kernel stack (the built-in default policy). */
    DMM_KERNEL {
        @Override
        SocketChannel openClient() throws IOException {
            return DmmSockets.open();
        }

        @Override
        ServerSocketChannel openServer() throws IOException {
            return DmmSockets.openServer();
        }
    },
    /**
     * DMM routed channels on a userspace stack instance with a loopback device: a policy rule
     * sends 198.51.100.0/24 to it ({@link UserspaceRuntime}).
     */
    DMM_USERSPACE {
        @Override
        SocketChannel openClient() throws IOException {
            return UserspaceRuntime.get().openSocketChannel(null, RouteHints.none());
        }

        @Override
        ServerSocketChannel openServer() throws IOException {
            return UserspaceRuntime.get().openServerSocketChannel(null, RouteHints.none());
        }

        @Override
        InetAddress bindAddress() {
            return UserspaceRuntime.address();
        }
    };

    abstract SocketChannel openClient() throws IOException;

    abstract ServerSocketChannel openServer() throws IOException;

    /** The address the server end binds to (and the client connects to). */
    InetAddress bindAddress() {
        return InetAddress.getLoopbackAddress();
    }
}
