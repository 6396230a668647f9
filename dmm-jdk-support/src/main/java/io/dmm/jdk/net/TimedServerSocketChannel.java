package io.dmm.jdk.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

/**
 * What {@link ChannelServerSocket}, DMM's java.net ServerSocket over a ServerSocketChannel, needs
 * from the channel beyond the ServerSocketChannel API (the JDK's channel has them package-privately).
 */
public interface TimedServerSocketChannel extends TimedNetworkChannel {
    /** The bound address as the JDK's channel keeps it: also after close; null if never bound. */
    InetSocketAddress localAddress();

    /**
     * A blocking accept that fails with SocketTimeoutException ("Accept timed out") after
     * {@code timeoutNanos} (&gt; 0). IllegalBlockingModeException if the channel is non-blocking.
     */
    SocketChannel accept(long timeoutNanos) throws IOException;
}
