package io.dmm.management.remote;

import io.dmm.core.policy.ManagementSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.Remote;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.management.remote.rmi.RMIJRMPServerImpl;

/**
 * One JMX connector server (RMI/JRMP) exported on the port of a {@link PlatformServerSocketFactory},
 * authenticating every client against the password file and, with an access file, limiting what
 * each user may do. Its stub is what the registry hands out under {@code jmxrmi}.
 */
final class JmxConnector {
    /** The JDK's environment keys (the JMX Remote API's "x" keys, read by its password authenticator). */
    static final String PASSWORD_FILE = "jmx.remote.x.password.file";
    static final String ACCESS_FILE = "jmx.remote.x.access.file";
    /** Exports the server objects as daemons: a configured connector must not keep the JVM alive. */
    private static final String DAEMON = "jmx.remote.x.daemon";

    private final ManagementSettings.JmxRemote settings;
    private final RMIConnectorServer server;
    private final RMIJRMPServerImpl impl;
    private final byte[] accessDigest;

    private JmxConnector(ManagementSettings.JmxRemote settings, RMIConnectorServer server, RMIJRMPServerImpl impl,
                         byte[] accessDigest) {
        this.settings = settings;
        this.server = server;
        this.impl = impl;
        this.accessDigest = accessDigest;
    }

    /**
     * Starts a connector for {@code mbs} on {@code port} through {@code sockets}.
     *
     * @throws IOException when it cannot be exported or the access file cannot be read
     */
    static JmxConnector start(ManagementSettings.JmxRemote settings, int port, PlatformServerSocketFactory sockets,
                              MBeanServer mbs) throws IOException {
        Map<String, Object> env = new HashMap<>();
        env.put(PASSWORD_FILE, settings.passwordFile().toString());
        if (settings.accessFile() != null) {
            env.put(ACCESS_FILE, settings.accessFile().toString());
        }
        // credentials are a String[] {user, password}: deserialize nothing else before authentication
        env.put(RMIConnectorServer.CREDENTIALS_FILTER_PATTERN, String.class.getName() + ";!*");
        env.put(DAEMON, "true");
        byte[] digest = digest(settings.accessFile());
        RMIJRMPServerImpl impl = new RMIJRMPServerImpl(port, null, sockets, env);
        String host = settings.address().getAddress().getHostAddress();
        RMIConnectorServer server = new RMIConnectorServer(new JMXServiceURL("rmi", host, port), env, impl, mbs);
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            try {
                server.stop();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new JmxConnector(settings, server, impl, digest);
    }

    ManagementSettings.JmxRemote settings() {
        return settings;
    }

    /** The stub clients get from the registry. */
    Remote stub() throws IOException {
        return impl.toStub();
    }

    /** True if the access file now differs from the one this connector read when it started. */
    boolean accessFileChanged() {
        try {
            return !Arrays.equals(accessDigest, digest(settings.accessFile()));
        } catch (IOException e) {
            return true; // let a new connector report it
        }
    }

    /** Stops it: its clients are disconnected. */
    void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            // stop() only fails to unexport what is gone already
        }
    }

    private static byte[] digest(Path file) throws IOException {
        if (file == null) {
            return null;
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
