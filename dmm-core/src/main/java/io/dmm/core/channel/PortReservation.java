package io.dmm.core.channel;

import io.dmm.jdk.platform.PlatformChannels;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.nio.channels.SocketChannel;

/**
 * An ephemeral port the OS holds for a TCP client that bound a wildcard address with port 0 before
 * DMM routed it (routing waits for connect, which names the destination). The JDK's channel has a
 * real port at once; so does a routed one: this takes it from the OS at bind, and gives it back just
 * before the routed stack's channel binds the same port at connect.
 */
final class PortReservation {
    private final SocketChannel held;
    private final InetSocketAddress address;

    private PortReservation(SocketChannel held, InetSocketAddress address) {
        this.held = held;
        this.address = address;
    }

    /** Binds an OS socket of {@code family} (null: the platform's default) to {@code wildcard} (port 0). */
    static PortReservation take(InetSocketAddress wildcard, ProtocolFamily family) throws IOException {
        SocketChannel ch = PlatformChannels.openSocketChannel(family);
        try {
            ch.bind(wildcard);
            return new PortReservation(ch, (InetSocketAddress) ch.getLocalAddress());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The address the OS gave, as the JDK's channel reports it (wildcard address, real port). */
    InetSocketAddress address() {
        return address;
    }

    /** Gives the port back (idempotent). */
    void release() {
        try {
            held.close();
        } catch (IOException ignored) {
            // an unconnected socket: its close frees the port whatever it says
        }
    }
}
