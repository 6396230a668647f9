package io.dmm.core.net;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Installs DMM's java.net factories, so that {@code new Socket(...)}, {@code new ServerSocket(...)},
 * {@code new DatagramSocket(...)} and {@code new MulticastSocket(...)} are routed by the JVM-wide
 * policy: {@link Socket#setSocketImplFactory}, {@link ServerSocket#setSocketFactory} (both: the JDK
 * lets a custom server impl accept only into a custom client impl) and
 * {@link DatagramSocket#setDatagramSocketImplFactory}.
 *
 * <p>Each JDK factory can be set once per JVM and never removed, so this is idempotent and fails
 * clearly when some other code set one first. The three methods are deprecated (not for removal)
 * since JDK 17; they remain the only way to replace java.net's implementations.
 */
public final class DmmSocketFactories {
    private static boolean installed;
    /** How many of the three factories this class has set: a retry after a failure skips those. */
    private static int set;

    private DmmSocketFactories() {
    }

    /**
     * Installs the three factories once per JVM; later calls do nothing.
     *
     * @throws IllegalStateException if another factory is already installed (it names which; a
     *         factory set before the failure stays set: the JDK cannot unset one)
     */
    @SuppressWarnings("deprecation")
    public static synchronized void install() {
        if (installed) {
            return;
        }
        // Initialise the JDK's default ProxySelector here, on one thread, before any DMM socket asks
        // for it: DmmSocketImpl asks from whatever thread creates a socket, and a socket created
        // while another thread's SocksSocketImpl initialises DefaultProxySelector deadlocks the two
        // class initialisations (seen as a rare hang of SocketFactoriesTest under load).
        java.net.ProxySelector.getDefault();
        set(0, "Socket.setSocketImplFactory", () -> Socket.setSocketImplFactory(DmmSocketImpl::new));
        set(1, "ServerSocket.setSocketFactory", () -> ServerSocket.setSocketFactory(DmmServerSocketImpl::new));
        set(2, "DatagramSocket.setDatagramSocketImplFactory",
                () -> DatagramSocket.setDatagramSocketImplFactory(DmmDatagramSocketImpl::new));
        installed = true;
    }

    /** Whether {@link #install()} has succeeded in this JVM. */
    public static synchronized boolean isInstalled() {
        return installed;
    }

    private interface Setter {
        void set() throws IOException;
    }

    private static void set(int step, String what, Setter setter) {
        if (set > step) {
            return;
        }
        try {
            setter.set();
            set = step + 1;
        } catch (IOException e) {
            // the JDK says only "factory already defined"
            throw new IllegalStateException("DMM cannot install its java.net factories: " + what
                    + " was already called by other code in this JVM (" + e.getMessage() + ")", e);
        }
    }
}
