package io.dmm.management.http;

import io.dmm.api.DmmSockets;
import io.dmm.management.remote.RemoteJmxSlot;
import io.dmm.core.runtime.DmmRuntime;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * Run in a child JVM by {@link EndpointsBypassRoutingTest}, with DMM as the system SelectorProvider:
 * starts the JVM-wide runtime, shows that an ordinary {@code ServerSocketChannel.open()} is routed
 * by the policy, prints where the HTTP endpoint and the JMX connector listen, and waits until its
 * standard input closes.
 */
public final class EndpointProbe {
    private EndpointProbe() {
    }

    public static void main(String[] args) throws Exception {
        DmmRuntime rt = DmmRuntime.global();
        try (ServerSocketChannel s = ServerSocketChannel.open()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            System.out.println("ROUTED " + s.getClass().getName() + " "
                    + DmmSockets.routeOf(s).map(r -> String.join(",", r.stacks())).orElse("-"));
        }
        System.out.println("HTTP " + rt.management().slot(HttpEndpoint.class).boundAddress().getPort());
        System.out.println("JMX " + rt.management().slot(RemoteJmxSlot.class).serviceUrl());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the test to close our standard input
        }
    }
}
