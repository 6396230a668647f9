package io.dmm.core.channel;

import java.io.IOException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** The behaviour suite against the JDK's own channels: the reference DMM must match. */
class JdkChannelBehaviourTest extends ChannelBehaviourSuite {
    @Override
    protected SocketChannel newClient() throws IOException {
        return SocketChannel.open();
    }

    @Override
    protected ServerSocketChannel newServer() throws IOException {
        return ServerSocketChannel.open();
    }

    @Override
    protected DatagramChannel newDatagram() throws IOException {
        return DatagramChannel.open();
    }
}
