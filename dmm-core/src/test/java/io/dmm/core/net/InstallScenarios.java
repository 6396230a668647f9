package io.dmm.core.net;

import static io.dmm.core.net.Transcript.attempt;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;

/** Another SocketImplFactory installed first: DMM's install fails and says which one. */
final class InstallScenarios {
    private InstallScenarios() {
    }

    @SuppressWarnings("deprecation")
    static void conflict() throws Exception {
        Socket.setSocketImplFactory(DmmSocketImpl::new); // stands for "some other library's factory"
        attempt("install", () -> { DmmSocketFactories.install(); return DmmSocketFactories.isInstalled(); });
    }

    /**
     * A server socket created before install() has the JDK's impl; a Socket subclass accepted into
     * after install() has DMM's, and the JDK refuses to mix them (as SSLServerSocket.accept would).
     * The pending client is a raw JDK channel: the early server is a platform socket on the kernel
     * whatever the policy, and a socket the factory routes elsewhere (a userspace stack) could not
     * reach it.
     */
    static void late() throws Exception {
        java.net.InetAddress lo = java.net.InetAddress.getLoopbackAddress();
        try (java.net.ServerSocket early = new java.net.ServerSocket(0, 50, lo) {
            @Override
            public Socket accept() throws java.io.IOException {
                Socket s = new Socket() { };
                implAccept(s);
                return s;
            }
        }) {
            DmmSocketFactories.install();
            try (SocketChannel c = SocketChannel.open(new InetSocketAddress(lo, early.getLocalPort()))) {
                attempt("accept", () -> early.accept().isConnected());
            }
        }
    }
}
