package io.dmm.core.channel;

import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;

/** The asynchronous behaviour suite against the JDK's own channels: what DMM's must match. */
class JdkAsyncChannelBehaviourTest extends AsyncChannelBehaviourSuite {
    @Override
    protected AsynchronousSocketChannel newClient() throws IOException {
        return AsynchronousSocketChannel.open();
    }

    @Override
    protected AsynchronousServerSocketChannel newServer() throws IOException {
        return AsynchronousServerSocketChannel.open();
    }

    @Override
    protected AsynchronousChannelGroup newGroup() throws IOException {
        return AsynchronousChannelGroup.withFixedThreadPool(1, Thread.ofPlatform().daemon().factory());
    }
}
