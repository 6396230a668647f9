package io.dmm.core.channel;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.dmm.core.DmmAsynchronousChannelProvider;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.core.testsupport.TestPolicy;
import io.dmm.core.testsupport.TestStacks;
import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The asynchronous behaviour suite against DMM's routed channels on one kernel stack. */
class RoutedAsyncChannelBehaviourTest extends AsyncChannelBehaviourSuite {
    DmmRuntime runtime;
    DmmAsynchronousChannelProvider provider;

    protected TestPolicy policy() {
        return new TestPolicy().kernel("k1").defaults("k1");
    }

    @BeforeEach
    void start() {
        runtime = new DmmRuntime(policy(), TestStacks.providers());
        provider = new DmmAsynchronousChannelProvider(runtime);
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    @Override
    protected AsynchronousSocketChannel newClient() throws IOException {
        return assertInstanceOf(RoutedAsynchronousSocketChannel.class, provider.openAsynchronousSocketChannel(null));
    }

    @Override
    protected AsynchronousServerSocketChannel newServer() throws IOException {
        return assertInstanceOf(RoutedAsynchronousServerSocketChannel.class,
                provider.openAsynchronousServerSocketChannel(null));
    }

    @Override
    protected AsynchronousChannelGroup newGroup() throws IOException {
        return provider.openAsynchronousChannelGroup(1, Thread.ofPlatform().daemon().factory());
    }
}
