package io.dmm.core.runtime;

import io.dmm.api.DmmSockets;
import io.dmm.api.StackStats;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Run in a child JVM by {@link DpdkFallbackTest} with a policy whose stack "dp" is on a DPDK port:
 * prints the instance's health and reason, where a socket with a fallback went, and what a socket
 * routed to "dp" alone got.
 */
public final class DpdkFallbackProbe {
    private DpdkFallbackProbe() {
    }

    public static void main(String[] args) throws Exception {
        StackStats dp = DmmSockets.stats().stack("dp").orElseThrow();
        System.out.println("HEALTH " + dp.health());
        System.out.println("DETAIL " + dp.healthDetail());
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel c = DmmSockets.open()) {
                c.connect(server.getLocalAddress());
                System.out.println("FALLBACK " + DmmSockets.routeOf(c).orElseThrow().stacks().getFirst()
                        + " connected " + c.isConnected());
            }
        }
        try (SocketChannel c = DmmSockets.open()) {
            c.connect(new InetSocketAddress("10.99.0.1", 80));
            System.out.println("DPDK-ONLY connected?!");
        } catch (IOException e) {
            System.out.println("DPDK-ONLY " + e.getMessage());
        }
    }
}
