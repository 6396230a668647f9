package io.dmm.management.remote;

import io.dmm.core.policy.ManagementSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import javax.management.MBeanServer;

/**
 * An RMI registry and the JMX connector it publishes under {@code jmxrmi}, both on one port of one
 * address. The connector can be replaced on the same port (new password or access file) while the
 * registry keeps listening: the new one is exported first, then published in place of the old.
 */
final class RemoteJmxServer {
    static final String NAME = "jmxrmi";

    private final InetSocketAddress configured;
    private final InetSocketAddress bound;
    private final PlatformServerSocketFactory sockets;
    private final Registry registry;
    private final MBeanServer mbs;
    private JmxConnector connector;    // published; changed by the slot under its lock

    private RemoteJmxServer(InetSocketAddress configured, InetSocketAddress bound, PlatformServerSocketFactory sockets,
                            Registry registry, MBeanServer mbs, JmxConnector connector) {
        this.configured = configured;
        this.bound = bound;
        this.sockets = sockets;
        this.registry = registry;
        this.mbs = mbs;
        this.connector = connector;
    }

    /**
     * Binds the registry and exports a connector on the configured address; nothing is published
     * until {@link #publish()}.
     *
     * @throws IllegalStateException when the port cannot be bound or the connector cannot start
     */
    static RemoteJmxServer open(ManagementSettings.JmxRemote settings, MBeanServer mbs) {
        InetAddress address = settings.address().getAddress();
        PlatformServerSocketFactory sockets = new PlatformServerSocketFactory(address);
        Registry registry = null;
        try {
            RmiStubHost.pointAt(address);
            registry = LocateRegistry.createRegistry(settings.address().getPort(), null, sockets);
            int port = sockets.boundPort();
            // the same factory and port: RMI exports the connector on the registry's listening socket
            JmxConnector connector = JmxConnector.start(settings, port, sockets, mbs);
            if (sockets.socketsOpened() != 1) {
                connector.stop();
                throw new IOException("the connector did not share the registry's port " + port);
            }
            return new RemoteJmxServer(settings.address(), new InetSocketAddress(address, port), sockets, registry,
                    mbs, connector);
        } catch (IOException | RuntimeException e) {
            if (registry != null) {
                unexport(registry);
            }
            sockets.closeAll();
            throw new IllegalStateException("cannot open the remote JMX connector on " + render(settings.address())
                    + ": " + e, e);
        }
    }

    /** Whether a policy's {@code address} is where this server listens already. */
    boolean serves(InetSocketAddress address) {
        return configured.equals(address) || bound.equals(address);
    }

    InetSocketAddress bound() {
        return bound;
    }

    JmxConnector connector() {
        return connector;
    }

    /** Makes the connector reachable: binds its stub in the registry. */
    void publish() throws IOException {
        registry.rebind(NAME, connector.stub());
    }

    /**
     * Exports another connector on this server's port, unpublished.
     *
     * @throws IllegalStateException when it cannot start (e.g. an unreadable access file)
     */
    JmxConnector prepareConnector(ManagementSettings.JmxRemote settings) {
        try {
            return JmxConnector.start(settings, bound.getPort(), sockets, mbs);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot start the remote JMX connector on " + render(bound) + ": " + e, e);
        }
    }

    /** Publishes {@code next} in place of the current connector, which stops (its clients are disconnected). */
    void replace(JmxConnector next) throws IOException {
        registry.rebind(NAME, next.stub());
        JmxConnector old = connector;
        connector = next;
        old.stop();
    }

    /** The URL JMX clients connect to (jconsole, JMXConnectorFactory). */
    String serviceUrl() {
        String host = bound.getAddress().isAnyLocalAddress() ? "localhost" : bound.getAddress().getHostAddress();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return "service:jmx:rmi:///jndi/rmi://" + host + ":" + bound.getPort() + "/" + NAME;
    }

    void close() {
        connector.stop();
        unexport(registry);
        sockets.closeAll();
    }

    private static void unexport(Registry registry) {
        try {
            UnicastRemoteObject.unexportObject(registry, true);
        } catch (NoSuchObjectException e) {
            // already gone
        }
    }

    static String render(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
