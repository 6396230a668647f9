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
}
