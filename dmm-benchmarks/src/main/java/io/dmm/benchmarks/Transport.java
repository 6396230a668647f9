package io.dmm.benchmarks;

import io.dmm.api.DmmSockets;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** The two ways a benchmark opens its sockets: straight from the JDK, or through DMM. */
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
    };

    abstract SocketChannel openClient() throws IOException;

    abstract ServerSocketChannel openServer() throws IOException;
}
