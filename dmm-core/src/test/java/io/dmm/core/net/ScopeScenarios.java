package io.dmm.core.net;

import static io.dmm.core.net.Transcript.t;

import io.dmm.api.DmmSockets;
import io.dmm.api.RouteHints;
import io.dmm.api.RouteScope;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * RouteScope hints reach java.net sockets: a socket constructed inside a scope naming stack "alt"
 * goes there although its port would route it to the default; one constructed outside does not.
 */
final class ScopeScenarios {
    private ScopeScenarios() {
    }

    static void stackHint() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        Socket scoped;
        try (RouteScope scope = DmmSockets.scope(RouteHints.stack("alt"))) {
            scoped = new Socket(); // connected only after the scope has closed
        }
        try (ServerSocket ss = new ServerSocket(0, 50, lo)) {           // default route: kernel
            scoped.connect(ss.getLocalSocketAddress());
            try (Socket a = ss.accept(); Socket plain = new Socket(lo, ss.getLocalPort()); Socket b = ss.accept()) {
                scoped.getOutputStream().write(1);
                t("scoped socket works " + a.getInputStream().read());
            }
            scoped.close();
        }
    }
}
