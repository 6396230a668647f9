package io.dmm.core.channel;

import io.dmm.jdk.platform.PlatformChannels;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.nio.channels.SocketChannel;

/**
 * An address and port the OS holds for a TCP client that bound before DMM routed it (see
 * {@link PendingBind}): taken from the OS at bind, as the JDK's channel binds, and given back just
 * before the routed stack's channel binds the same address and port at connect.
 */
final class PortReservation {
    private final SocketChannel held;
    private final InetSocketAddress address;

    private PortReservation(SocketChannel held, InetSocketAddress address) {
        this.held = held;
        this.address = address;
    }

    /**
     * Binds an OS socket of {@code family} (null: the platform's default), with the program's pending
     * {@code options} (SO_REUSEADDR and SO_REUSEPORT decide whether the bind may share a port), to
     * {@code local}; its errors are the JDK's bind errors.
     */
    static PortReservation take(InetSocketAddress local, ProtocolFamily family, RoutedOptions options)
            throws IOException {
        SocketChannel ch = PlatformChannels.openSocketChannel(family);
        try {
            options.applyTo(ch);
            ch.bind(local);
            return new PortReservation(ch, (InetSocketAddress) ch.getLocalAddress());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The address the OS bound, as the JDK's channel reports it (a real port for port 0). */
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
