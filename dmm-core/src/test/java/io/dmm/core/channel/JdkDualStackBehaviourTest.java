package io.dmm.core.channel;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** The dual-stack suite against the JDK's own channels: the reference. */
class JdkDualStackBehaviourTest extends DualStackBehaviourSuite {
    @Override
    protected SocketChannel newClient(ProtocolFamily family) throws IOException {
        return family == null ? SocketChannel.open() : SocketChannel.open(family);
    }

    @Override
    protected ServerSocketChannel newServer(ProtocolFamily family) throws IOException {
        return family == null ? ServerSocketChannel.open() : ServerSocketChannel.open(family);
    }

    @Override
    protected DatagramChannel newDatagram(ProtocolFamily family) throws IOException {
        return family == null ? DatagramChannel.open() : DatagramChannel.open(family);
    }
}
