package io.dmm.core.net;

import static io.dmm.core.net.Transcript.attempt;

import java.net.Socket;

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
            try (Socket c = new Socket(lo, early.getLocalPort())) {
                attempt("accept", () -> early.accept().isConnected());
            }
        }
    }
}
