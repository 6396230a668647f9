package io.dmm.core.channel;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.dmm.api.RouteHints;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.core.testsupport.TestPolicy;
import io.dmm.core.testsupport.TestStacks;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The dual-stack suite against DMM's routed channels on one kernel stack (subclasses: other policies). */
class RoutedDualStackBehaviourTest extends DualStackBehaviourSuite {
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
    protected SocketChannel newClient(ProtocolFamily family) throws IOException {
        return assertInstanceOf(RoutedSocketChannel.class, runtime.openSocketChannel(family, RouteHints.none()));
    }

    @Override
    protected ServerSocketChannel newServer(ProtocolFamily family) throws IOException {
        return assertInstanceOf(RoutedServerSocketChannel.class, runtime.openServerSocketChannel(family, RouteHints.none()));
    }

    @Override
    protected DatagramChannel newDatagram(ProtocolFamily family) throws IOException {
        return assertInstanceOf(RoutedDatagramChannel.class, runtime.openDatagramChannel(family, RouteHints.none()));
    }
}
