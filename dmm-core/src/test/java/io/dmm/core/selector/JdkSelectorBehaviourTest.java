package io.dmm.core.selector;

import java.io.IOException;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** The selector suite against the JDK itself: the reference DMM's selector must match. */
class JdkSelectorBehaviourTest extends SelectorBehaviourSuite {
    @Override protected Selector newSelector() throws IOException { return Selector.open(); }
    @Override protected SocketChannel newClient() throws IOException { return SocketChannel.open(); }
    @Override protected ServerSocketChannel newServer() throws IOException { return ServerSocketChannel.open(); }
}
