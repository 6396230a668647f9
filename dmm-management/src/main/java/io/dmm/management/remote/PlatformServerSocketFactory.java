package io.dmm.management.remote;

import io.dmm.jdk.platform.PlatformChannels;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;
import java.rmi.server.RMIServerSocketFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * RMI server sockets bound to one address, opened on the JDK's own provider. {@code new ServerSocket()}
 * would not do: with DMM installed as the system's socket implementation it is a DMM-routed socket,
 * so the policy it serves would decide where the management port listens. The JDK channel's
 * {@link ServerSocketChannel#socket() adaptor} is a plain blocking {@link ServerSocket}, which is
 * all RMI needs.
 *
 * <p>Each connector generation has its own factory instance; RMI shares one listening socket
 * between the objects exported with equal factories on the same port, and identity equality keeps
 * generations apart. The factory remembers its sockets: RMI never closes a socket it opened for
 * port 0 (it keeps it for later exports), so the slot closes them itself when it stops.
 */
final class PlatformServerSocketFactory implements RMIServerSocketFactory {
    private static final int BACKLOG = 50;

    private final InetAddress address;
    private final List<ServerSocket> opened = new CopyOnWriteArrayList<>();

    PlatformServerSocketFactory(InetAddress address) {
        this.address = address;
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        ServerSocketChannel ch = PlatformChannels.provider().openServerSocketChannel();
        try {
            ch.bind(new InetSocketAddress(address, port), BACKLOG);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        ServerSocket s = ch.socket();
        opened.add(s);
        return s;
    }

    /** The port of the first socket opened (the one the registry and connector share), or -1. */
    int boundPort() {
        return opened.isEmpty() ? -1 : opened.get(0).getLocalPort();
    }

    /** How many sockets were opened: 1 when the registry and the connector share their port, as they must. */
    int socketsOpened() {
        return opened.size();
    }

    void closeAll() {
        for (ServerSocket s : opened) {
            try {
                s.close();
            } catch (IOException e) {
                // closing a listening socket does not fail in a way anyone could act on
            }
        }
    }
}
