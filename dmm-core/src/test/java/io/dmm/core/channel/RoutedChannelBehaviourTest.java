package io.dmm.core.channel;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.dmm.api.RouteHints;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.core.testsupport.TestPolicy;
import io.dmm.core.testsupport.TestStacks;
import java.io.IOException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The behaviour suite against DMM's routed channels on one kernel stack. */
class RoutedChannelBehaviourTest extends ChannelBehaviourSuite {
    DmmRuntime runtime;

    protected TestPolicy policy() {
        return new TestPolicy().kernel("k1").defaults("k1");
    }

    @BeforeEach
    void start() {
        runtime = new DmmRuntime(policy(), TestStacks.providers());
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    @Override
    protected SocketChannel newClient() throws IOException {
        return assertInstanceOf(RoutedSocketChannel.class, runtime.openSocketChannel(null, RouteHints.none()));
    }

    @Override
    protected ServerSocketChannel newServer() throws IOException {
        return assertInstanceOf(RoutedServerSocketChannel.class, runtime.openServerSocketChannel(null, RouteHints.none()));
    }

    @Override
    protected DatagramChannel newDatagram() throws IOException {
        return assertInstanceOf(RoutedDatagramChannel.class, runtime.openDatagramChannel(null, RouteHints.none()));
    }
}
