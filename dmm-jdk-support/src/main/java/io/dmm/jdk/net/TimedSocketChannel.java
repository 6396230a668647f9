package io.dmm.jdk.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * What {@link ChannelSocket}, DMM's java.net Socket over a SocketChannel, needs from the channel
 * beyond the SocketChannel API: the JDK's own SocketChannelImpl offers these to its adaptor
 * package-privately ({@code blockingConnect}, {@code blockingRead}...). A stack's SocketChannel
 * implements it to get a java.net Socket that behaves as the JDK's; DMM's routed channel implements
 * it by forwarding each call to its leg once ({@link TimedCalls}).
 */
public interface TimedSocketChannel extends TimedNetworkChannel {
    /** The bound address as the JDK's channel keeps it: also after close; null if never bound. */
    InetSocketAddress localAddress();

    /** The peer's address as the JDK's channel keeps it: also after close; null if never connected. */
    InetSocketAddress remoteAddress();

    /** False once input was shut down. */
    boolean isInputOpen();

    /** False once output was shut down. */
    boolean isOutputOpen();

    /**
     * A blocking connect, failing with SocketTimeoutException ("Connect timed out") after
     * {@code timeoutNanos} (0: no bound); a failed connect closes the channel, as the JDK's does.
     * IllegalBlockingModeException if the channel is non-blocking.
     */
    void connect(SocketAddress remote, long timeoutNanos) throws IOException;

    /**
     * A blocking read of up to {@code len} bytes: the count, -1 at end of stream (also once input was
     * shut down), SocketTimeoutException ("Read timed out") after {@code timeoutNanos} (0: no bound).
     * IllegalBlockingModeException if the channel is non-blocking.
     */
    int read(byte[] b, int off, int len, long timeoutNanos) throws IOException;

    /** Bytes that a read would return without blocking. */
    int available() throws IOException;

    /** Writes all {@code len} bytes, blocking as needed. */
    void writeFully(byte[] b, int off, int len) throws IOException;

    /** TCP urgent data, as {@link java.net.Socket#sendUrgentData}. */
    void sendUrgentData(int data) throws IOException;

    /** SO_OOBINLINE, which has no public SocketOption: as {@link java.net.Socket#setOOBInline}. */
    void setOOBInline(boolean on) throws IOException;

    boolean getOOBInline() throws IOException;
}
