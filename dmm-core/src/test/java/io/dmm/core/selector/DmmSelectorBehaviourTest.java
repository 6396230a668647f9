package io.dmm.core.selector;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.dmm.api.RouteHints;
import io.dmm.core.channel.RoutedServerSocketChannel;
import io.dmm.core.channel.RoutedSocketChannel;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.core.testsupport.TestPolicy;
import io.dmm.core.testsupport.TestStacks;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.Pipe;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The selector suite against DMM's selector with routed channels on one kernel stack. */
class DmmSelectorBehaviourTest extends SelectorBehaviourSuite {
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
    protected Selector newSelector() throws IOException {
        return assertInstanceOf(DmmSelector.class, runtime.provider().openSelector());
    }

    @Override
    protected SocketChannel newClient() throws IOException {
        return assertInstanceOf(RoutedSocketChannel.class, runtime.openSocketChannel(null, RouteHints.none()));
    }

    /** What {@code Pipe.open()} returns with DMM as the system provider: the JDK's own pipe. */
    @Override
    protected Pipe newPipe() throws IOException {
        return runtime.provider().openPipe();
    }

    @Override
    protected ServerSocketChannel newUnixServer() throws IOException {
        return runtime.provider().openServerSocketChannel(StandardProtocolFamily.UNIX);
    }

    @Override
    protected ServerSocketChannel newServer() throws IOException {
        return assertInstanceOf(RoutedServerSocketChannel.class, runtime.openServerSocketChannel(null, RouteHints.none()));
    }
}
