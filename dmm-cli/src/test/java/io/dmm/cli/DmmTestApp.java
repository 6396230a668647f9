package io.dmm.cli;

import io.dmm.api.DmmSockets;
import io.dmm.management.jmx.DiscoveryProperties;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a child JVM by the CLI tests (with {@code -Ddmm.config=FILE}): a DMM listener on loopback
 * and a few DMM clients connected to it, each having sent a few bytes. Prints {@code READY} once its
 * MBeans are registered (or known not to be, when its policy turns JMX off), and exits when its
 * standard input closes — so it dies with the test JVM.
 */
public final class DmmTestApp {
    static final int CLIENTS = 2;

    private DmmTestApp() {
    }

    public static void main(String[] args) throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        ServerSocketChannel server = DmmSockets.openServer();
        open.add(server);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        for (int i = 0; i < CLIENTS; i++) {
            SocketChannel client = DmmSockets.open();
            open.add(client);
            client.connect(server.getLocalAddress());
            SocketChannel accepted = server.accept();
            open.add(accepted);
            client.write(ByteBuffer.wrap(("hello " + i).getBytes()));
            ByteBuffer in = ByteBuffer.allocate(64);
            accepted.read(in);
        }
        // the MBeans are registered on DMM's management thread, just after the first DMM call; the
        // property is published once that is done
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.getProperty(DiscoveryProperties.JMX) == null) {
            if (System.nanoTime() > deadline) {
                System.out.println("MBEANS NOT REGISTERED");
                System.exit(2);
            }
            Thread.sleep(10);
        }
        System.out.println("READY " + ProcessHandle.current().pid());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the test to close our input
        }
        for (AutoCloseable c : open) {
            c.close();
        }
    }
}
