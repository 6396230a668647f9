package io.dmm.jdk.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * What {@link ChannelDatagramSocket}, DMM's java.net DatagramSocket over a DatagramChannel, needs
 * from the channel beyond the DatagramChannel API (the JDK's channel has them package-privately).
 */
public interface TimedDatagramChannel extends TimedNetworkChannel {
    /** The bound address while open; null if not bound (a closed socket reports no local address). */
    InetSocketAddress localAddress();

    /** Whether the channel was bound, also after close, as the JDK's DatagramSocket reports it. */
    boolean isBound();

    /** The connected peer as the JDK's channel keeps it: also after close; null if not connected. */
    InetSocketAddress remoteAddress();

    /**
     * java.net's connect: as DatagramChannel.connect, but a connected channel may connect again
     * elsewhere ({@link java.net.DatagramSocket#connect} allows it; the channel's connect does not).
     */
    void connectSocket(SocketAddress remote) throws IOException;

    /**
     * A blocking receive into {@code dst} (a heap buffer), binding first if needed: the sender, or
     * SocketTimeoutException ("Receive timed out") after {@code timeoutNanos} (0: no bound).
     * IllegalBlockingModeException if the channel is non-blocking.
     */
    SocketAddress receive(ByteBuffer dst, long timeoutNanos) throws IOException;

    /**
     * A blocking send of {@code src} (a heap buffer) as one datagram to {@code target}; if connected,
     * {@code target} must be the peer (AlreadyConnectedException otherwise).
     * IllegalBlockingModeException if the channel is non-blocking.
     */
    void blockingSend(ByteBuffer src, InetSocketAddress target) throws IOException;

    /** java.net's multicast join, as {@link java.net.DatagramSocket#joinGroup}. */
    void joinGroup(SocketAddress group, NetworkInterface netIf) throws IOException;

    /** java.net's multicast leave, as {@link java.net.DatagramSocket#leaveGroup}. */
    void leaveGroup(SocketAddress group, NetworkInterface netIf) throws IOException;
}
